"""Files → Documents: decoding, Unicode NFC, removal of control characters, sha256, and the
article's own date (a date line, a byline date, an "Updated:" line, a dated heading).

The text a Document carries is the normalised text; every offset written later (entities.csv,
facts.csv) refers to it, so nothing downstream edits the text again.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from charset_normalizer import from_bytes

from pipeline.core.config import DEFAULT, Settings
from pipeline.core.data import dash_class, dateline_ends, load_yaml
from pipeline.core.records import Document, Problem
from pipeline.core.schema import RESERVED_DOC_IDS
from pipeline.normalize.dates import find_dates
from pipeline.normalize.script import language_by_script

# Control and format characters removed from the text: C0/C1 controls except tab and newline,
# the object replacement character U+FFFC (left by copy-paste from web pages), U+FFFD, BOMs,
# and soft hyphens. ZWJ/ZWNJ are kept: they are meaningful in Devanagari.
_STRIP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffc\ufffd\ufeff\u00ad]")
_CRLF = re.compile(r"\r\n?")


class InputError(Exception):
    """A file that cannot become a Document; the message names the problem."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


@lru_cache(maxsize=1)
def _punctuation() -> tuple[dict[int, str], re.Pattern[str]]:
    """Look-alike punctuation to its plain form, and runs of horizontal space (data file)."""
    data = load_yaml("punctuation.yaml")
    table = {ord(k): v for k, v in data["lookalikes"].items()}
    spaces = "".join(re.escape(s) for s in data["spaces"])
    return table, re.compile(f"[ {spaces}]{{2,}}|[{spaces}]")


def clean_text(text: str) -> str:
    """NFC, unified newlines, no control characters, look-alike punctuation as plain
    punctuation and one space for a run of spaces: the text all offsets refer to."""
    text = _CRLF.sub("\n", text)
    text = unicodedata.normalize("NFC", text)
    table, spaces = _punctuation()
    return spaces.sub(" ", _STRIP.sub("", text).translate(table))


def decode(data: bytes) -> Decoded:
    """Decode bytes: UTF-8 (with or without BOM), UTF-16/32 with BOM, else charset detection."""
    if not data.strip():
        raise InputError("empty file")
    for bom, enc in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return Decoded(data.decode(enc), enc.replace("-sig", " with BOM"))
            except UnicodeDecodeError as err:
                raise InputError(
                    f"starts with a {enc} byte-order mark but does not decode: {err}"
                ) from err
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        # A UTF-8 file with a few broken bytes (a truncated copy, one stray Latin-1 byte) is
        # still UTF-8: replacing them costs a character, guessing a legacy code page costs all.
        bad = _invalid_utf8_bytes(data)
        if bad is not None:
            return Decoded(data.decode("utf-8", errors="replace"),
                           f"utf-8, {bad} invalid byte(s) replaced")
    if b"\x00" in data[:4096]:
        raise InputError("binary file (NUL bytes, no text encoding fits)")
    # Short Western-European text is often mistaken for a CJK encoding by statistical
    # detection; when cp1252 decodes it into Latin-script letters only, that is the better bet.
    latin = _latin_cp1252(data)
    if latin is not None:
        return Decoded(latin, "cp1252")
    best = from_bytes(data[:1_000_000]).best()
    if best is None:
        raise InputError("binary file or unknown text encoding")
    enc = best.encoding
    try:
        return Decoded(data.decode(enc), enc)
    except (UnicodeDecodeError, LookupError) as err:
        raise InputError(f"not valid text in detected encoding {enc}: {err}") from err


def _invalid_utf8_bytes(data: bytes) -> int | None:
    """Number of undecodable bytes when the data is UTF-8 with rare damage, else None.

    Valid multi-byte sequences are the evidence: a cp1252/Latin-1 file practically never holds
    them, a damaged UTF-8 Hindi or accented text holds many more of them than bad bytes.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    valid = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if 0 < bad <= max(3, len(data) // 1000) and valid >= 10 * bad:
        return bad
    return None


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 without a byte-order mark: Latin or Devanagari text has one high byte per unit.

    ASCII text in UTF-16 has 0x00 as every other byte, Devanagari 0x09; a UTF-8 file has
    neither pattern, so the test does not misfire on real UTF-8.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:65536]
    for enc, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        script = high.count(0x00) + high.count(0x09)
        if not script or script + high.count(0x20) < 0.9 * len(high):
            continue
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if not _STRIP.search(text[:65536]):
            return Decoded(text, f"{enc} without BOM")
    return None


def _control_share(text: str) -> float:
    """Share of control characters: high in binary files that happen to decode."""
    sample = text[:65536]
    return len(_STRIP.findall(sample)) / max(1, len(sample))


def _latin_cp1252(data: bytes) -> str | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [ch for ch in text if ch.isalpha()]
    latin_only = letters and all(ord(ch) < 0x250 for ch in letters)
    if latin_only and not _STRIP.search(text.replace("\t", "")):
        return text
    return None


def doc_id_for(path: Path) -> str:
    """SCHEMA.md: the input file's name without its extension."""
    return path.stem


def unreserved_doc_id(stem: str, taken: set[str]) -> str:
    """``stem``, or ``stem_1``, ``stem_2``... when it names a fixed fact_table.csv column.

    A doc_id is a column name of fact_table.csv: an input called status.txt would otherwise
    overwrite the ``status`` column. ``taken`` (the other inputs' stems) keeps the new id unique.
    """
    if stem not in RESERVED_DOC_IDS:
        return stem
    n = 1
    while f"{stem}_{n}" in taken or f"{stem}_{n}" in RESERVED_DOC_IDS:
        n += 1
    return f"{stem}_{n}"


def read_document(path: Path, settings: Settings = DEFAULT, doc_id: str | None = None
                  ) -> Document:
    """Read one file into a Document; raises InputError with a readable reason.

    ``doc_id`` defaults to the file's stem (ingest passes a different one for reserved names).
    """
    try:
        size = path.stat().st_size
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}") from err
    if size > settings.max_file_bytes:
        raise InputError(f"too large ({size} bytes > {settings.max_file_bytes})")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}") from err
    decoded = decode(data)
    if _control_share(decoded.text.replace("\ufeff", "")) > 0.1:
        raise InputError(f"binary file (control characters in {decoded.encoding} text)")
    text = clean_text(decoded.text)
    if not text.strip():
        raise InputError("no text after removing control characters")
    sha = hashlib.sha256(data).hexdigest()
    date, source = document_date(text, settings)
    return Document(doc_id=doc_id or doc_id_for(path), path=str(path), text=text, sha256=sha,
                    encoding=decoded.encoding, date=date, date_source=source)


_WORD = re.compile(r"[^\W\d_]+")


def _language_words(settings: Settings, file: str, key: str) -> list[str]:
    """The words under ``key`` in every configured language's ``<lang>/<file>`` (a language
    without the file has none)."""
    words: list[str] = []
    for lang in settings.languages:
        try:
            words += [str(w) for w in load_yaml(f"{lang}/{file}").get(key) or []]
        except FileNotFoundError:
            continue
    return words


def _date_cues(settings: Settings) -> list[tuple[str, str]]:
    """(cue folded to lower case, as written) for every configured language's date labels."""
    cues = [(w.casefold(), w) for w in _language_words(settings, "date_lines.yaml", "cues")]
    return sorted(cues, key=lambda c: -len(c[0]))


def _range_start(settings: Settings) -> re.Pattern[str]:
    """What follows a date that opens a span: a dash, or a range word of a configured language
    ("to", "से"; data/<lang>/date_lines.yaml). A word ends where no letter or sign follows: a
    ``\b`` would fall inside "से", whose vowel sign is no word character."""
    words = "|".join(re.escape(w) for w in
                     _language_words(settings, "date_lines.yaml", "range_words"))
    dash = rf"\s*{dash_class()}"
    return re.compile(rf"{dash}|\s*(?:{words})(?![\w\u0900-\u097F])" if words else dash)


def _edge_lines(text: str, settings: Settings) -> list[str]:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    head = lines[:settings.date_head_lines]
    return head + lines[max(len(head), len(lines) - settings.date_tail_lines):]


def document_date(text: str, settings: Settings = DEFAULT) -> tuple[str, str]:
    """The article's own date (ISO 8601 at its written precision) and where it was read, or
    ("", ""): undated present-tense statements hold at this date (pipeline/timing.py).

    Looked for in the first and last lines: a line with a date label (data/<lang>/
    date_lines.yaml: "Updated:", "प्रकाशित") before a date; a byline ("By <name>") with a date;
    a line holding a date of at least month precision and at most a few other words (a date
    line, "Saturday, January 6, 2018"; a dateline, "Jeddah, 25 September, 2024").
    """
    limit = settings.date_line_other_words
    bylines = tuple(_language_words(settings, "bylines.yaml", "words"))
    cues = _date_cues(settings)
    range_start = _range_start(settings)
    bare: tuple[str, str] | None = None
    for line in _edge_lines(text, settings):
        dates = find_dates(line, language_by_script(line, settings.languages))
        if not dates:
            continue
        rest = line
        for s, e, _ in reversed(dates):
            rest = rest[:s] + " " + rest[e:]
        others = _WORD.findall(rest)
        low = line.casefold()
        for cue, written in cues:
            at = low.find(cue)
            # a word of its own, or glued to a page label as a capitalised word
            # ("DaysPublished on:"), not the end of another word ("outdated")
            if at > 0 and line[at - 1].isalpha() and not line[at].isupper():
                at = -1
            after = [d for d in dates if d[0] >= at + len(cue)] if at >= 0 else []
            if after and len(others) <= 3 * limit:
                return after[0][2], f"'{written}' line"
        first_word = line.split()[0]
        if first_word in bylines and len(others) <= 3 * limit:
            return dates[0][2], "byline"
        s, e, iso = dates[0]
        # Not the article's date: an event's time span ("25 March 2015 – present"), a table
        # or labelled field ("| Formation | 15 September 2021 |"), a bracketed note's date
        # ("(July 2008)[2]").
        opens_range = range_start.match(line[e:])
        field = "|" in line or ":" in line[:s]
        bracketed = line[:s].rstrip().endswith(("(", "[")) or line[e:].lstrip().startswith(
            (")", "]"))
        if (bare is None and len(dates) == 1 and len(iso) >= 7 and len(others) <= limit
                and not (opens_range or field or bracketed)):
            bare = (iso, "date line")
        if bare is None and len(iso) >= 7 and _dateline(line, s, e, limit):
            bare = (iso, DATELINE)
    return bare or ("", "")


# What closes a news dateline ("VIENNA, 12 March 2024 — ...", "नई दिल्ली, 5 जून 2023 (भाषा)।
# ..."): one of ``dateline_ends`` (data/punctuation.yaml), after an optional agency in brackets.
_DATELINE_END = re.compile(rf"\s*(?:\([^)]{{1,30}}\))?\s*[{re.escape(dateline_ends())}]")
# The date source of an article dated by its dateline (the English NER reads it too).
DATELINE = "dateline"


def _dateline(line: str, s: int, e: int, limit: int) -> bool:
    """Whether the date at ``line[s:e]`` is a dateline's: a place of at most ``limit`` words
    and a comma before it at the start of the line, and the dateline's end after it."""
    head = line[:s].rstrip()
    return (head.endswith(",") and 1 <= len(_WORD.findall(head)) <= limit
            and not any(ch.isdigit() for ch in head) and bool(_DATELINE_END.match(line[e:])))


def expand_paths(
    paths: Iterable[Path], settings: Settings = DEFAULT
) -> tuple[list[Path], list[Problem]]:
    """Files and folders → sorted input files; missing paths become Problems. Inside a folder,
    the output folders of earlier runs (holding run.json) are skipped."""
    files: list[Path] = []
    problems: list[Problem] = []
    for p in paths:
        if p.is_dir():
            # a folder a run wrote (it holds run.json) is outputs, not articles: its
            # conflicts.md would otherwise be read as one
            outputs = [r.parent for r in p.rglob("run.json")]
            found = sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in settings.input_suffixes
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and not any(f.is_relative_to(o) for o in outputs)
            )
            if not found:
                problems.append(Problem(str(p), "folder holds only a run's outputs (run.json)"
                                        if outputs else "folder holds no .txt or .md files"))
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            problems.append(Problem(str(p), "no such file or folder"))
    return files, problems


def ingest(
    paths: Iterable[Path], settings: Settings = DEFAULT
) -> tuple[list[Document], list[Problem]]:
    """Read every input; a bad file costs only itself. Copies of another input are returned
    too: pipeline/duplicates.py finds them (also those in another encoding).

    Documents come back sorted by doc_id so that a run does not depend on argument order.
    """
    files, problems = expand_paths(paths, settings)
    docs: dict[str, Document] = {}
    stems = {doc_id_for(f) for f in files}
    for path in sorted(set(files), key=lambda f: (f.stem, str(f))):
        doc_id = unreserved_doc_id(doc_id_for(path), stems)
        try:
            doc = read_document(path, settings, doc_id)
        except InputError as err:
            problems.append(Problem(str(path), str(err)))
            continue
        except (ValueError, LookupError, MemoryError, RuntimeError) as err:  # one file only
            problems.append(Problem(str(path), f"cannot decode: {type(err).__name__}: "
                                    + " ".join(str(err).split())))
            continue
        if doc.doc_id in docs:
            used = docs[doc.doc_id].path
            # a copy under the same name in another folder; other copies are found, and
            # listed, by pipeline/duplicates.py
            problems.append(Problem(str(path), f"duplicate of {used} (same sha256)"
                                    if docs[doc.doc_id].sha256 == doc.sha256
                                    else f"doc_id {doc.doc_id!r} already used by {used}"))
            continue
        if doc.doc_id != doc_id_for(path):
            problems.append(Problem(str(path), f"doc_id {doc_id_for(path)!r} is a fact_table.csv "
                                    f"column name; using {doc.doc_id!r}", skipped=False))
        if doc.encoding not in ("utf-8", "utf-8 with BOM"):
            plain = "" if doc.encoding.startswith("utf-8") else " (not UTF-8)"
            problems.append(Problem(str(path), f"decoded as {doc.encoding}{plain}", skipped=False))
        docs[doc.doc_id] = doc
    return [docs[k] for k in sorted(docs)], problems
