"""Speed and memory of the pipeline on a corpus of about 500 documents (``make bench``).

Why these figures: the NER models are the irreducible cost, so the pipeline is judged by how
much it adds to them (goal: whole pipeline ≤ 1.2 × the bare models on the same texts, with the
same models); reconciliation must stay near-linear in the number of documents; and memory must
not grow faster than the corpus.

    python -m pipeline.devtools.bench --shared ../shared [--docs 500] [--repeat 3]
                             [--engine local|dask] [--scheduler ADDR]
                             [--profile out.html|out.txt] [--scale 500,2000,5000]

The whole pipeline is timed as a user runs it (the local engine forks worker processes for a
corpus, one per core) and in one process, so that what the stages add to the models shows on
its own. Times are wall and CPU seconds (CPU of this process and its worker processes); the
measurements take turns for ``--repeat`` rounds and the fastest of each counts. With
--engine dask only wall times compare: the workers' CPU is elsewhere.

Scaling (issue 16, ``--scale``; ``--scale ''`` skips it): corpora of 500, 2,000 and 5,000
documents on the coalitions of the development cases and the seeds, each run as a user runs it
in a fresh process (models loaded once per size, not counted in docs/s), with docs/s, peak RSS
(the process and its largest worker) and the time of every stage. Time per document must not
grow with the corpus (linear growth), and memory must stay below 2 GB. The corpus varies each
article (a different subset of its paragraphs, a number line), but articles on one coalition
still share most of their sentences: the runs keep near copies (``find_near_copies=False``), and
the near-copy search itself is timed apart on the same corpus.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.core.config import DEFAULT, REPO_DIR, Settings

if TYPE_CHECKING:
    from pipeline.core.records import Fact
    from pipeline.runtime.run import RunResult


@dataclass(frozen=True)
class Source:
    name: str  # unique, becomes part of the copy's file name
    lang: str  # the language the file is written in (from its name: en*.txt / hi*.txt)
    text: str
    group: str = ""  # the folder it comes from: the coalition of a development case


def sources(seeds: Path, shared: Path | None) -> list[Source]:
    """The seeds and the development cases, with their language known from the file."""
    from pipeline.ingest import read_document
    from pipeline.language import detect_document

    out: list[Source] = []
    files = sorted(seeds.glob("*.txt"))
    if shared is not None and (shared / "cases").is_dir():
        files += sorted((shared / "cases").glob("*/*.txt"))
    else:
        print(f"bench: no cases under {shared}; using the seeds only", file=sys.stderr)
    for f in files:
        text = f.read_text("utf-8")
        name = f"{f.parent.name}_{f.stem}"
        lang = (f.stem[:2] if f.stem[:2] in DEFAULT.languages
                else detect_document(read_document(f)).lang)
        out.append(Source(name, lang, text, f.parent.name))
    return out


def build_corpus(srcs: list[Source], n_docs: int, folder: Path) -> list[tuple[Path, Source]]:
    """``n_docs`` copies cycling over the sources; a number line keeps every sha256 distinct.

    The suffix has no letters, so language detection skips it and no model sees it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n_docs):
        src = srcs[i % len(srcs)]
        path = folder / f"{i:05d}_{src.name}.txt"
        path.write_text(f"{src.text.rstrip()}\n\n{i:05d}\n", "utf-8")
        out.append((path, src))
    return out


def varied_corpus(srcs: list[Source], n_docs: int, folder: Path, seed: int = 0
                  ) -> list[tuple[Path, Source]]:
    """``n_docs`` documents on the sources' coalitions: the first round of each source as it is,
    later ones a random subset of its lines after the first (the title), so that the facts of
    the copies differ; a number line keeps every text distinct."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    out = []
    for i in range(n_docs):
        src = srcs[i % len(srcs)]
        lines = src.text.rstrip().split("\n")
        if i >= len(srcs) and len(lines) > 2:
            body = [ln for ln in lines[1:] if rng.random() < 0.75] or lines[1:2]
            lines = lines[:1] + body
        path = folder / f"{i:05d}_{src.name}.txt"
        path.write_text("\n".join(lines) + f"\n\n{i:05d}\n", "utf-8")
        out.append((path, replace(src, text="\n".join(lines))))
    return out


def one_scale_run(folder: Path, out: Path) -> dict[str, object]:
    """One run as a user runs it (default engine and workers), in this process: stage times,
    docs/s without model loading, peak RSS of the process and of its largest worker."""
    from pipeline.duplicates import find_duplicates
    from pipeline.ingest import ingest
    from pipeline.runtime.run import process, process_corpus, write_corpus, write_outputs

    settings = replace(DEFAULT, find_near_copies=False)
    t0 = time.perf_counter()
    warm = process([next(folder.iterdir())], settings, quiet=True)  # load the models
    load = time.perf_counter() - t0
    del warm
    t0 = time.perf_counter()
    # as `extract` runs a folder of many coalitions: one subject folder each, and an index
    res = process_corpus([folder], settings, quiet=True)
    t1 = time.perf_counter()
    if res.groups:
        write_corpus(res, out, settings)
    else:
        write_outputs(res, out, settings)
    t2 = time.perf_counter()
    docs, _ = ingest([folder], settings)
    t3 = time.perf_counter()
    _, copies = find_duplicates(docs, DEFAULT)
    near = time.perf_counter() - t3
    return {"documents": len(res.documents), "facts": len(res.facts), "rows": len(res.rows),
            "subjects": len(res.groups) or 1,
            "load_s": load, "process_s": t1 - t0, "write_s": t2 - t1,
            "stages": {k: v for k, v in res.timings.items() if k != "write"},
            "near_copies_s": near, "near_copies": len(copies), "workers": res.workers,
            "rss_mb": maxrss_mb(),
            "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


STAGES = ("ingest", "duplicates", "language+ner wall", "link", "link organisations", "facts",
          "times", "reconcile")
MEMORY_LIMIT_MB = 2048
LINEAR_TOLERANCE = 1.25  # time per document at the largest size / at the smallest


def scaling(srcs: list[Source], sizes: list[int], root: Path) -> None:
    """The scaling table: each size in a fresh process, on one varied corpus (prefixes)."""
    corpus = varied_corpus(srcs, max(sizes), root / "scale_all")
    subjects = len({s.group for _p, s in corpus})
    print(f"\nscaling: one corpus of {len(corpus)} documents on {subjects} coalitions "
          f"(development cases and seeds), the first N of it per row; a fresh process per row")
    results = []
    for n in sizes:
        folder = root / f"scale_{n}"
        folder.mkdir()
        for path, _src in corpus[:n]:
            (folder / path.name).symlink_to(path)
        proc = subprocess.run(
            [sys.executable, "-m", "pipeline.devtools.bench", "--one-run", str(folder),
             str(root / f"scale_out_{n}")], capture_output=True, text=True, check=False)
        if proc.returncode:
            print(f"  {n} documents: the run failed\n{proc.stderr[-2000:]}")
            return
        results.append((n, json.loads(proc.stdout.strip().splitlines()[-1])))
    short = {"duplicates": "copies", "language+ner wall": "lang+NER",
             "link organisations": "orgs"}
    head = f"{'docs':>6}{'subjects':>9}{'docs/s':>8}{'total s':>9}{'write s':>9}" + "".join(
        f"{short.get(k, k):>10}" for k in STAGES)
    print(head + f"{'RSS MB':>8}{'worker MB':>10}{'near-copy s':>12}  (stages in s)")
    for n, r in results:
        total = r["process_s"] + r["write_s"]
        stages = r["stages"]
        print(f"{n:>6}{r['subjects']:>9}{r['documents'] / total:8.1f}{total:9.1f}"
              f"{r['write_s']:9.2f}"
              + "".join(f"{stages.get(k, 0.0):10.2f}" for k in STAGES)
              + f"{r['rss_mb']:8.0f}{r['worker_rss_mb']:10.0f}{r['near_copies_s']:12.2f}")
    (n0, r0), (n1, r1) = results[0], results[-1]
    print(f"time per document, {n1} against {n0} documents (linear: at most "
          f"{LINEAR_TOLERANCE}):")
    parts = [("total", r0["process_s"] + r0["write_s"], r1["process_s"] + r1["write_s"]),
             ("write", r0["write_s"], r1["write_s"]),
             *((k, r0["stages"].get(k, 0.0), r1["stages"].get(k, 0.0))
               for k in STAGES if k != "language+ner wall"),
             ("near copies", r0["near_copies_s"], r1["near_copies_s"])]
    for name, a, b in parts:
        ratio = (b / n1) / (a / n0) if a > 0 else float("nan")
        verdict = "linear" if ratio <= LINEAR_TOLERANCE else "GROWS FASTER THAN LINEAR"
        print(f"  {name:20}{ratio:6.2f}  {verdict}")
    peak = max(max(r["rss_mb"], r["worker_rss_mb"]) for _n, r in results)
    print(f"peak RSS {peak:.0f} MB: {'below' if peak < MEMORY_LIMIT_MB else 'ABOVE'} the "
          f"{MEMORY_LIMIT_MB} MB limit; near copies the search would drop: "
          + ", ".join(f"{r['near_copies']} of {n}" for n, r in results))


def words(text: str) -> int:
    return len(text.split())


def maxrss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare_ner(corpus: list[tuple[Path, Source]], settings: Settings) -> tuple[float, float]:
    """(wall, CPU) seconds for nlp.pipe alone over the same texts, with the same models."""
    from pipeline.ner.registry import get_backend

    by_lang: dict[str, list[str]] = {}
    for path, src in corpus:
        by_lang.setdefault(src.lang, []).append(path.read_text("utf-8"))
    t0, c0 = time.perf_counter(), time.process_time()
    for lang, texts in sorted(by_lang.items()):
        nlp = get_backend(lang, settings).nlp
        for _doc in nlp.pipe(texts, batch_size=settings.batch_size):
            pass
    return time.perf_counter() - t0, time.process_time() - c0


def reconcile_scaling(facts: list[Fact], doc_ids: list[str], sizes: Sequence[int]
                      ) -> list[tuple[int, int, int, float]]:
    """Reconcile time for the facts of ``n`` documents: the run's documents, renamed as needed."""
    from pipeline.reconcile import reconcile

    by_doc: dict[str, list[Fact]] = {}
    for f in facts:
        by_doc.setdefault(f.doc_id, []).append(f)
    pool = [d for d in doc_ids if by_doc.get(d)]
    rows = []
    for n in sizes:
        ids = [f"{pool[i % len(pool)]}__{i // len(pool)}" for i in range(n)]
        fs = [replace(f, doc_id=new) for new, old in zip(ids, (pool[i % len(pool)]
              for i in range(n)), strict=True) for f in by_doc[old]]
        best = float("inf")
        for _ in range(3 if n <= 100 else 1):
            t0 = time.perf_counter()
            out = reconcile(fs, ids)
            best = min(best, time.perf_counter() - t0)
        rows.append((n, len(fs), len(out), best))
    return rows


@dataclass
class Timed:
    """Wall and CPU seconds of one measured step (CPU of this process and its children)."""

    wall: float
    cpu: float

    @classmethod
    def best(cls, runs: list[Timed]) -> Timed:
        return min(runs, key=lambda t: t.wall)


def cpu_now() -> float:
    """CPU seconds of this process and of its finished worker processes."""
    own = time.process_time()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + kids.ru_utime + kids.ru_stime


def measure_run(dirs: list[Path], out: Path, settings: Settings, engine: str,
                scheduler: str | None) -> tuple[Timed, Timed, RunResult]:
    """(processing, writing) times of one whole run, and its result."""
    from pipeline.runtime.run import process, write_outputs

    gc.collect()
    t0, c0 = time.perf_counter(), cpu_now()
    res = process(dirs, settings, quiet=True, engine=engine, scheduler=scheduler)
    t1, c1 = time.perf_counter(), cpu_now()
    write_outputs(res, out, settings)
    t2, c2 = time.perf_counter(), cpu_now()
    return Timed(t1 - t0, c1 - c0), Timed(t2 - t1, c2 - c1), res


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.devtools.bench",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO_DIR.parent / "shared")
    ap.add_argument("--seeds", type=Path, default=REPO_DIR / "seeds")
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds of the measurements, taking turns; the fastest of each counts "
                         "(default 3)")
    ap.add_argument("--engine", choices=["local", "dask"], default="local")
    ap.add_argument("--scheduler", metavar="ADDR", help="a running Dask scheduler (--engine dask)")
    ap.add_argument("--profile", type=Path, help="write a pyinstrument HTML profile of the run")
    ap.add_argument("--scale", default="500,2000,5000",
                    help="corpus sizes of the scaling table ('' skips it; default "
                         "500,2000,5000)")
    ap.add_argument("--one-run", nargs=2, type=Path, metavar=("FOLDER", "OUT"),
                    help=argparse.SUPPRESS)  # one row of the scaling table, in its own process
    args = ap.parse_args(argv)
    if args.one_run:
        print(json.dumps(one_scale_run(*args.one_run)))
        return 0

    from pipeline.runtime.engine import local_workers
    from pipeline.runtime.run import process, write_outputs

    # The corpus repeats the sources (build_corpus): keep the near copies, as the scaling runs do.
    default = replace(DEFAULT, write_parquet=True, find_near_copies=False)
    single = replace(default, workers=1)
    engine = "dask" if args.scheduler else args.engine
    srcs = sources(args.seeds, args.shared if args.shared.exists() else None)
    repeat = max(1, args.repeat)
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-") as tmp:
        root = Path(tmp)
        corpus = build_corpus(srcs, args.docs, root / "corpus")
        small = root / "corpus100"
        small.mkdir()
        for path, _src in corpus[:100]:
            (small / path.name).symlink_to(path)
        n_words = sum(words(s.text) for _p, s in corpus)
        langs = Counter(s.lang for _p, s in corpus)
        workers = (local_workers(default, sum(len(s.text) for _p, s in corpus))
                   if engine == "local" else 0)
        by_lang = ", ".join(f"{langs[lang]} {lang}" for lang in DEFAULT.languages)
        print(f"corpus: {len(corpus)} documents ({by_lang}) from "
              f"{len(srcs)} sources, {n_words} words; fastest of {repeat} round(s) each")

        # Warm-up and the 100-document memory point, in this process: models load here, once,
        # and so do the writers' libraries (pyarrow) and the report template, which would
        # otherwise be counted against the corpus while the models' loading is not.
        t0 = time.perf_counter()
        warm = process([small], single, quiet=True, engine=engine, scheduler=args.scheduler)
        write_outputs(warm, root / "out100", single)
        del warm
        rss100 = maxrss_mb()
        print(f"first 100 documents (incl. model loading, written): "
              f"{time.perf_counter() - t0:.1f} s, peak RSS {rss100:.0f} MB")

        # The three measurements take turns, so that a slow spell of a shared machine does not
        # fall on one of them only; the fastest run of each counts.
        singles: list[tuple[Timed, Timed]] = []
        parallels: list[tuple[Timed, Timed]] = []
        bares: list[Timed] = []
        res = None
        rss500 = 0.0
        for i in range(repeat):
            proc, write, r = measure_run([root / "corpus"], root / f"out1_{i}", single, engine,
                                         args.scheduler)
            singles.append((proc, write))
            if res is None:
                res, rss500 = r, maxrss_mb()  # the 500-document memory point, one process
            del r
            if workers > 1:
                proc, write, _r = measure_run([root / "corpus"], root / f"outn_{i}", default,
                                              engine, args.scheduler)
                parallels.append((proc, write))
                del _r
            bares.append(Timed(*bare_ner(corpus, single)))
        assert res is not None
        proc1, write1 = min(singles, key=lambda pw: pw[0].wall + pw[1].wall)
        stages = ", ".join(f"{k} {v:.2f}" for k, v in res.timings.items()
                           if k not in ("write", "language+ner wall"))
        rows = [("whole pipeline, 1 process", Timed(proc1.wall + write1.wall,
                                                    proc1.cpu + write1.cpu)),
                ("  without writing", proc1)]
        whole_n = None
        if parallels:
            procn, writen = min(parallels, key=lambda pw: pw[0].wall + pw[1].wall)
            whole_n = Timed(procn.wall + writen.wall, procn.cpu + writen.cpu)
            rows.append((f"whole pipeline, {workers} workers", whole_n))
        child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
            process([root / "corpus"], single, quiet=True, engine=engine,
                    scheduler=args.scheduler)
            profiler.stop()
            out = (profiler.output_html() if args.profile.suffix == ".html"
                   else profiler.output_text(unicode=True, show_all=False))
            args.profile.write_text(out, "utf-8")
            print(f"profile of one single-process run → {args.profile}")

        bare = Timed.best(bares)
        rows.append(("bare NER (nlp.pipe)", bare))
        n = len(corpus)
        print()
        print(f"{'':34}{'wall s':>8}{'CPU s':>8}{'docs/s':>8}{'words/s':>9}  (per wall second)")
        for label, t in rows:
            print(f"{label:34}{t.wall:8.2f}{t.cpu:8.2f}{n / t.wall:8.1f}{n_words / t.wall:9.0f}")
        whole1 = rows[0][1]
        print("ratio whole pipeline / bare NER (goal ≤ 1.2), wall time:")
        if whole_n is not None:
            print(f"  as run by default ({workers} worker processes): "
                  f"{whole_n.wall / bare.wall:.2f}  (CPU {whole_n.cpu / bare.cpu:.2f})")
        print(f"  in one process: {whole1.wall / bare.wall:.2f}; without writing "
              f"{proc1.wall / bare.wall:.2f}  (CPU {whole1.cpu / bare.cpu:.2f})")
        if engine == "dask":
            print("(dask: CPU time is the driver's only; compare the wall times)")
        print(f"stage times, one process (s): {stages}; write {write1.wall:.2f}")
        print()
        print("reconcile scaling (near-linear expected):")
        print(f"{'documents':>10}{'facts':>8}{'rows':>7}{'seconds':>10}{'ms/doc':>9}")
        facts, doc_ids = res.facts, sorted({f.doc_id for f in res.facts})
        for docs_n, n_facts, n_rows, secs in reconcile_scaling(facts, doc_ids, (10, 100, 1000)):
            print(f"{docs_n:>10}{n_facts:>8}{n_rows:>7}{secs:10.4f}{secs / docs_n * 1000:9.3f}")
        print()
        print(f"peak RSS of this process: {maxrss_mb():.0f} MB; after 100 documents "
              f"{rss100:.0f} MB, after {n} documents {rss500:.0f} MB (growth "
              f"{rss500 - rss100:.0f} MB)")
        if workers > 1:
            print(f"largest worker process: {child_rss:.0f} MB peak RSS (pages shared with this "
                  f"process after the fork are counted in both)")
        if engine == "dask":
            print("(dask: the workers' memory is not included)")
        sizes = [int(x) for x in args.scale.split(",") if x.strip()]
        if sizes:
            scaling(srcs, sizes, root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
