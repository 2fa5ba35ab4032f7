"""The top of the outputs of a run of several subjects (issue 16): ``subjects.csv``, an
``index.html`` linking each subject's report, and the corpus-wide tables with the subject folder
each row belongs to. Each subject's own files are written by the usual writers into
``<out>/<folder>/``; nothing here holds a column per document, so nothing grows with documents
times subjects.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from pipeline.output.atomic import write_text_atomic
from pipeline.output.html import environment
from pipeline.output.tables import write_csv, write_parquet

SUBJECT_COLUMNS = ["subject", "label", "folder", "documents", "facts", "conflicts",
                   "possible_conflicts", "confidence"]
# The column the corpus-wide tables gain: the subject folder a row belongs to.
FOLDER_COLUMN = "subject_folder"
# Names at the top of the outputs a subject folder must not take.
RESERVED = frozenset({"parquet"})


@dataclass(frozen=True)
class SubjectSummary:
    """One row of subjects.csv."""

    subject: str
    label: str
    folder: str
    documents: int
    facts: int
    conflicts: int
    possible_conflicts: int
    confidence: float  # how sure the subject is, as for a run on its documents alone (0-1)


def subject_folder(subject: str, taken: set[str]) -> str:
    """A folder name for a subject: its id in lower case, runs of anything but letters and
    digits (in any script) as one "-"; unique among ``taken`` (case-insensitively), which it
    joins."""
    text = unicodedata.normalize("NFC", subject).casefold()
    # letters, marks (Devanagari vowel signs and viramas) and digits are kept
    kept = "".join(c if unicodedata.category(c)[0] in "LMN" else "-" for c in text)
    base = re.sub(r"-+", "-", kept).strip("-") or "subject"
    if base in RESERVED:
        base = f"{base}-subject"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


def subject_reviews_path(reviews: Path | None, folder: str) -> Path | None:
    """The decisions of one subject of a run of several: ``reviews-<folder>.csv`` beside the
    run's reviews file (``<input folder>/reviews.csv`` gives ``<input folder>/reviews-asean.csv``),
    or inside it when ``reviews`` is a folder."""
    if reviews is None:
        return None
    if reviews.is_dir():
        return reviews / f"reviews-{folder}.csv"
    return reviews.with_name(f"{reviews.stem}-{folder}{reviews.suffix or '.csv'}")


def subject_folders(out_dir: Path) -> list[str]:
    """The subject folders of an output folder of several subjects (its subjects.csv), or []
    for the outputs of one subject."""
    path = Path(out_dir) / "subjects.csv"
    if not path.is_file() or (Path(out_dir) / "fact_table.csv").exists():
        return []
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError, pd.errors.ParserError):
        return []
    return [f for f in frame.get("folder", []) if f and (Path(out_dir) / f).is_dir()]


def one_subject_please(out_dir: Path, command: str) -> str | None:
    """The error for a command that works on one subject's outputs, given the top of a run of
    several subjects (None when ``out_dir`` is not one)."""
    folders = subject_folders(out_dir)
    if not folders:
        return None
    shown = ", ".join(folders[:8]) + (", ..." if len(folders) > 8 else "")
    return (f"{out_dir} holds the outputs of {len(folders)} subjects, one folder each ({shown}); "
            f"run `python -m pipeline {command} --out {Path(out_dir) / folders[0]}` on one")


def subjects_frame(subjects: list[SubjectSummary]) -> pd.DataFrame:
    return pd.DataFrame([s.__dict__ for s in subjects], columns=SUBJECT_COLUMNS)


def with_folder(frame: pd.DataFrame, folder: str, subject: str | None = None) -> pd.DataFrame:
    """A subject's table with the columns that place its rows in the corpus (added at the end:
    SCHEMA's columns keep their places)."""
    extra = {FOLDER_COLUMN: folder} if subject is None else {"subject": subject,
                                                              FOLDER_COLUMN: folder}
    return frame.assign(**extra)


def write_index(out_dir: Path, subjects: list[SubjectSummary], tables: dict[str, pd.DataFrame],
                parquet: bool, low_confidence: float) -> Path:
    """subjects.csv, the corpus-wide tables (CSV, and Parquet when asked) and index.html.
    Returns the page's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    frame = subjects_frame(subjects)
    write_csv(out_dir / "subjects.csv", frame)
    for name, table in {"subjects": frame, **tables}.items():
        if name != "subjects":
            write_csv(out_dir / f"{name}.csv", table)
        if parquet:
            write_parquet(out_dir / "parquet" / f"{name}.parquet", table)
    page = out_dir / "index.html"
    rows = [{**s.__dict__, "href": f"{quote(s.folder)}/report.html"} for s in subjects]
    html = environment().get_template("index.html.j2").render(
        subjects=rows, low=low_confidence, tables=[f"{name}.csv" for name in ("subjects", *tables)],
        totals={k: sum(getattr(s, k) for s in subjects)
                for k in ("documents", "facts", "conflicts", "possible_conflicts")})
    write_text_atomic(page, html)
    return page
