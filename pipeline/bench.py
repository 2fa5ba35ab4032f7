"""Speed and memory of the pipeline on a corpus of about 500 documents (``make bench``).

Why these figures: the NER models are the irreducible cost, so the pipeline is judged by how
much it adds to them (goal: whole pipeline ≤ 1.2 × the bare models on the same texts, with the
same models); reconciliation must stay near-linear in the number of documents; and memory must
not grow faster than the corpus.

    python -m pipeline.bench --shared ../shared [--docs 500] [--engine local|dask]
                             [--scheduler ADDR] [--profile out.html|out.txt]

Times are wall and CPU seconds of this process; on a shared machine the CPU ratio is the
steadier figure (with --engine dask only wall times compare: the workers' CPU is elsewhere).
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.config import DEFAULT, REPO_DIR, Settings


@dataclass(frozen=True)
class Source:
    name: str  # unique, becomes part of the copy's file name
    lang: str  # the language the file is written in (from its name: en*.txt / hi*.txt)
    text: str


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
        lang = f.stem[:2] if f.stem[:2] in ("en", "hi") else detect_document(read_document(f)).lang
        out.append(Source(name, lang, text))
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


def reconcile_scaling(facts: list, doc_ids: list[str], sizes: Sequence[int]) -> list[tuple]:
    """Reconcile time for the facts of ``n`` documents: the run's documents, renamed as needed."""
    from pipeline.reconcile import reconcile

    by_doc: dict[str, list] = {}
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


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.bench",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO_DIR.parent / "shared")
    ap.add_argument("--seeds", type=Path, default=REPO_DIR / "seeds")
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--engine", choices=["local", "dask"], default="local")
    ap.add_argument("--scheduler", metavar="ADDR", help="a running Dask scheduler (--engine dask)")
    ap.add_argument("--profile", type=Path, help="write a pyinstrument HTML profile of the run")
    args = ap.parse_args(argv)

    from pipeline.run import process, write_outputs

    settings = replace(DEFAULT, write_parquet=True)
    engine = "dask" if args.scheduler else args.engine
    srcs = sources(args.seeds, args.shared if args.shared.exists() else None)
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-") as tmp:
        root = Path(tmp)
        corpus = build_corpus(srcs, args.docs, root / "corpus")
        small = root / "corpus100"
        small.mkdir()
        for path, _src in corpus[:100]:
            (small / path.name).symlink_to(path)
        n_words = sum(words(s.text) for _p, s in corpus)
        langs = {lang: sum(1 for _p, s in corpus if s.lang == lang) for lang in ("en", "hi")}
        print(f"corpus: {len(corpus)} documents ({langs['en']} en, {langs['hi']} hi) from "
              f"{len(srcs)} sources, {n_words} words")

        # Warm-up and the 100-document memory point: models load here, once, and so do the
        # writers' libraries (pyarrow) and the report template, which would otherwise be
        # counted against the 500 documents while the models' loading is not.
        t0 = time.perf_counter()
        warm = process([small], settings, quiet=True, engine=engine, scheduler=args.scheduler)
        write_outputs(warm, root / "out100", settings)
        rss100 = maxrss_mb()
        print(f"first 100 documents (incl. model loading, written): "
              f"{time.perf_counter() - t0:.1f} s, peak RSS {rss100:.0f} MB")
        gc.collect()

        profiler = None
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
        t0, c0 = time.perf_counter(), time.process_time()
        res = process([root / "corpus"], settings, quiet=True, engine=engine,
                      scheduler=args.scheduler)
        t_process, c_process = time.perf_counter() - t0, time.process_time() - c0
        t1, c1 = time.perf_counter(), time.process_time()
        write_outputs(res, root / "out", settings)
        t_write, c_write = time.perf_counter() - t1, time.process_time() - c1
        if profiler is not None:
            profiler.stop()
            out = (profiler.output_html() if args.profile.suffix == ".html"
                   else profiler.output_text(unicode=True, show_all=False))
            args.profile.write_text(out, "utf-8")
            print(f"profile → {args.profile}")
        rss500 = maxrss_mb()
        t_whole, c_whole = t_process + t_write, c_process + c_write
        facts, doc_ids = res.facts, sorted({f.doc_id for f in res.facts})
        stages = ", ".join(f"{k} {v:.2f}" for k, v in res.timings.items() if k != "write")
        gc.collect()

        t_bare, c_bare = bare_ner(corpus, settings)
        n = len(corpus)
        print()
        print(f"{'':28}{'wall s':>8}{'CPU s':>8}{'docs/s':>8}{'words/s':>9}  (per wall second)")
        for label, t, c in (("whole pipeline (+ write)", t_whole, c_whole),
                            ("pipeline without writing", t_process, c_process),
                            ("bare NER (nlp.pipe)", t_bare, c_bare)):
            print(f"{label:28}{t:8.2f}{c:8.2f}{n / t:8.1f}{n_words / t:9.0f}")
        print(f"ratio whole pipeline / bare NER: wall {t_whole / t_bare:.2f}, "
              f"CPU {c_whole / c_bare:.2f} (goal ≤ 1.2); without writing: wall "
              f"{t_process / t_bare:.2f}, CPU {c_process / c_bare:.2f}")
        if engine == "dask":
            print("(dask: CPU time is the driver's only; compare the wall times)")
        print(f"stage wall times (s): {stages}; write {t_write:.2f}")
        print()
        print("reconcile scaling (near-linear expected):")
        print(f"{'documents':>10}{'facts':>8}{'rows':>7}{'seconds':>10}{'ms/doc':>9}")
        for docs_n, n_facts, n_rows, t in reconcile_scaling(facts, doc_ids, (10, 100, 1000)):
            print(f"{docs_n:>10}{n_facts:>8}{n_rows:>7}{t:10.4f}{t / docs_n * 1000:9.3f}")
        print()
        print(f"peak RSS: {maxrss_mb():.0f} MB; after 100 documents {rss100:.0f} MB, after "
              f"{n} documents {rss500:.0f} MB (growth {rss500 - rss100:.0f} MB)")
        if engine == "dask":
            print("(dask: the workers' memory is not included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
