"""Fact extraction: sentences + mentions + cues → Facts.

One module per kind of rule, each a function of a sentence context (``context.Ctx``) returning
facts: ``founding``, ``membership``, ``counts``, ``leaders``, ``headquarters``; ``subject`` says
which organisation a run and a cue are about; ``derived`` counts listed sets; ``extract`` runs
them over every document in order. Which words express a cue is data (``cues``).
"""

from pipeline.facts.extract import extract_facts
from pipeline.facts.subject import run_subject

__all__ = ["extract_facts", "run_subject"]
