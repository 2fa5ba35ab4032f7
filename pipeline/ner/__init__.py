"""NER stage: Documents → Annotated documents (sentences, mentions, parses).

Each paragraph goes to the backend of its language (mixed documents are routed per paragraph).
Backends live in one module each: ``english`` (spaCy), ``hindi`` (trained spaCy model + rules),
``stanza_backend`` (optional).
"""

from pipeline.ner.base import Annotated, annotate, finish_document

__all__ = ["Annotated", "annotate", "finish_document"]
