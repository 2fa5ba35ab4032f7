"""Facts of all documents → consolidated fact table rows, each graded and explained.

Facts are grouped by key with a dictionary (a hash join, linear in the number of facts). The key
is (subject, predicate, what the fact is about):

- member: the country; a departure (``left`` or ``suspended``, one event however a text calls
  it) has a row of its own with role ``left``, each value keeping its own role; founding /
  joined / plain membership share one row so that they can be compared;
- non_member: the country; member facts of other documents about that country join the row;
- member_count: the time it holds (``Fact.as_of``, see pipeline/timing.py): counts at the
  founding share the row with role ``founding`` (whatever founding date each document gives),
  other dated counts one row per year (compared only where their dates can be one time),
  counts of unknown time one row;
- founded: the role (founding, re-established, launched); leader: the role (the office);
  founder, headquarters: none.

Grades (SCHEMA.md): ``conflict``: two stated values (a count of a list introduced as complete
counts as stated) at compatible times that cannot both be true; ``possible_conflict``: a
difference a reviewer should see although one side is derived from a partial list (a lower
bound) or no time is known for it; ``refines``, ``agree``, ``single_source``. Two holders of one
office are a succession unless both are dated to the same time. Only ``conflict`` sets the
``conflict`` flag.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.core.records import Fact, FactRow
from pipeline.core.schema import (
    DEPARTURE_ROLES,
    CellValue,
    Predicate,
    Role,
    Status,
    Tense,
    TimeSource,
    how_phrase,
    time_phrase,
)
from pipeline.normalize.orgs import org_id
from pipeline.timing import same_time

__all__ = ["DEPARTURE_ROLES", "STATUSES", "date_relation", "fact_key", "reconcile"]

STATUSES = tuple(Status)
# The run's subject in the key a conflict_id is made from (so a new display label keeps ids).
SUBJECT_PLACEHOLDER = "*"
FOUNDING_ROW = "founding"


def date_relation(a: str, b: str) -> str:
    """'same', 'refines' (one is a prefix at coarser precision), 'differ' or 'unknown'."""
    if not a or not b:
        return "unknown"
    if a == b:
        return "same"
    if same_time(a, b):
        return "refines"
    return "differ"


def _at_founding(f: Fact) -> bool:
    return f.as_of_source == TimeSource.FOUNDING


def fact_key(f: Fact) -> tuple[str, ...]:
    """(subject, predicate, object, time bucket, role) of the row this fact belongs to."""
    if f.predicate == Predicate.MEMBER:
        role = str(Role.LEFT) if f.role in DEPARTURE_ROLES else ""
        return (f.subject, "member", f.object_kb_id, "", role)
    if f.predicate == Predicate.NON_MEMBER:
        return (f.subject, "non_member", f.object_kb_id, "", "")
    if f.predicate == Predicate.MEMBER_COUNT:
        if _at_founding(f):
            return (f.subject, "member_count", "", "", FOUNDING_ROW)
        return (f.subject, "member_count", "", f.as_of[:4], "")
    if f.predicate in (Predicate.FOUNDED, Predicate.LEADER):
        return (f.subject, str(f.predicate), "", "", f.role)
    return (f.subject, f.predicate, f.object_kb_id if f.predicate not in (
        Predicate.FOUNDER, Predicate.HEADQUARTERS) else "", "", "")


def bare_value(f: Fact) -> str:
    """The value a document gives, without decoration (SCHEMA.md fact_table cells)."""
    if f.predicate == Predicate.MEMBER:
        return f.when or f.role or "member"
    if f.predicate == Predicate.NON_MEMBER:
        return f.role or "non-member"
    if f.predicate == Predicate.MEMBER_COUNT:
        return f.value
    if f.predicate == Predicate.FOUNDED:
        return f.when
    return f.object_kb_id or f.value


def is_lower_bound(f: Fact) -> bool:
    """A count derived from a list not introduced as complete: at least this many."""
    return f.predicate == Predicate.MEMBER_COUNT and f.derived and not f.complete


def cells_of(facts: list[Fact]) -> tuple[CellValue, ...]:
    """One typed value per distinct (document, value, time, role, derivation), in fact order."""
    merged: dict[tuple[object, ...], CellValue] = {}
    for f in facts:
        cell = CellValue(doc_id=f.doc_id, value=bare_value(f), when=f.when, as_of=f.as_of,
                         as_of_source=str(f.as_of_source), derived=f.derived,
                         lower_bound=is_lower_bound(f), role=f.role, fact_ids=(f.fact_id,))
        k = (cell.doc_id, cell.value, cell.when, cell.as_of, cell.as_of_source, cell.derived,
             cell.lower_bound, cell.role)
        old = merged.get(k)
        merged[k] = cell if old is None else replace(
            old, fact_ids=tuple(dict.fromkeys((*old.fact_ids, f.fact_id))))
    return tuple(merged.values())


def subject_aliases(subject: str, orgs_file: Path | None = None) -> frozenset[str]:
    """The run subject as written and as the kb_id its name resolves to ("Collective Security
    Treaty Organization" and "CSTO")."""
    if not subject:
        return frozenset()
    return frozenset(x for x in (subject, org_id(subject, orgs_file=orgs_file)) if x)


def reconcile(facts: list[Fact], doc_ids: list[str], subject: str = "",
              orgs_file: Path | None = None) -> list[FactRow]:
    """One row per fact key, in a stable order, with grade and explanation.

    ``subject``: the run's subject (a kb_id or a name): facts about it under its name or its
    kb_id share rows, and it is replaced in the key the conflict_id is made from.
    """
    # Facts that did not pass the timing step (pipeline/timing.py) hold at their own date.
    facts = [replace(f, as_of=f.when, as_of_source=str(TimeSource.STATED))
             if f.when and not f.as_of and not f.as_of_source else f for f in facts]
    aliases = subject_aliases(subject, orgs_file)
    if aliases:
        facts = [replace(f, subject=subject) if f.subject in aliases and f.subject != subject
                 else f for f in facts]
    groups: dict[tuple[str, ...], list[Fact]] = defaultdict(list)
    for f in facts:
        groups[fact_key(f)].append(f)
    # A document whose only founding event is a launch ("launched on 25 March 2015") is compared
    # with the founding dates of the others too: for it, the launch is the founding.
    plain_docs = {(f.subject, f.doc_id) for f in facts if f.predicate == "founded" and not f.role}
    for f in facts:
        if f.predicate == "founded" and f.role == Role.LAUNCHED and (
                f.subject, f.doc_id) not in plain_docs:
            groups[(f.subject, "founded", "", "", "")].append(f)
    # Membership facts also join the non_member row of the same country (side by side).
    for k in list(groups):
        subj, pred, obj, _, _ = k
        if pred == "non_member":
            groups[k].extend(groups.get((subj, "member", obj, "", ""), []))
    # Founding lists, for the founding member_count rows.
    founding_sets: dict[str, dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
    for f in facts:
        if f.predicate == Predicate.MEMBER and f.role == Role.FOUNDING and f.object_kb_id:
            founding_sets[f.subject][f.doc_id].append(f)
    # Departures per (subject, country): a second join date is a rejoin only after one.
    departures: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in facts:
        if f.predicate == Predicate.MEMBER and f.role in DEPARTURE_ROLES:
            departures[(f.subject, f.object_kb_id)].append(f.when)
    # An undated article is no older than the latest date it mentions (any subject); the
    # subject's membership changed in the years of its joins and departures.
    latest: dict[str, str] = {}
    changes: dict[str, set[str]] = defaultdict(set)
    for f in facts:
        if f.when and f.when[:4] > latest.get(f.doc_id, ""):
            latest[f.doc_id] = f.when[:4]
        if f.predicate == Predicate.MEMBER and f.when and f.role in (Role.JOINED,
                                                                     *DEPARTURE_ROLES):
            changes[f.subject].add(f.when[:4])
    position = {d: i for i, d in enumerate(doc_ids)}
    rows = []
    for k in sorted(groups):
        subj, pred, obj, when, role = k
        fs = sorted(groups[k], key=lambda f: (position.get(f.doc_id, len(position)), f.start))
        if pred == "member_count" and role == FOUNDING_ROW:
            status, explanation = _judge_founding_counts(fs, founding_sets.get(subj, {}))
        elif pred == "member" and not role:
            status, explanation = _judge_joins(fs, departures.get((subj, obj), []))
        else:
            status, explanation = judge(pred, fs, ArticleTimes(latest, changes[subj]))
        id_key = "|".join((SUBJECT_PLACEHOLDER if subj in aliases else subj,
                           *k[1:]))
        rows.append(FactRow(key="|".join(k), subject=subj, predicate=pred, object_kb_id=obj,
                            when=when, role=role, cells=cells_of(fs), facts=tuple(fs),
                            status=str(status), conflict=status == Status.CONFLICT,
                            explanation=explanation, id_key=id_key))
    return rows


@dataclass(frozen=True)
class ArticleTimes:
    """What places undated articles in time: the year of each one's latest dated event, and
    the years the subject's membership changed (joins, departures)."""

    latest: dict[str, str] = field(default_factory=dict)
    changes: set[str] = field(default_factory=set)

    def apart(self, a: str, b: str) -> bool:
        """Whether two undated articles' present counts may count different memberships: the
        membership changed between the years of their latest events."""
        ya, yb = sorted((self.latest.get(a, ""), self.latest.get(b, "")))
        return ya != yb and any(ya < y <= yb for y in self.changes)


def judge(pred: str, fs: list[Fact], times: ArticleTimes | None = None
          ) -> tuple[Status, str]:
    """Grade and reason for the facts of one row."""
    docs = sorted({f.doc_id for f in fs})
    by_doc: dict[str, list[Fact]] = defaultdict(list)
    for f in fs:
        by_doc[f.doc_id].append(f)
    if pred == "member_count":
        return _judge_counts(fs, times=times or ArticleTimes())
    if len(docs) < 2:
        return Status.SINGLE_SOURCE, f"only {docs[0]} states this" if docs else ""
    if pred in ("founded", "member"):
        return _judge_dates(pred, by_doc)
    if pred == "non_member":
        return _judge_non_member(by_doc)
    if pred == "leader":
        return _judge_leaders(fs)
    if pred in ("founder", "headquarters"):
        return _judge_sets(pred, by_doc)
    return Status.AGREE, ""


# --- times ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _When:
    """A statement's time as reconciliation compares it: ``kind`` founding (at the founding,
    ``date`` the founding date where given), date (``date`` stated or the article's), present
    (an undated present-tense statement of an article without a date) or unknown."""

    kind: str
    date: str = ""


def when_of(f: Fact) -> _When:
    if _at_founding(f):
        return _When("founding", f.as_of)
    if f.as_of:
        return _When("date", f.as_of)
    if f.tense in (Tense.PRESENT, Tense.UNKNOWN):
        return _When("present")
    return _When("unknown")


def time_words(f: Fact) -> str:
    """Where in time a fact stands, in words, for explanations."""
    return time_phrase(f.as_of, TimeSource.FOUNDING if _at_founding(f) else f.as_of_source)


def compare_times(a: Fact, b: Fact) -> str:
    """'same' (compatible times), 'maybe' (both undated present statements of two articles whose
    dates are unknown), or 'different' (different times, or too little known to compare)."""
    ta, tb = when_of(a), when_of(b)
    if ta.kind == "founding" and tb.kind == "founding":
        return "same"
    if "founding" in (ta.kind, tb.kind) and "date" in (ta.kind, tb.kind):
        return "same" if same_time(ta.date, tb.date) else "different"
    if ta.kind == "date" and tb.kind == "date":
        return "same" if same_time(ta.date, tb.date) else "different"
    if ta.kind == "present" and tb.kind == "present":
        # Two present-tense statements of one article hold at that article's time.
        return "same" if a.doc_id == b.doc_id else "maybe"
    return "different"


# --- counts ---------------------------------------------------------------------------------


def _side(f: Fact) -> str:
    """One document's count in words: the value (a lower bound: "at least"), how it was
    obtained, and when it holds."""
    low = is_lower_bound(f)
    value = f"at least {f.value}" if low else f.value
    return f"{f.doc_id} gives {value} ({how_phrase(f.derived, low)}; {time_words(f)})"


def _count_pairs(fs: list[Fact], times: ArticleTimes
                 ) -> tuple[list[tuple[Fact, Fact]], list[tuple[Fact, Fact, str]]]:
    """Pairs of different counts that contradict (conflicts) and that a reviewer should see
    (possible conflicts, with the reason they are only possible).

    Undated present counts of two articles are not shown when the subject's membership changed
    between the years of the two articles' latest dated events (``times``): they count
    different memberships.

    Compared per pair of distinct values, not per pair of facts: dated counts are taken once per
    (value, time, kind), undated present ones once per document, so a row that many documents
    share stays cheap.
    """
    by_value: dict[str, dict[tuple[object, ...], Fact]] = defaultdict(dict)
    for f in fs:
        if f.tense == Tense.FUTURE:
            continue
        t = when_of(f)
        sig = (t, is_lower_bound(f), f.doc_id if t.kind == "present" else "")
        by_value[f.value].setdefault(sig, f)
    conflicts: list[tuple[Fact, Fact]] = []
    possible: list[tuple[Fact, Fact, str]] = []

    def own_list(a: Fact, b: Fact) -> bool:
        """A list counted in the very sentence that states the total ("six states, namely
        A, B, C, D, E"): the stated total stands, the short list is no second claim."""
        return a.doc_id == b.doc_id and a.start == b.start and (
            is_lower_bound(a) != is_lower_bound(b))

    def both_bounds(a: Fact, b: Fact) -> bool:
        """"At least 4" and "at least 8" (two partial lists) never contradict each other. A
        partial list against a stated total stays possible either way: the list may be read in
        part (SCHEMA "possible_conflict")."""
        return is_lower_bound(a) and is_lower_bound(b)

    def lower_bound_reason(a: Fact, b: Fact) -> str:
        weak = a if is_lower_bound(a) else b
        return (f"{weak.doc_id}'s count comes from a partial or running list: a lower bound, "
                "not a stated total")

    values = sorted(by_value, key=lambda v: (len(v), v))
    for i, v1 in enumerate(values):
        for v2 in values[i + 1:]:
            first, second = list(by_value[v1].values()), list(by_value[v2].values())
            # dated counts and counts at the founding: few per value
            for a in (x for x in first if when_of(x).kind in ("date", "founding")):
                for b in (y for y in second if when_of(y).kind in ("date", "founding")):
                    if compare_times(a, b) != "same" or own_list(a, b) or both_bounds(a, b):
                        continue
                    if is_lower_bound(a) or is_lower_bound(b):
                        possible.append((a, b, lower_bound_reason(a, b)))
                    else:
                        conflicts.append((a, b))
            # undated present-tense counts: one article's hold at one time
            pa = {x.doc_id: x for x in first if when_of(x).kind == "present"}
            pb = {y.doc_id: y for y in second if when_of(y).kind == "present"}
            for d in sorted(pa.keys() & pb.keys()):
                a, b = pa[d], pb[d]
                if own_list(a, b) or both_bounds(a, b):
                    continue
                if is_lower_bound(a) or is_lower_bound(b):
                    possible.append((a, b, lower_bound_reason(a, b)))
                else:
                    conflicts.append((a, b))
            sa = {d: x for d, x in pa.items() if not is_lower_bound(x)}
            sb = {d: y for d, y in pb.items() if not is_lower_bound(y)}
            pair = next(((x, y) for x in sa.values() for y in sb.values()
                         if x.doc_id != y.doc_id and not times.apart(x.doc_id, y.doc_id)),
                        None) if len(sa.keys() | sb.keys()) > 1 else None
            if pair is not None:
                x, y = pair
                possible.append((x, y, f"neither {x.doc_id} nor {y.doc_id} dates its count, so "
                                       "they may be counts at different times"))
    return conflicts, possible


def _judge_counts(fs: list[Fact], notes: tuple[str, ...] = (),
                  lists_differ: bool = False, times: ArticleTimes | None = None
                  ) -> tuple[Status, str]:
    """Grade of a member_count row; ``notes`` name founding-list differences, and
    ``lists_differ`` (two complete founding lists that are not the same set) is a conflict."""
    conflicts, possible = _count_pairs(fs, times or ArticleTimes())
    docs = sorted({f.doc_id for f in fs})
    tail = "".join(f". {n}" for n in notes)
    if conflicts:
        pairs = "; ".join(f"{_side(a)} vs {_side(b)}" for a, b in conflicts[:4])
        return Status.CONFLICT, "different member counts at compatible times: " + pairs + tail
    if lists_differ:
        return Status.CONFLICT, "the complete founding lists are not the same set" + tail
    if possible:
        pairs = "; ".join(f"{_side(a)} vs {_side(b)}: only possible, because {why}"
                          for a, b, why in possible[:4])
        return Status.POSSIBLE_CONFLICT, "different member counts: " + pairs + tail
    values = sorted({f.value for f in fs}, key=lambda v: (len(v), v))
    if len(docs) < 2:
        if len(values) > 1:
            return Status.SINGLE_SOURCE, (f"only {docs[0]} states this; its counts "
                                          f"{', '.join(values)} are at different times" + tail)
        return Status.SINGLE_SOURCE, f"only {docs[0]} states this" + tail
    if len(values) == 1:
        return Status.AGREE, f"all documents give {values[0]} at compatible times" + tail
    return Status.AGREE, ("no two counts at compatible times differ: "
                          + "; ".join(_side(f) for f in fs[:6]) + tail)


def _judge_founding_counts(fs: list[Fact], lists: dict[str, list[Fact]]) -> tuple[Status, str]:
    """Counts at the founding, and the founding lists behind them: two complete lists are
    compared as sets ("en lists YEM; hi does not"), and a stated count against another
    document's counted list of another length names the states the list lacks or adds, where
    the document with the count names founding members too."""
    docs_here = {f.doc_id for f in fs}
    named = {d: {f.object_kb_id for f in members} for d, members in lists.items()}
    complete = {d: named[d] for d, members in lists.items()
                if d in docs_here and any(f.complete for f in members)}
    notes: list[str] = []
    docs = sorted(complete)
    for i, d1 in enumerate(docs):
        for d2 in docs[i + 1:]:
            for a, b in ((d1, d2), (d2, d1)):
                only = sorted(complete[a] - complete[b])
                if only:
                    notes.append(f"{a} lists {', '.join(only)}; {b} does not")
    # Lists counted in this row (complete or not) against the founding counts others state.
    counted = sorted({f.doc_id for f in fs if f.derived and f.doc_id in named
                      and f.value == str(len(named[f.doc_id]))})
    for f in fs:
        if f.derived or f.doc_id in complete:
            continue
        for d in counted:
            members = named[d]
            if d == f.doc_id or str(len(members)) == f.value:
                continue
            text = f"{f.doc_id} states {f.value} founding members; {d} lists {len(members)}"
            theirs = named.get(f.doc_id, set())
            if theirs - members:
                text += (f"; {d}'s list lacks {', '.join(sorted(theirs - members))}, which "
                         f"{f.doc_id} names")
            # extra states only when the other document names a good part of its founders
            if len(theirs) > 1 and 0 < len(members - theirs) <= len(members) // 2:
                text += (f"; {d} lists {', '.join(sorted(members - theirs))}, which "
                         f"{f.doc_id} does not name")
            notes.append(text)
    sets = list(complete.values())
    differ = any(s != sets[0] for s in sets[1:])
    return _judge_counts(fs, tuple(dict.fromkeys(notes)), differ)


# --- dates of events ------------------------------------------------------------------------


def _judge_dates(pred: str, by_doc: dict[str, list[Fact]]) -> tuple[Status, str]:
    # For membership, roles must agree first: a founding member is not a later joiner.
    if pred == "member":
        roles = {
            d: {f.role for f in fs if f.role in ("founding", "joined")} for d, fs in by_doc.items()
        }
        founding = [d for d, r in roles.items() if r == {"founding"}]
        joined = [d for d, r in roles.items() if r == {"joined"}]
        if founding and joined:
            jw = [f.when for d in joined for f in by_doc[d] if f.role == "joined" and f.when]
            fw = [f.when for d in founding for f in by_doc[d] if f.role == "founding" and f.when]
            if not (jw and fw and all(same_time(a, b) for a in jw for b in fw)):
                return Status.CONFLICT, (
                    f"{', '.join(founding)} call it a founding member; "
                    f"{', '.join(joined)} say it joined later"
                )
    # A founding member dated by its document's founding date is compared on the founding row,
    # not here again (1926 and 1931 founding dates give one conflict, not one per state).
    dated = [(d, f.when) for d, fs in sorted(by_doc.items()) for f in fs
             if f.when and not (pred == "member" and _at_founding(f))]
    if len({d for d, _ in dated}) < 2:
        return Status.AGREE, "the documents agree; at most one gives a date"
    whens = sorted({w for _, w in dated})
    rels = {date_relation(a, b) for a in whens for b in whens if a < b}
    if "differ" in rels:
        # Within a document several dates can be stated; a conflict needs two documents whose
        # dates cannot be the same event.
        docs_dates = defaultdict(set)
        for d, w in dated:
            docs_dates[d].add(w)
        items = sorted(docs_dates.items())
        for i, (_d1, w1) in enumerate(items):
            for _d2, w2 in items[i + 1:]:
                if not any(same_time(a, b) for a in w1 for b in w2):
                    what = (
                        "founding dates" if pred == "founded" else "dates for this membership event"
                    )
                    return Status.CONFLICT, (
                        f"{what} that cannot be the same day: "
                        + "; ".join(f"{d}: {', '.join(sorted(w))}" for d, w in items)
                    )
    if "refines" in rels:
        return Status.REFINES, "the same date at different precisions: " + ", ".join(whens)
    return Status.AGREE, f"all documents give {whens[0]}"


def _judge_joins(fs: list[Fact], departures: list[str]) -> tuple[Status, str]:
    """A membership row: one document giving two join dates that cannot be one day, with no
    departure between them (a state joins again only after leaving), contradicts itself; else
    the rules of ``_judge_dates``."""
    by_doc: dict[str, list[Fact]] = defaultdict(list)
    for f in fs:
        by_doc[f.doc_id].append(f)
    for d, dfs in sorted(by_doc.items()):
        joins = sorted({f.when for f in dfs if f.role == Role.JOINED and f.when})
        for i, a in enumerate(joins):
            for b in joins[i + 1:]:
                if same_time(a, b):
                    continue
                between = [w for w in departures if not w or a < w < b]
                if not between:
                    return Status.CONFLICT, (
                        f"{d} gives two dates for joining, {a} and {b}, that cannot be the same "
                        "day, with no departure between them")
    if len(by_doc) < 2:
        docs = sorted(by_doc)
        return Status.SINGLE_SOURCE, f"only {docs[0]} states this" if docs else ""
    return _judge_dates("member", by_doc)


# --- membership against non-membership -----------------------------------------------------


def _judge_non_member(by_doc: dict[str, list[Fact]]) -> tuple[Status, str]:
    """Member in one text, non-member in another: a conflict only at compatible times; with a
    time unknown on either side a possible conflict. Observer status and candidacy precede
    admission: they are not compared with a membership."""
    facts = [f for fs in by_doc.values() for f in fs if f.tense != Tense.FUTURE]
    before = (Role.OBSERVER, Role.CANDIDATE)
    non = [f for f in facts if f.predicate == "non_member" and f.role not in before]
    observers = sorted({f.doc_id for f in facts if f.role in before})
    mem = [f for f in facts if f.predicate == "member" and f.role not in DEPARTURE_ROLES]
    non_docs = {n.doc_id for n in non}
    mem = [f for f in mem if f.doc_id not in non_docs]
    if non and mem:
        # only the times matter for the grade: one fact per time on each side (linear in docs)
        mem = list({f.as_of: f for f in reversed(mem)}.values())
        non = list({f.as_of: f for f in reversed(non)}.values())
        rels = {(m.doc_id, n.doc_id): _membership_times(m, n) for m in mem for n in non}
        same = sorted(k for k, r in rels.items() if r == "same")
        unknown = sorted(k for k, r in rels.items() if r == "unknown")
        if same:
            m, n = same[0]
            return Status.CONFLICT, (f"{m} calls it a member and {n} says it is not, at "
                                     "compatible times")
        if unknown:
            m, n = unknown[0]
            return Status.POSSIBLE_CONFLICT, (
                f"{m} calls it a member and {n} says it is not; only possible, because no "
                "time is known for at least one of the two statements")
        return Status.AGREE, "member and non-member at different times"
    members = sorted({f.doc_id for f in mem})
    if observers and members:
        return Status.AGREE, (
            f"{', '.join(observers)} call it an observer or a candidate, "
            f"{', '.join(members)} a member: observer status and candidacy precede admission, "
            "so both can be true at their times"
        )
    return Status.AGREE, "all documents that mention it call it a non-member"


def _membership_times(m: Fact, n: Fact) -> str:
    tm, tn = m.as_of, n.as_of
    if not tm or not tn:
        return "unknown"
    return "same" if same_time(tm, tn) else "different"


# --- offices and sets -----------------------------------------------------------------------


def _judge_leaders(fs: list[Fact]) -> tuple[Status, str]:
    """Different holders of one office conflict only when both are dated to one time; otherwise
    they are a succession (SCHEMA.md)."""
    holders = {f.object_kb_id or f.value for f in fs}
    if len(holders) == 1:
        return Status.AGREE, f"all documents name {holders.pop()}"
    # one fact per (holder, time): many documents naming the same holder stay linear
    timed = list({(f.object_kb_id or f.value, f.as_of): f for f in reversed(fs)}.values())[::-1]
    for i, a in enumerate(timed):
        for b in timed[i + 1:]:
            if (a.object_kb_id or a.value) == (b.object_kb_id or b.value):
                continue
            if a.as_of and b.as_of and same_time(a.as_of, b.as_of):
                return Status.CONFLICT, (
                    f"two holders of this office at one time: {a.doc_id} names "
                    f"{a.object_kb_id or a.value} ({time_words(a)}), {b.doc_id} names "
                    f"{b.object_kb_id or b.value} ({time_words(b)})")
    listed = "; ".join(f"{f.doc_id}: {f.object_kb_id or f.value} ({time_words(f)})"
                       for f in timed[:8])
    return Status.AGREE, ("different holders at different or unknown times: a succession, not "
                          "a conflict: " + listed)


def _judge_sets(pred: str, by_doc: dict[str, list[Fact]]) -> tuple[Status, str]:
    sets = {d: {f.object_kb_id or f.value for f in fs} for d, fs in by_doc.items()}
    union = set().union(*sets.values())
    if all(s == union for s in sets.values()):
        return Status.AGREE, f"all documents name {', '.join(sorted(union))}"
    docs = sorted(sets)
    for i, d1 in enumerate(docs):
        for d2 in docs[i + 1:]:
            if not sets[d1] & sets[d2]:
                return Status.CONFLICT, f"different {pred}: " + "; ".join(
                    f"{d}: {', '.join(sorted(s))}" for d, s in sorted(sets.items())
                )
    return Status.REFINES, "overlapping names: " + "; ".join(
        f"{d}: {', '.join(sorted(s))}" for d, s in sorted(sets.items())
    )
