"""Score a pipeline output folder against a gold YAML (SCHEMA.md, "Gold files").

The evaluation reads only the public output files (``entities.csv``, ``facts.csv``,
``fact_table.csv``, ``fact_values.csv``, ``documents.csv``), so it grades what an analyst would
see, not internals.

Matching rules, and why:

- countries, dates: the set of ``kb_id`` values of that label in a document against the gold
  list; a mention counted twice is still one entity, so scores are per distinct id.
- persons: PERSON ``kb_id`` values against gold names, one-to-one, when rapidfuzz ``ratio`` of
  the case- and diacritic-folded names is >= 80: transliteration variants ("Rahel"/"Raheel")
  must not be punished, different people must not match.
- facts: a gold fact matches a ``facts.csv`` row of the same document when all hold:
  same predicate; same object (country: ISO3, org: same organisation name or acronym, person:
  fuzzy as above, place: folded name, value: numeric equality of ``value``, falling back to
  ``object_kb_id`` when ``value`` is empty; a gold fact without an object, e.g. ``founded``,
  accepts any); same role when gold gives one (titles are compared without case, spaces or
  hyphens); when gold gives no role, any predicted role except one naming a different event or
  state (``member``: left, suspended; ``founded``: re-established), since "member" in a text is
  contradicted by "left" but not by "joined"; ``when`` compatible when gold gives one (equal, or
  one a refinement of the other at an ISO boundary: 2015 ~ 2015-12-15; a prediction without a
  date does not match a dated gold fact); ``derived`` true when gold says derived; subject, see
  below. Evidence is never compared (gold abbreviates it with "..."). Matching is a maximum
  one-to-one matching, so the order of rows can never lower a score.
- subjects (strict): gold facts without ``subject`` are about the case subject. A predicted
  subject counts as the case subject only when it names it: the same name or an alternative of a
  name written "A / B", the parenthesised acronym, the initials of its capitalised words, or a
  name of two or more words all standing in the other. A fact about another organisation than the
  gold one, or with no subject, does not match: a fact about the wrong subject is wrong.
- scores: precision = tp / (tp + fp), recall = tp / (tp + fn); with nothing predicted and
  nothing in gold both are 1.0 (a correct empty answer), otherwise an empty denominator gives 0.
  The ``ALL`` row of an area sums tp/fp/fn over documents (micro average).

Conflict checks (``check_conflicts``) read the typed tables: ``fact_table.csv`` for each row's
key and grade (``status``), ``fact_values.csv`` for the values each document gives in it (value,
when, role per value; no display text is parsed):

- a gold conflict is shown when one row graded ``conflict`` fits the entry (predicate; subject as
  above; object in ``object_kb_id``, or among the row's values when the row has no object; role
  if given, as the row's role or, for a row keyed without one, as the role of the values that
  count; ``when`` compatible if both give one) and its values show at least two of the entry's
  values that cannot both be true (different numbers or names, or dates that are not
  refinements of each other). A row that shows it only as a ``possible_conflict`` does not count
  for a required conflict; for one that is not required (a reviewer may be shown it) either
  grade counts.
- a non-conflict is violated by a row flagged at either grade (``conflict`` or
  ``possible_conflict``) that fits it (as above) and, when the entry lists values, shows at least
  one of them, unless that row shows a gold conflict of the same file: a row holding both a
  listed conflict and an agreeing pair is right to be flagged.
"""

from __future__ import annotations

import argparse
import re
import sys
import traceback
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import yaml
from rapidfuzz import fuzz
from rich.console import Console
from rich.table import Table

from pipeline.core.config import REPO_DIR
from pipeline.core.records import COUNTRY, DATE, PERSON
from pipeline.core.schema import Status
from pipeline.output.tables import is_true, read_table
from pipeline.timing import same_time

if TYPE_CHECKING:
    from pipeline.runtime.run import RunResult

AREAS = ("countries", "persons", "dates", "facts")
ALL_DOCS = "ALL"
SCORE_COLUMNS = ["case", "doc_id", "area", "tp", "fp", "fn", "precision", "recall", "f1"]
CONFLICT_COLUMNS = ["case", "kind", "predicate", "detail", "required", "ok"]
# Gold object keys, in the order they are looked for on a fact or conflict entry.
OBJECT_KINDS = ("country", "org", "person", "place", "value")
# rapidfuzz ratio (0-100) at which two folded names are taken to be the same.
NAME_MATCH_RATIO = 80.0
# Roles that describe another event or state than a plain statement of the predicate, so that a
# gold fact without a role must not be matched by them (keys and roles as folded by _role_key).
EXCLUSIVE_ROLES = {"member": {"left", "suspended"}, "founded": {"reestablished"}}
# Gold roles written for the same thing as another role (../shared/cases/README.md): a plain
# membership is role `member` or no role; a return after leaving is `rejoined` or
# `reactivated`, and `joined` is used for it too.
ROLE_SYNONYMS = {"member": {"member": "", "rejoined": "joined", "reactivated": "joined"}}

ENTITY_COLUMNS = ("doc_id", "label", "kb_id")
FACT_COLUMNS = ("doc_id", "subject", "predicate", "object_kb_id", "value", "when", "role",
                "derived")
TABLE_COLUMNS = ("conflict_id", "key", "subject", "predicate", "object_kb_id", "when", "role",
                 "status", "conflict")
VALUE_COLUMNS = ("conflict_id", "doc_id", "value", "when", "role")
FLAGGED = (Status.CONFLICT, Status.POSSIBLE_CONFLICT)

_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_PARENS = re.compile(r"\(([^)]*)\)")


# --------------------------------------------------------------------------------------------
# Gold
# --------------------------------------------------------------------------------------------


class _GoldLoader(yaml.SafeLoader):
    """Safe YAML without YAML 1.1 surprises: doc ids like ``0001`` or ``no`` and dates stay text."""


_GoldLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
                           "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_GoldLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_GoldLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


@dataclass(frozen=True)
class GoldFact:
    """One gold fact; ``subject`` is '' for the case subject, ``object_kind`` '' when none."""

    doc_id: str
    predicate: str
    object_kind: str = ""
    object: str = ""
    role: str = ""
    when: str = ""
    derived: bool = False
    subject: str = ""


@dataclass(frozen=True)
class GoldDoc:
    doc_id: str
    countries: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    facts: tuple[GoldFact, ...] = ()


@dataclass(frozen=True)
class GoldCheck:
    """A ``conflicts`` or ``non_conflicts`` entry; ``values`` maps doc_id to the value shown."""

    kind: str
    predicate: str
    subject: str = ""
    object_kind: str = ""
    object: str = ""
    role: str = ""
    when: str = ""
    values: dict[str, str] = field(default_factory=dict)
    required: bool = False
    note: str = ""


@dataclass(frozen=True)
class Gold:
    case: str
    subject: str
    docs: dict[str, GoldDoc]
    conflicts: tuple[GoldCheck, ...] = ()
    non_conflicts: tuple[GoldCheck, ...] = ()

    @property
    def other_subjects(self) -> tuple[str, ...]:
        """Organisations other than the case subject that facts or checks are about."""
        names = [f.subject for d in self.docs.values() for f in d.facts]
        names += [c.subject for c in (*self.conflicts, *self.non_conflicts)]
        return tuple(dict.fromkeys(n for n in names if n))


def _text(value: object) -> str:
    """A gold scalar as text: ints stay '32', booleans 'true'/'false', None ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def _object_of(entry: dict[str, Any]) -> tuple[str, str]:
    for kind in OBJECT_KINDS:
        if entry.get(kind) is not None:
            return kind, _text(entry[kind])
    return "", ""


def _check(kind: str, entry: dict[str, Any], where: str) -> GoldCheck:
    if not isinstance(entry, dict) or not entry.get("predicate"):
        raise ValueError(f"{where}: entry without a predicate: {entry!r}")
    obj_kind, obj = _object_of(entry)
    values = entry.get("values") or {}
    if not isinstance(values, dict):
        raise ValueError(f"{where}: 'values' must map doc_id to value: {entry!r}")
    return GoldCheck(kind=kind, predicate=_text(entry["predicate"]),
                     subject=_text(entry.get("subject")), object_kind=obj_kind, object=obj,
                     role=_text(entry.get("role")), when=_text(entry.get("when")),
                     values={_text(k): _text(v) for k, v in values.items()},
                     required=bool(entry.get("required", kind == "non_conflict")),
                     note=_text(entry.get("note")))


def load_gold(path: Path) -> Gold:
    """Read and check a gold YAML; errors name the file and the entry, never a KeyError."""
    data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_GoldLoader)
    if not isinstance(data, dict) or not isinstance(data.get("docs"), dict):
        raise ValueError(f"{path}: a gold file needs a 'docs' mapping")
    docs: dict[str, GoldDoc] = {}
    for raw_id, body in data["docs"].items():
        doc_id = _text(raw_id)
        body = body or {}
        facts = []
        for i, entry in enumerate(body.get("facts") or []):
            if not isinstance(entry, dict) or not entry.get("predicate"):
                raise ValueError(f"{path}: {doc_id} fact {i + 1} has no predicate: {entry!r}")
            obj_kind, obj = _object_of(entry)
            facts.append(GoldFact(doc_id=doc_id, predicate=_text(entry["predicate"]),
                                  object_kind=obj_kind, object=obj,
                                  role=_text(entry.get("role")), when=_text(entry.get("when")),
                                  derived=is_true(entry.get("derived")),
                                  subject=_text(entry.get("subject"))))
        docs[doc_id] = GoldDoc(
            doc_id=doc_id,
            countries=tuple(_text(c).upper() for c in body.get("countries") or []),
            persons=tuple(_text(p) for p in body.get("persons") or []),
            dates=tuple(_text(d) for d in body.get("dates") or []),
            facts=tuple(facts))
    conflicts = tuple(_check("conflict", e, f"{path} conflicts")
                      for e in data.get("conflicts") or [])
    non_conflicts = tuple(_check("non_conflict", e, f"{path} non_conflicts")
                          for e in data.get("non_conflicts") or [])
    return Gold(case=_text(data.get("case")) or Path(path).stem, subject=_text(data.get("subject")),
                docs=docs, conflicts=conflicts, non_conflicts=non_conflicts)


# --------------------------------------------------------------------------------------------
# Comparing values
# --------------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Case- and diacritic-insensitive form with punctuation as single spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", kept.casefold()).split())


def _role_key(role: str) -> str:
    """'Commander-in-Chief', 'commander in chief' and 'commanderinchief' are one role."""
    return _fold(role).replace(" ", "")


def _number(text: str) -> float | None:
    try:
        number = float(str(text).strip())
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _name_ratio(a: str, b: str) -> float:
    fa, fb = _fold(a), _fold(b)
    return fuzz.ratio(fa, fb) if fa and fb else 0.0


def same_name(a: str, b: str) -> bool:
    """Person (or place) names agree despite case, diacritics and spelling variants."""
    return _name_ratio(a, b) >= NAME_MATCH_RATIO


def _org_aliases(name: str) -> set[str]:
    """Folded forms naming an organisation: the name, each alternative of a name written as
    "A / B", its bracketed acronym, its initials."""
    text = unicodedata.normalize("NFKC", str(name))
    aliases: set[str] = set()
    alternatives = [a for a in re.split(r"\s+/\s+", _PARENS.sub(" ", text)) if a.strip()]
    parts = [_PARENS.sub(" ", text), *alternatives, *_PARENS.findall(text)]
    for part in [text, *parts]:
        folded = _fold(part)
        aliases.add(folded[4:] if folded.startswith("the ") else folded)
    for part in parts:
        capitals = [w for w in re.split(r"[\W_]+", part) if w[:1].isupper()]
        if len(capitals) >= 2:
            aliases.add("".join(w[0] for w in capitals).casefold())
    aliases.discard("")
    return aliases


# Words that do not tell two organisation names apart ("the", "of").
_ORG_FILLER = frozenset({"the", "of", "and", "for", "in"})


def _org_words(alias: str) -> frozenset[str]:
    return frozenset(w for w in alias.split() if w not in _ORG_FILLER)


def same_org(a: str, b: str) -> bool:
    """'AU', 'African Union' and 'African Union (AU)' name one organisation; 'OAU' does not.
    A name of two or more words whose words all stand in the other name names it too
    ("Saudi-led coalition" and "Saudi-led coalition in Yemen"), and so does the head of an
    "X of Y" name ("Commonwealth" and "Commonwealth of Nations")."""
    left, right = _org_aliases(a), _org_aliases(b)
    if left & right:
        return True
    for x in left:
        for y in right:
            wx, wy = _org_words(x), _org_words(y)
            if min(len(wx), len(wy)) >= 2 and (wx <= wy or wy <= wx):
                return True
            # "Commonwealth" and "Commonwealth of Nations": a one-word name of the "X of Y" form
            if x.split(" of ")[0] == y or y.split(" of ")[0] == x:
                return True
    return False


def _value_matches(gold_value: str, found: str) -> bool:
    """A cell value shows a gold value: numbers by value, dates exactly, names fuzzily."""
    g, f = gold_value.strip(), found.strip()
    if not g or not f:
        return False
    gn, fn_ = _number(g), _number(f)
    if gn is not None and fn_ is not None:
        return gn == fn_
    if gn is not None or fn_ is not None or _ISO_DATE.fullmatch(g) or _ISO_DATE.fullmatch(f):
        return g == f
    return same_name(g, f)


def _values_conflict(a: str, b: str) -> bool:
    """Two gold values that cannot both be true (dates at two precisions can)."""
    if _ISO_DATE.fullmatch(a.strip()) and _ISO_DATE.fullmatch(b.strip()):
        return not same_time(a.strip(), b.strip())
    return not _value_matches(a, b)


class _Subjects:
    """Decides whether a predicted subject is the case subject or another organisation.

    Strict: a fact counts as about the case subject only when its subject names it (an alias,
    the acronym, the initials, or a name of two or more words standing in the other); a fact
    about any other organisation, or with no subject, is about the wrong subject.
    """

    def __init__(self, gold: Gold) -> None:
        self._main = gold.subject

    def is_main(self, predicted: str) -> bool:
        return bool(str(predicted).strip()) and bool(self._main) and same_org(self._main,
                                                                                predicted)

    def matches(self, gold_subject: str, predicted: str) -> bool:
        if not gold_subject or (self._main and same_org(gold_subject, self._main)):
            return self.is_main(predicted)
        return same_org(gold_subject, predicted)


def _object_matches(kind: str, gold_object: str, found: str) -> bool:
    found = str(found).strip()
    if not found:
        return False
    if kind == "country":
        return found.upper() == gold_object.upper()
    if kind == "org":
        return same_org(gold_object, found)
    if kind == "person":
        return same_name(gold_object, found)
    if kind == "place":
        return _fold(found) == _fold(gold_object)
    if kind == "value":
        number = _number(found)
        return number is not None and number == _number(gold_object)
    return _fold(found) == _fold(gold_object)


def _role_matches(predicate: str, gold_role: str, predicted_role: str) -> bool:
    synonyms = ROLE_SYNONYMS.get(_role_key(predicate), {})
    gold, found = _role_key(gold_role), _role_key(predicted_role)
    if gold in synonyms and found in (gold, synonyms[gold]):
        return True
    if gold:
        return gold == found
    return _role_key(predicted_role) not in EXCLUSIVE_ROLES.get(_role_key(predicate), set())


def _fact_matches(gold: GoldFact, pred: dict[str, str], subjects: _Subjects) -> bool:
    """All rules of the module docstring for one gold fact and one facts.csv row."""
    if _role_key(pred["predicate"]) != _role_key(gold.predicate):
        return False
    if not subjects.matches(gold.subject, pred["subject"]):
        return False
    if gold.object_kind:
        found = pred["object_kb_id"]
        if gold.object_kind == "value" and str(pred["value"]).strip():
            found = pred["value"]
        if not _object_matches(gold.object_kind, gold.object, found):
            return False
    if not _role_matches(gold.predicate, gold.role, pred["role"]):
        return False
    if gold.when and not same_time(gold.when.strip(), pred["when"].strip()):
        return False
    return not gold.derived or is_true(pred["derived"])


def _max_matching(candidates: Sequence[Sequence[int]]) -> dict[int, int]:
    """Maximum one-to-one matching (augmenting paths): left index -> right index.

    ``candidates[i]`` lists the right items left item ``i`` may take, preferred first.
    """
    owner: dict[int, int] = {}

    def assign(left: int, seen: set[int]) -> bool:
        for right in candidates[left]:
            if right in seen:
                continue
            seen.add(right)
            if right not in owner or assign(owner[right], seen):
                owner[right] = left
                return True
        return False

    for left in range(len(candidates)):
        assign(left, set())
    return {left: right for right, left in owner.items()}


# --------------------------------------------------------------------------------------------
# Scores
# --------------------------------------------------------------------------------------------


def _read_output(path: Path, columns: Iterable[str]) -> pd.DataFrame:
    """A pipeline CSV as text columns (true/false as booleans: ``read_table``); a missing file
    or contract column is a clear error."""
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found (run the pipeline into this folder first)")
    frame = read_table(path)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)} (see SCHEMA.md)")
    return frame


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    recall = tp / (tp + fn) if tp + fn else (1.0 if fp == 0 else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _score_row(case: str, doc_id: str, area: str, tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision, recall, f1 = _prf(tp, fp, fn)
    return {"case": case, "doc_id": doc_id, "area": area, "tp": tp, "fp": fp, "fn": fn,
            "precision": precision, "recall": recall, "f1": f1}


def _set_counts(gold: set[str], predicted: set[str]) -> tuple[int, int, int]:
    return len(gold & predicted), len(predicted - gold), len(gold - predicted)


def _person_counts(gold: Sequence[str], predicted: Sequence[str]) -> tuple[int, int, int]:
    candidates = []
    for name in gold:
        scored = [(_name_ratio(name, p), j) for j, p in enumerate(predicted)]
        candidates.append([j for s, j in sorted(scored, key=lambda x: -x[0])
                           if s >= NAME_MATCH_RATIO])
    tp = len(_max_matching(candidates))
    return tp, len(predicted) - tp, len(gold) - tp


def _fact_counts(gold: Sequence[GoldFact], predicted: Sequence[dict[str, str]],
                 subjects: _Subjects) -> tuple[int, int, int]:
    candidates = [[j for j, p in enumerate(predicted) if _fact_matches(g, p, subjects)]
                  for g in gold]
    tp = len(_max_matching(candidates))
    return tp, len(predicted) - tp, len(gold) - tp


def score(gold_path: Path, out_dir: Path) -> pd.DataFrame:
    """Tidy per-document and micro (``doc_id == 'ALL'``) P/R/F1 for each area."""
    gold = load_gold(gold_path)
    out_dir = Path(out_dir)
    entities = _read_output(out_dir / "entities.csv", ENTITY_COLUMNS)
    facts = _read_output(out_dir / "facts.csv", FACT_COLUMNS)
    subjects = _Subjects(gold)
    entities = entities.assign(label=entities["label"].str.strip().str.upper(),
                               kb_id=entities["kb_id"].str.strip())
    rows: list[dict[str, Any]] = []
    for doc in gold.docs.values():
        in_doc = entities[entities["doc_id"] == doc.doc_id]

        def ids(label: str, in_doc: pd.DataFrame = in_doc) -> list[str]:
            """Distinct non-empty kb_ids of one label: a repeated mention is one entity."""
            return list(dict.fromkeys(k for k in in_doc.loc[in_doc["label"] == label, "kb_id"]
                                      if k))

        countries = {c.upper() for c in ids(COUNTRY)}
        rows.append(_score_row(gold.case, doc.doc_id, "countries",
                               *_set_counts(set(doc.countries), countries)))
        rows.append(_score_row(gold.case, doc.doc_id, "persons",
                               *_person_counts(list(dict.fromkeys(doc.persons)), ids(PERSON))))
        rows.append(_score_row(gold.case, doc.doc_id, "dates",
                               *_set_counts(set(doc.dates), set(ids(DATE)))))
        doc_facts = facts[facts["doc_id"] == doc.doc_id].to_dict("records")
        rows.append(_score_row(gold.case, doc.doc_id, "facts",
                               *_fact_counts(doc.facts, doc_facts, subjects)))
    frame = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    return pd.concat([frame, micro(frame, gold.case)], ignore_index=True)


def micro(scores: pd.DataFrame, case: str) -> pd.DataFrame:
    """One row per area summing tp/fp/fn of the given (per-document) rows."""
    rows = []
    for area in AREAS:
        part = scores[(scores["area"] == area) & (scores["doc_id"] != ALL_DOCS)]
        rows.append(_score_row(case, ALL_DOCS, area, int(part["tp"].sum()),
                               int(part["fp"].sum()), int(part["fn"].sum())))
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def missing_documents(gold_path: Path, out_dir: Path) -> list[str]:
    """Gold doc_ids that documents.csv does not list (a file the run skipped or misnamed)."""
    path = Path(out_dir) / "documents.csv"
    if not path.is_file():
        return list(load_gold(gold_path).docs)
    seen = set(pd.read_csv(path, dtype=str, keep_default_na=False).get("doc_id", []))
    return [d for d in load_gold(gold_path).docs if d not in seen]


# --------------------------------------------------------------------------------------------
# Conflicts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Value:
    """One row of fact_values.csv: a value a document gives in a fact-table row."""

    value: str
    when: str
    role: str

    @property
    def parts(self) -> list[str]:
        """What the value shows: the value itself, its date and its role."""
        return [p for p in dict.fromkeys((self.value, self.when, self.role)) if p]


@dataclass(frozen=True)
class _Row:
    """One fact_table.csv row with its typed values per document (from fact_values.csv)."""

    key: str
    subject: str
    predicate: str
    object_kb_id: str
    when: str
    role: str
    status: str
    cells: dict[str, list[_Value]]

    @property
    def conflict(self) -> bool:
        return self.status == Status.CONFLICT

    @property
    def flagged(self) -> bool:
        return self.status in FLAGGED


def _table_rows(table: pd.DataFrame, values: pd.DataFrame, doc_ids: Iterable[str]) -> list[_Row]:
    wanted = set(doc_ids)
    by_row: dict[str, dict[str, list[_Value]]] = {}
    for r in values.to_dict("records"):
        if r["doc_id"] in wanted:
            by_row.setdefault(r["conflict_id"], {}).setdefault(r["doc_id"], []).append(
                _Value(str(r["value"]).strip(), str(r["when"]).strip(), str(r["role"]).strip()))
    rows = []
    for r in table.to_dict("records"):
        status = str(r["status"]).strip()
        if status not in FLAGGED and is_true(r["conflict"]):
            status = Status.CONFLICT
        rows.append(_Row(key=r["key"], subject=r["subject"], predicate=r["predicate"],
                         object_kb_id=r["object_kb_id"].strip(), when=r["when"].strip(),
                         role=r["role"].strip(), status=status,
                         cells=by_row.get(r["conflict_id"], {})))
    return rows


def _cell_values(check: GoldCheck, row: _Row) -> dict[str, list[str]] | None:
    """What each document shows for the entry; None when the row has another role.

    A row keyed without a role (a member row holding "founding" and a join on 1984-01-07)
    shows the entry's role only through the values of that role, and only those count.
    """
    if not check.role or row.role:
        if check.role and _role_key(row.role) != _role_key(check.role):
            return None
        return {doc: [p for v in vals for p in v.parts] for doc, vals in row.cells.items()}
    wanted = _role_key(check.role)
    shown = {doc: [p for v in vals if _role_key(v.role) == wanted for p in v.parts]
             for doc, vals in row.cells.items()}
    return shown if any(shown.values()) else None


def _fit(check: GoldCheck, row: _Row, subjects: _Subjects) -> dict[str, list[str]] | None:
    """The row's cell values when the row is about what the entry is about, else None."""
    if _role_key(row.predicate) != _role_key(check.predicate):
        return None
    if not subjects.matches(check.subject, row.subject):
        return None
    if check.when and row.when and not same_time(check.when, row.when):
        return None
    cells = _cell_values(check, row)
    if cells is None or not check.object_kind:
        return cells
    if row.object_kb_id:
        found = _object_matches(check.object_kind, check.object, row.object_kb_id)
    else:
        found = any(_object_matches(check.object_kind, check.object, part)
                    for parts in cells.values() for part in parts)
    return cells if found else None


def _shown(check: GoldCheck, cells: dict[str, list[str]]) -> list[str]:
    """Documents whose cell shows the entry's value for that document."""
    return [doc for doc, value in check.values.items()
            if any(_value_matches(value, part) for part in cells.get(doc, []))]


def _shows_conflict(check: GoldCheck, cells: dict[str, list[str]]) -> bool:
    if not check.values:
        return True
    shown = _shown(check, cells)
    return any(_values_conflict(check.values[a], check.values[b])
               for i, a in enumerate(shown) for b in shown[i + 1:])


def _describe(check: GoldCheck) -> str:
    parts = [f"subject={check.subject}"] if check.subject else []
    if check.object_kind:
        parts.append(f"{check.object_kind}={check.object}")
    parts += [f"role={check.role}"] if check.role else []
    parts += [f"when={check.when}"] if check.when else []
    if check.values:
        parts.append("values " + ", ".join(f"{d}={v}" for d, v in check.values.items()))
    return " ".join(parts) or "(any row of this predicate)"


def _conflict_result(check: GoldCheck, rows: list[_Row], subjects: _Subjects) -> tuple[bool, str]:
    fitting = [(row, cells) for row in rows
               if (cells := _fit(check, row, subjects)) is not None]
    # A required conflict must be graded conflict; one a reviewer may be shown, either grade.
    for row, cells in fitting:
        if (row.conflict or (row.flagged and not check.required)) and _shows_conflict(check,
                                                                                    cells):
            shown = ", ".join(_shown(check, cells)) or "it"
            return True, f"{_describe(check)}: {row.status} row '{row.key}' shows {shown}"
    unflagged = [row for row, cells in fitting
                 if not row.conflict and _shows_conflict(check, cells)]
    if unflagged:
        grade = unflagged[0].status
        why = (f"row '{unflagged[0].key}' shows the values but is graded {grade}"
               if grade in FLAGGED else
               f"row '{unflagged[0].key}' shows the values but is not flagged")
    elif fitting:
        why = (f"{len(fitting)} row(s) fit, none flagged with two differing values: "
               + "; ".join(f"'{row.key}'" for row, _ in fitting[:3]))
    else:
        why = "no row fits"
    return False, f"{_describe(check)}: MISSING, {why}"


def check_conflicts(gold_path: Path, out_dir: Path) -> pd.DataFrame:
    """Per gold conflict: is it flagged and shown? Per non-conflict: is it left unflagged?"""
    gold = load_gold(gold_path)
    table = _read_output(Path(out_dir) / "fact_table.csv", TABLE_COLUMNS)
    values = _read_output(Path(out_dir) / "fact_values.csv", VALUE_COLUMNS)
    doc_ids = [*gold.docs, *(d for c in (*gold.conflicts, *gold.non_conflicts) for d in c.values)]
    rows = _table_rows(table, values, doc_ids)
    subjects = _Subjects(gold)
    results: list[dict[str, Any]] = []
    for check in gold.conflicts:
        ok, detail = _conflict_result(check, rows, subjects)
        results.append({"case": gold.case, "kind": "conflict", "predicate": check.predicate,
                        "detail": detail, "required": check.required, "ok": ok})
    # rows showing a gold conflict are rightly flagged, whatever else they hold
    explained = {i for i, row in enumerate(rows) for c in gold.conflicts
                 if row.flagged and (cells := _fit(c, row, subjects)) is not None
                 and _shows_conflict(c, cells)}
    for check in gold.non_conflicts:
        wrong = [row for i, row in enumerate(rows)
                 if row.flagged and i not in explained
                 and (cells := _fit(check, row, subjects)) is not None
                 and (not check.values or _shown(check, cells))]
        detail = _describe(check) + (
            ": wrongly flagged in " + "; ".join(f"'{r.key}' ({r.status})" for r in wrong)
            if wrong
            else ": not flagged")
        results.append({"case": gold.case, "kind": "non_conflict", "predicate": check.predicate,
                        "detail": detail, "required": check.required, "ok": not wrong})
    return pd.DataFrame(results, columns=CONFLICT_COLUMNS).astype(
        {"required": bool, "ok": bool})


def conflict_failures(results: pd.DataFrame) -> list[str]:
    """Missing required conflicts and flagged non-conflicts: the checks that fail a run."""
    failing = results[~results["ok"] & (results["required"] | (results["kind"] == "non_conflict"))]
    return [f"{r.case}: {r.kind} {r.predicate} {r.detail}" for r in failing.itertuples()]


def threshold_failures(scores: pd.DataFrame, thresholds: dict[str, float]) -> list[str]:
    """Rows (documents and ALL) whose F1 is below the area's minimum."""
    failures = []
    for area, minimum in thresholds.items():
        if minimum <= 0:
            continue
        low = scores[(scores["area"] == area) & (scores["f1"] < minimum - 1e-9)]
        failures += [f"{r.case}/{r.doc_id}: {area} F1 {r.f1:.3f} < {minimum:.3f}"
                     for r in low.itertuples()]
    return failures


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def _console() -> Console:
    """Wide enough for the detail column when the output is a log, not a terminal."""
    console = Console(highlight=False, markup=False)
    return console if console.is_terminal else Console(highlight=False, markup=False, width=160)


def _print_frame(console: Console, frame: pd.DataFrame, title: str) -> None:
    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column]) and frame[column].dtype != bool
        table.add_column(str(column), justify="right" if numeric else "left", overflow="fold")
    for values in frame.itertuples(index=False):
        table.add_row(*[f"{v:.3f}" if isinstance(v, float)
                        else ("yes" if v else "no") if isinstance(v, bool) else str(v)
                        for v in values])
    console.print(table)


def _add_thresholds(parser: argparse.ArgumentParser) -> None:
    for area in AREAS:
        parser.add_argument(f"--min-{area}-f1", type=float, default=0.0, metavar="X",
                            help=f"fail when {area} F1 is below X (default 0: no check)")


def _thresholds(args: argparse.Namespace) -> dict[str, float]:
    return {area: getattr(args, f"min_{area}_f1") for area in AREAS}


def main_evaluate(argv: list[str] | None = None) -> int:
    """``evaluate GOLD.yaml --out DIR``: 0 when all checks pass, 1 when one fails, 2 on error."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline evaluate",
        description="Score an output folder against a gold YAML (SCHEMA.md, 'Gold files').")
    parser.add_argument("gold", type=Path, help="gold YAML, e.g. ../shared/gold/seeds.yaml")
    parser.add_argument("--out", type=Path, required=True, help="the pipeline's output folder")
    _add_thresholds(parser)
    args = parser.parse_args(argv)
    try:
        scores = score(args.gold, args.out)
        conflicts = check_conflicts(args.gold, args.out)
        missing = missing_documents(args.gold, args.out)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 2
    console = _console()
    if missing:
        console.print(f"warning: documents.csv lacks gold document(s): {', '.join(missing)}")
    _print_frame(console, scores.drop(columns="case"), f"Scores: {args.gold} vs {args.out}")
    _print_frame(console, conflicts.drop(columns="case"), "Conflicts and non-conflicts")
    failures = threshold_failures(scores, _thresholds(args)) + conflict_failures(conflicts)
    for failure in failures:
        console.print(f"FAIL {failure}")
    console.print("evaluate: " + ("FAILED" if failures else "passed"))
    return 1 if failures else 0


@dataclass(frozen=True)
class EvalCase:
    """A gold file and the texts it describes."""

    name: str
    gold: Path
    texts: tuple[Path, ...]


def discover_cases(shared: Path, repo: Path = REPO_DIR) -> list[EvalCase]:
    """The seeds, every ``<shared>/cases/*/gold.yaml``, every ``tests/data/cases/*/gold.yaml``."""
    cases: list[EvalCase] = []
    seeds_gold = Path(shared) / "gold" / "seeds.yaml"
    if seeds_gold.is_file():
        cases.append(EvalCase("seeds", seeds_gold, tuple(sorted((repo / "seeds").glob("*.txt")))))
    roots = ((Path(shared) / "cases", ""), (repo / "tests" / "data" / "cases", "tests-"))
    for root, prefix in roots:
        if not root.is_dir():
            continue
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            if not (folder / "gold.yaml").is_file():
                continue
            taken = {c.name for c in cases}
            name = folder.name if folder.name not in taken else prefix + folder.name
            cases.append(EvalCase(name, folder / "gold.yaml", tuple(sorted(folder.glob("*.txt")))))
    return cases


def main_eval_all(argv: list[str] | None = None) -> int:
    """``eval-all --shared DIR``: run and score every gold case; report only unless thresholds.

    Thresholds apply to the micro F1 over all cases; a
    missing required conflict or a flagged non-conflict also fails it (``--lenient-conflicts``:
    report only); a
    missing required conflict or a flagged non-conflict. A case whose run crashes fails the
    command (exit 1) after the other cases are scored; a pipeline that cannot be imported, an
    unknown ``--case`` or a missing shared folder exit 2.
    """
    parser = argparse.ArgumentParser(
        prog="python -m pipeline eval-all",
        description="Run the pipeline on the seeds and every gold case, then score each.")
    parser.add_argument("--shared", type=Path, default=REPO_DIR.parent / "shared",
                        help="the shared folder with gold/ and cases/ (default ../shared)")
    parser.add_argument("--out", type=Path, default=Path("outputs") / "eval",
                        help="outputs go to OUT/<case>/ (default outputs/eval)")
    parser.add_argument("--case", action="append", default=[], metavar="NAME",
                        help="only this case (repeatable)")
    parser.add_argument("--no-run", action="store_true",
                        help="score the outputs already in OUT/<case>/ without running")
    parser.add_argument("--lenient-conflicts", action="store_true",
                        help="report a missing required conflict or a flagged non-conflict "
                             "without failing (by default either makes the exit code 1)")
    parser.add_argument("--orgs-file", type=Path, default=None, metavar="PATH",
                        help="listed organisations to run with (default: the package's "
                             "orgs.yaml; an empty file measures the pipeline on organisations "
                             "found in the text alone)")
    _add_thresholds(parser)
    args = parser.parse_args(argv)
    if not args.shared.is_dir():
        print(f"eval-all: shared folder {args.shared} not found", file=sys.stderr)
        return 2
    cases = discover_cases(args.shared, REPO_DIR)
    unknown = set(args.case) - {c.name for c in cases}
    if unknown:
        print(f"eval-all: unknown case(s) {', '.join(sorted(unknown))}; known: "
              + ", ".join(c.name for c in cases), file=sys.stderr)
        return 2
    cases = [c for c in cases if not args.case or c.name in args.case]
    console = _console()
    run: Callable[..., RunResult] | None = None
    if not args.no_run:
        try:
            from pipeline.runtime.run import (
                run,  # lazily: the pipeline and its models load only here
            )
        except ImportError:
            console.print(traceback.format_exc())
            print("eval-all: the pipeline cannot be imported (see above)", file=sys.stderr)
            return 2
    from dataclasses import replace

    from pipeline.core.config import DEFAULT

    settings = DEFAULT if args.orgs_file is None else replace(DEFAULT, orgs_file=args.orgs_file)
    if args.orgs_file is not None and not args.orgs_file.is_file():
        print(f"eval-all: organisations file {args.orgs_file} not found", file=sys.stderr)
        return 2
    scores, conflicts, errors = [], [], []
    for case in cases:
        out_dir = args.out / case.name
        try:
            if run is not None:
                run(list(case.texts), out_dir, settings, quiet=True)
            scores.append(score(case.gold, out_dir))
            conflicts.append(check_conflicts(case.gold, out_dir))
        except Exception as exc:  # one broken case must not hide the others' results
            errors.append(f"{case.name}: {type(exc).__name__}: {exc}")
            console.print(f"error in case {case.name}:\n{traceback.format_exc()}")
    if scores:
        all_scores = pd.concat(scores, ignore_index=True)
        all_conflicts = pd.concat(conflicts, ignore_index=True)
        per_case = all_scores[all_scores["doc_id"] == ALL_DOCS]
        overall = micro(all_scores[all_scores["doc_id"] != ALL_DOCS], ALL_DOCS)
        _print_frame(console, overall.drop(columns=["case", "doc_id"]),
                     f"Micro scores over {len(scores)} case(s)")
        _print_frame(console, per_case.drop(columns="doc_id"), "Per case")
        _print_frame(console, all_conflicts, "Conflicts and non-conflicts per case")
        args.out.mkdir(parents=True, exist_ok=True)
        pd.concat([all_scores, overall], ignore_index=True).to_csv(args.out / "scores.csv",
                                                                   index=False)
        all_conflicts.to_csv(args.out / "conflicts.csv", index=False)
        failures = threshold_failures(overall, _thresholds(args))
        if not args.lenient_conflicts:
            failures += conflict_failures(all_conflicts)
    else:
        failures = []
    failures += errors
    for failure in failures:
        console.print(f"FAIL {failure}")
    return 1 if failures else 0
