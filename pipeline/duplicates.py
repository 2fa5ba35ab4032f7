"""Copies are not corroboration: find the inputs that are copies of another input.

News is syndicated and users save the same article twice. A copy read as a second document
would make every one of its facts "agree" with the original, so a copy is listed (documents.csv
``duplicate_of``, a note on stderr) and not processed past ingest. Two kinds are found:

- exact copies: the same text once decoded and normalised (ingest.clean_text), whatever the
  encoding (UTF-16, a UTF-8 BOM), the line endings or the spaces at the ends of lines;
- near copies: the same article under another header or footer (a site's banner, a
  "Read more" block, another date line). Word shingles of each text are sketched with MinHash,
  candidates come from LSH (datasketch), and a candidate is a copy only when the exact Jaccard
  similarity of the two shingle sets reaches ``Settings.duplicate_min_jaccard``.

The original is the first document by sorted path; a later one is compared only with originals,
so a copy names the document it copies and chains do not form. A translation shares no word
shingles with its original (another script), and two articles on one coalition written apart
share few, so neither is a copy.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

from pipeline.core.config import DEFAULT, Settings
from pipeline.core.records import Document


@dataclass(frozen=True)
class Duplicate:
    """``doc`` is a copy of ``original`` (a doc_id); ``similarity``: 1.0 for an exact copy,
    else the Jaccard similarity of their word shingles."""

    doc: Document
    original: str
    original_path: str
    similarity: float
    exact: bool


def words(text: str) -> list[str]:
    """Words of a text, case-folded, without punctuation and symbols: a copy that quotes
    differently or changes case is still a copy. Any script (no word list needed)."""
    out = []
    for token in text.casefold().split():
        word = "".join(ch for ch in token if unicodedata.category(ch)[0] not in "PSZC")
        if word:
            out.append(word)
    return out


def exact_key(text: str) -> str:
    """A hash of the text with every run of white space as one space: equal for copies that
    differ only in line endings, blank lines or spaces at the ends of lines."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def shingles(text: str, size: int) -> set[bytes]:
    """The set of ``size``-word shingles (the whole text when it is shorter)."""
    w = words(text)
    if len(w) <= size:
        return {" ".join(w).encode("utf-8")} if w else set()
    return {" ".join(w[i:i + size]).encode("utf-8") for i in range(len(w) - size + 1)}


def jaccard(a: set[bytes], b: set[bytes]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def find_duplicates(docs: list[Document], settings: Settings = DEFAULT
                    ) -> tuple[list[Document], list[Duplicate]]:
    """Split the documents into originals (in their given order) and copies of them."""
    order = sorted(docs, key=lambda d: d.path)
    by_key: dict[str, Document] = {}
    sets: dict[str, set[bytes]] = {}
    paths: dict[str, str] = {}
    lsh = MinHashLSH(threshold=settings.duplicate_lsh_threshold,
                     num_perm=settings.duplicate_num_perm)
    copies: dict[str, Duplicate] = {}
    for doc in order:
        key = exact_key(doc.text)
        if key in by_key:
            first = by_key[key]
            copies[doc.doc_id] = Duplicate(doc, first.doc_id, first.path, 1.0, True)
            continue
        sh = shingles(doc.text, settings.duplicate_shingle_words)
        if not settings.find_near_copies or len(sh) < settings.duplicate_min_shingles:
            # too short to tell a copy from a shared phrase: only exact copies count
            by_key[key] = doc
            continue
        mh = MinHash(num_perm=settings.duplicate_num_perm, seed=settings.duplicate_seed)
        mh.update_batch(sorted(sh))
        # the most similar original; of equally similar ones the first by path
        scored = [(-jaccard(sh, sets[c]), paths[c], c) for c in lsh.query(mh)]
        best = min((s for s in scored if -s[0] >= settings.duplicate_min_jaccard), default=None)
        if best is not None:
            sim, orig = -best[0], best[2]
            copies[doc.doc_id] = Duplicate(doc, orig, paths[orig], round(sim, 4), False)
            continue
        by_key[key] = doc
        sets[doc.doc_id] = sh
        paths[doc.doc_id] = doc.path
        lsh.insert(doc.doc_id, mh)
    originals = [d for d in docs if d.doc_id not in copies]
    return originals, [copies[d.doc_id] for d in docs if d.doc_id in copies]


def duplicate_note(dup: Duplicate) -> str:
    """The problem note for a copy (stderr and run.json)."""
    how = "same text" if dup.exact else f"near copy, {dup.similarity:.0%} of shingles shared"
    return f"duplicate of {dup.original_path} ({how}); not counted"


__all__ = ["Duplicate", "duplicate_note", "exact_key", "find_duplicates", "jaccard",
           "shingles", "words"]
