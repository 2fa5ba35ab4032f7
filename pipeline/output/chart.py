"""Membership over time: each document's member counts at their times, its joins and departures,
and the conflicts between them, drawn as an inline SVG with matplotlib (nothing loaded from the
network, so it works in the mailed report.html and in the review app alike).

The chart reads typed facts (``Fact``: predicate, value, ``as_of`` or ``when``, derived, role)
and fact rows (``FactRow``: which counts conflict), never display strings. A time written as a
year is drawn at mid-year with a bar over the whole year, a month at mid-month: the precision
the text gave is visible, and "2015" and "15 December 2015" are not drawn as different times.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from pipeline.core.config import DEFAULT
from pipeline.core.records import Fact, FactRow
from pipeline.core.schema import DEPARTURE_ROLES, Predicate

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

JOIN_ROLES = frozenset({"joined"})
# Colours: matplotlib's tab10 (distinct for colour-blind readers in its first entries).
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
          "#bcbd22", "#17becf", "#d62728")
CONFLICT_COLOR = "#cf222e"
RESOLVED_COLOR = "#1a7f37"
_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
MAX_EVENT_LABELS = 6  # country codes written beside one join/departure marker


def time_span(text: str) -> tuple[float, float] | None:
    """An ISO 8601 time at its precision as (midpoint, half-width) in fractional years."""
    m = _ISO.match(text.strip())
    if not m:
        return None
    year = int(m.group(1))
    if not m.group(2):
        return year + 0.5, 0.5
    month = int(m.group(2))
    if not 1 <= month <= 12:
        return None
    if not m.group(3):
        return year + (month - 0.5) / 12, 0.5 / 12
    try:
        day = date(year, month, int(m.group(3)))
    except ValueError:
        return None
    return year + (day.timetuple().tm_yday - 0.5) / 365.25, 0.0


def fact_time(f: Fact) -> str:
    """The time a statement holds: ``as_of`` where the fact stage set it, else its ``when``."""
    return f.as_of or f.when


@dataclass(frozen=True)
class Point:
    doc_id: str
    value: int
    time: str
    derived: bool
    conflict_id: str = ""  # the conflict row this count is part of
    resolved: bool = False
    evidence: str = ""

    @property
    def gid(self) -> str:
        """The SVG element id: tests and readers find a point by document, value and time."""
        return f"count-{self.doc_id}-{self.value}-{self.time}"


@dataclass(frozen=True)
class Event:
    doc_id: str
    kind: str  # "join" or "departure"
    time: str
    countries: tuple[str, ...]


@dataclass
class Chart:
    svg: str
    points: list[Point] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    undated: list[Point] = field(default_factory=list)
    drawn: int = 0  # documents drawn
    omitted: int = 0  # documents with counts or events left out of the figure (not the table)


def _int(value: str) -> int | None:
    try:
        return int(float(value))
    except ValueError:
        return None


def chart_data(facts: Iterable[Fact], rows: Iterable[FactRow], resolved: Mapping[str, bool]
               ) -> tuple[list[Point], list[Point], list[Event]]:
    """Dated and undated count points, and join/departure events, from typed facts and rows."""
    in_conflict: dict[str, str] = {}
    for r in rows:
        if r.conflict and r.predicate == Predicate.MEMBER_COUNT:
            for f in r.facts:
                in_conflict[f.fact_id] = r.conflict_id
    points: list[Point] = []
    undated: list[Point] = []
    events: dict[tuple[str, str, str], list[str]] = {}
    for f in facts:
        if f.predicate == Predicate.MEMBER_COUNT:
            n = _int(f.value)
            if n is None:
                continue
            cid = in_conflict.get(f.fact_id, "")
            p = Point(f.doc_id, n, fact_time(f), f.derived, cid, bool(resolved.get(cid)),
                      f.evidence)
            (points if time_span(p.time) else undated).append(p)
        elif f.predicate == Predicate.MEMBER and fact_time(f) and time_span(fact_time(f)):
            kind = "join" if f.role in JOIN_ROLES else \
                "departure" if f.role in DEPARTURE_ROLES else ""
            if kind and f.object_kb_id:
                events.setdefault((f.doc_id, kind, fact_time(f)), []).append(f.object_kb_id)
    return (list(dict.fromkeys(points)), list(dict.fromkeys(undated)),
            [Event(d, k, t, tuple(dict.fromkeys(cs))) for (d, k, t), cs in events.items()])


def render_chart(facts: Iterable[Fact], rows: Iterable[FactRow], doc_ids: list[str],
                 labels: Mapping[str, str], resolved: Mapping[str, bool] | None = None,
                 max_documents: int = DEFAULT.chart_max_documents) -> Chart:
    """The chart as inline SVG markup (no XML prolog, no external reference) and its data.

    ``labels``: a short legend label per doc_id (its title); ``resolved``: conflict_id → whether
    a reviewer decided it (drawn green instead of red). At most ``max_documents`` documents are
    drawn: those with a count in conflict first, then those with the most counts and events;
    the data (``Chart.points``, ``events``) keeps every document.
    """
    points, undated, events = chart_data(facts, rows, resolved or {})
    if not points and not events:
        return Chart("", points, events, undated)
    import matplotlib
    from matplotlib.figure import Figure

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    rc: dict[RcKeyType, Any] = {
        "svg.fonttype": "none", "svg.hashsalt": "coalition-facts", "font.size": 10,
        "font.family": ["DejaVu Sans", "Lohit Devanagari", "Noto Sans Devanagari"]}
    by_doc: dict[str, list[Point]] = {}
    for p in points:
        by_doc.setdefault(p.doc_id, []).append(p)
    with_events = {e.doc_id for e in events}
    docs = [d for d in doc_ids if d in by_doc or d in with_events]
    omitted = max(0, len(docs) - max_documents)
    if omitted:
        events_of = Counter(e.doc_id for e in events)
        weight = {d: (not any(p.conflict_id for p in by_doc.get(d, ())),
                      -len(by_doc.get(d, ())) - events_of[d])
                  for d in docs}
        keep = set(sorted(docs, key=lambda d: weight[d])[:max_documents])
        docs = [d for d in docs if d in keep]
    all_points, all_events = points, events
    points = [p for p in points if p.doc_id in docs]
    events = [e for e in events if e.doc_id in docs]
    color = {d: COLORS[i % len(COLORS)] for i, d in enumerate(docs)}
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing-glyph warnings: the browser draws the text
        fig = Figure(figsize=(9.5, 3.4 + 0.35 * len(docs)), layout="constrained")
        top, bottom = fig.subplots(2, 1, sharex=True,
                                   gridspec_kw={"height_ratios": [3, max(1, len(docs)) * 0.45]})
        # Autoscaling waits until everything is drawn: matplotlib otherwise rescales the view
        # over every artist so far at each scatter (quadratic in the points); the limits it
        # then computes once are the same.
        top.set_autoscale_on(False)
        bottom.set_autoscale_on(False)
        for d in docs:
            mine = sorted(by_doc.get(d, ()), key=lambda p: time_span(p.time) or (0, 0))
            if not mine:
                continue
            xs = [time_span(p.time)[0] for p in mine]  # type: ignore[index]
            top.plot(xs, [p.value for p in mine], color=color[d], linewidth=1, alpha=.6,
                     label=labels.get(d, d), gid=f"line-{d}")
            for p in mine:
                x, half = time_span(p.time)  # type: ignore[misc]
                bar = top.errorbar([x], [p.value], xerr=[half] if half else None, fmt="o",
                                   markersize=8, color=color[d], capsize=3,
                                   markerfacecolor="white" if p.derived else color[d],
                                   markeredgewidth=2)
                bar.lines[0].set_gid(p.gid)  # the mark itself: one element per point
                top.annotate(f"{p.value}{' (derived)' if p.derived else ''}", (x, p.value),
                             textcoords="offset points", xytext=(0, 13), ha="center",
                             fontsize=9, color=color[d])
                if p.conflict_id:
                    ring = RESOLVED_COLOR if p.resolved else CONFLICT_COLOR
                    top.scatter([x], [p.value], s=420, facecolors="none", edgecolors=ring,
                                linewidths=1.8, linestyle="--" if p.resolved else "-",
                                gid=f"conflict-{p.conflict_id}-{p.doc_id}", zorder=5)
        for cid in sorted({p.conflict_id for p in points if p.conflict_id}):
            mine = [p for p in points if p.conflict_id == cid]
            xs = [time_span(p.time)[0] for p in mine]  # type: ignore[index]
            lo, hi = min(p.value for p in mine), max(p.value for p in mine)
            ring = RESOLVED_COLOR if mine[0].resolved else CONFLICT_COLOR
            top.annotate("resolved" if mine[0].resolved else "conflict",
                         (max(xs), hi), textcoords="offset points", xytext=(14, -14),
                         fontsize=8, color=ring, fontweight="bold")
            top.vlines(sum(xs) / len(xs), lo, hi, colors=ring, linestyles=":", linewidth=1.2)
        top.set_ylabel("members")
        top.grid(True, alpha=.3)
        if points:
            top.margins(y=0.25)
            top.legend(loc="upper left", fontsize=8, frameon=False)
        ys = {d: i for i, d in enumerate(reversed(docs))}
        for e in events:
            x, _ = time_span(e.time)  # type: ignore[misc]
            joined = e.kind == "join"
            bottom.scatter([x], [ys[e.doc_id]], marker="^" if joined else "v", s=70,
                           color="#1a7f37" if joined else CONFLICT_COLOR,
                           gid=f"{e.kind}-{e.doc_id}-{e.time}")
            names = ", ".join(e.countries[:MAX_EVENT_LABELS]) + \
                ("…" if len(e.countries) > MAX_EVENT_LABELS else "")
            bottom.annotate(("+" if joined else "−") + names, (x, ys[e.doc_id]),
                            textcoords="offset points", xytext=(7, -3), fontsize=8)
        bottom.set_yticks(range(len(docs)), [labels.get(d, d)[:28] for d in reversed(docs)],
                          fontsize=8)
        bottom.set_ylim(-0.7, len(docs) - 0.3)
        # (the counts' axis is scaled only when it shows counts, as it was before)
        top.autoscale(True, axis="both" if points else "x")
        top.set_autoscaley_on(True)
        bottom.autoscale(True, axis="x")
        bottom.set_title("joins (▲) and departures (▼) each document reports", fontsize=8,
                         loc="left")
        bottom.grid(True, axis="x", alpha=.3)
        bottom.xaxis.get_major_locator().set_params(integer=True)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return Chart(_inline(buf.getvalue()), all_points, all_events, undated, len(docs), omitted)


def _inline(svg: str) -> str:
    """SVG markup for inlining in HTML: without the XML prolog, DOCTYPE and metadata block."""
    svg = re.sub(r"^.*?(?=<svg\b)", "", svg, flags=re.S)
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    # Inline SVG in HTML needs no namespace declarations; without them the page holds no URL.
    svg = re.sub(r'\s+xmlns(?::xlink)?="[^"]*"', "", svg).replace("xlink:href=", "href=")
    return svg.replace("<svg ", '<svg role="img" aria-labelledby="chart-title" ', 1)
