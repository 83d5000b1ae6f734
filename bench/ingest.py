"""Ingest benchmark: documents/s, words/s and memory while ingesting 1,000+ pages into SQLite.

Usage: python bench/ingest.py [--documents 1000] [--checkpoints 250,500,1000] [--db URL]
                              [--batch-size 16] [DATA_DIR]
       (DATA_DIR default /work/shared/data/article-extraction/)

The 181 HTML pages of the article-extraction benchmark are written to a temporary directory
(outside the repository, deleted at the end) as many times as needed; copy k > 0 of a page
starts every <p> with "Edition k." so that its clean text, hence its id, differs from the
other copies (on the few pages without <p> in the body the copies stay identical and are
counted as already stored; non-English pages fail). Then ``claimscope.ingest`` runs over the
files into a fresh SQLite store (a temporary file unless --db), in slices of two batches, and
at each checkpoint of new documents the bench reports the cumulative rates and memory.

Memory is the process's resident set size from psutil (current RSS, and the peak RSS from
``getrusage``), so it includes the spaCy model. Timing covers ``ingest`` calls only (reading
and cleaning the pages included): page writing and model loading (done once before) are not
counted. CPU seconds (this process) are printed beside wall seconds: the machine may be shared.
Extraction runs in this process (no Dask). At the end the whole store is reconciled once,
as ``claimscope ingest`` does, and that is timed on its own.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import pathlib
import re
import resource
import sys
import tempfile
import time

import psutil

from claimscope.ingest import ingest
from claimscope.nlp import load_nlp
from claimscope.reconcile import reconcile_store
from claimscope.store import Store

DEFAULT_DATA = pathlib.Path("/work/shared/data/article-extraction")
_PARAGRAPH = re.compile(r"(<p\b[^>]*>)", re.I)


def write_pages(data_dir: pathlib.Path, out: pathlib.Path, copies: int) -> list[str]:
    """Write ``copies`` marked copies of every page to ``out``; returns the paths, copy-major."""
    pages = sorted((data_dir / "html").glob("*.html.gz"))
    if not pages:
        raise SystemExit(f"no pages in {data_dir / 'html'}")
    paths = []
    for k in range(copies):
        for page in pages:
            html = gzip.decompress(page.read_bytes()).decode("utf-8", "replace")
            if k:
                html = _PARAGRAPH.sub(lambda m, k=k: f"{m.group(1)}Edition {k}. ", html)
            path = out / f"{k:02d}-{page.name.removesuffix('.gz')}"
            path.write_text(html, encoding="utf-8")
            paths.append(str(path))
    return paths


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run(args: argparse.Namespace) -> dict:
    checkpoints = sorted(int(x) for x in args.checkpoints.split(","))
    target = max(checkpoints[-1], args.documents)
    with tempfile.TemporaryDirectory(prefix="claimscope-bench-") as tmp:
        tmpdir = pathlib.Path(tmp)
        pages_dir = tmpdir / "pages"
        pages_dir.mkdir()
        n_pages = len(list((args.data / "html").glob("*.html.gz")))
        # About 89% of the pages give a new document per copy; one copy more for safety.
        paths = write_pages(args.data, pages_dir, copies=-(-target // int(n_pages * 0.85)) + 1)
        load_nlp()  # the model's load time is not part of the rates
        load_before = os.getloadavg()[0]
        url = args.db or f"sqlite:///{tmpdir / 'bench.db'}"
        rows = []
        totals = {"new": 0, "stored": 0, "failed": 0, "words": 0, "inputs": 0}
        elapsed = cpu = 0.0
        step = 2 * args.batch_size
        pending = list(checkpoints)
        with Store.open(url) as store:
            for i in range(0, len(paths), step):
                t0, c0 = time.perf_counter(), time.process_time()
                summary = ingest(paths[i:i + step], store, progress=False, batch_size=args.batch_size)
                elapsed += time.perf_counter() - t0
                cpu += time.process_time() - c0
                totals["new"] += summary.new
                totals["stored"] += summary.stored
                totals["failed"] += len(summary.failed)
                totals["words"] += summary.words
                totals["inputs"] += len(paths[i:i + step])
                while pending and totals["new"] >= pending[0]:
                    rows.append({
                        "checkpoint": pending.pop(0), "documents": totals["new"], "inputs": totals["inputs"],
                        "words": totals["words"], "seconds": round(elapsed, 1), "cpu_seconds": round(cpu, 1),
                        "documents_per_s": round(totals["new"] / elapsed, 2),
                        "words_per_s": round(totals["words"] / elapsed),
                        "rss_mb": round(rss_mb(), 1), "peak_rss_mb": round(peak_rss_mb(), 1),
                    })
                if totals["new"] >= target and not pending:
                    break
            stats = store.stats()
            # What `claimscope ingest` does at the end: reconcile the whole corpus, once.
            t0 = time.perf_counter()
            analysis, _ = reconcile_store(store)
            reconcile_s = time.perf_counter() - t0
            db_mb = sum(p.stat().st_size for p in tmpdir.glob("bench.db*")) / 2**20 if not args.db else None
    return {
        "checkpoints": rows, **totals, "seconds": round(elapsed, 1),
        "store": {"documents": stats.documents, "attributions": stats.attributions,
                  "quantities": stats.quantities, "size_mb": round(db_mb, 1) if db_mb is not None else None},
        "reconcile": {"seconds": round(reconcile_s, 1), "sources": len(analysis.sources),
                      "topics": len(analysis.topics), "copies": len(analysis.copies),
                      "contradictions": len(analysis.contradictions), "peak_rss_mb": round(peak_rss_mb(), 1)},
        "batch_size": args.batch_size, "memory": "RSS (psutil); peak from getrusage",
        # CPU seconds well under wall seconds, or a 1-minute load average above ~1 before/after,
        # mean that other processes shared the 2 cores during the run.
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=pathlib.Path, default=DEFAULT_DATA)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--checkpoints", default="250,500,1000")
    parser.add_argument("--db", default=None, help="store URL (default: a fresh SQLite file in a temp dir)")
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args(argv[1:])
    result = run(args)
    print(f"ingest benchmark: {result['new']} new documents from {result['inputs']} inputs "
          f"({result['stored']} already stored, {result['failed']} failed), batch size {result['batch_size']}")
    print(f"{'documents':>9} {'inputs':>6} {'words':>9} {'seconds':>8} {'CPU s':>7} {'docs/s':>7} {'words/s':>8} "
          f"{'RSS MB':>7} {'peak MB':>8}")
    for r in result["checkpoints"]:
        print(f"{r['documents']:>9} {r['inputs']:>6} {r['words']:>9,} {r['seconds']:>8.1f} {r['cpu_seconds']:>7.1f} "
              f"{r['documents_per_s']:>7.2f} {r['words_per_s']:>8,} {r['rss_mb']:>7.1f} {r['peak_rss_mb']:>8.1f}")
    rec = result["reconcile"]
    print(f"reconciling the {result['store']['documents']} documents: {rec['seconds']} s ({rec['sources']} sources, "
          f"{rec['topics']} topics, {rec['copies']} copies, {rec['contradictions']} contradictions); "
          f"peak RSS {rec['peak_rss_mb']} MB")
    print(f"load average (1 min) before/after: {result['load_average'][0]} / {result['load_average'][1]}")
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv)
