"""Speed and memory: the full claimscope pipeline against bare ``nlp.pipe``, same model, one run.

    python bench/speed.py [TEXTS.jsonl] [--words 100000] [--batch-size 16]

The texts default to the article bodies of PolNeAR dev (``../shared/data/attribution/``),
repeated until at least ``--words`` words. Both passes get the same texts in the same order;
the bare pass runs first, each is timed on its own, after a warm-up on one text. The full
pipeline is ``claimscope.extract_many`` (cleaning, parsing, every claimscope component,
building the ledgers). Peak memory is the process RSS, sampled every 10 ms with psutil, per
pass. Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import platform
import sys
import threading
import time

import psutil

DEFAULT = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data" / "attribution" / "polnear-dev.jsonl"


class PeakRSS:
    """Sample this process's resident set size in a thread; ``peak`` in bytes."""

    def __init__(self, every: float = 0.01):
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._proc = psutil.Process()

    def __enter__(self):
        self.peak = self._proc.memory_info().rss
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self._proc.memory_info().rss)
            time.sleep(self.every)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._proc.memory_info().rss)


def load_texts(path: pathlib.Path, words: int) -> list[str]:
    base = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                base.append(rec.get("text") or rec.get("html") or "")
    if not base:
        raise SystemExit(f"no texts in {path}")
    texts, n = [], 0
    while n < words:
        for t in base:
            texts.append(t)
            n += len(t.split())
            if n >= words:
                break
    return texts


def run(path: pathlib.Path = DEFAULT, words: int = 100_000, batch_size: int = 16) -> dict:
    from claimscope.nlp import load_bare, load_nlp
    from claimscope.pipeline import Record, extract_many

    texts = load_texts(path, words)
    n_words = sum(len(t.split()) for t in texts)
    bare = load_bare()
    load_nlp()
    # Warm up both (first-call allocations, lazy imports).
    list(bare.pipe(texts[:1]))
    list(extract_many([Record(texts[0])]))

    with PeakRSS() as mem_bare:
        t0 = time.perf_counter()
        for _ in bare.pipe(texts, batch_size=batch_size):
            pass
        bare_s = time.perf_counter() - t0

    records = [Record(t, id=f"doc{i}", published="2016-09-30") for i, t in enumerate(texts)]
    with PeakRSS() as mem_full:
        t0 = time.perf_counter()
        n_claims = 0
        for ledger in extract_many(records, batch_size=batch_size, raise_errors=True):
            n_claims += len(ledger.attributions)
        full_s = time.perf_counter() - t0

    return {
        "texts": len(texts),
        "words": n_words,
        "bare_words_per_s": round(n_words / bare_s),
        "full_words_per_s": round(n_words / full_s),
        "ratio": round(bare_s / full_s, 3),
        "bare_seconds": round(bare_s, 2),
        "full_seconds": round(full_s, 2),
        "attributions": n_claims,
        "peak_rss_mb_bare": round(mem_bare.peak / 2**20, 1),
        "peak_rss_mb_full": round(mem_full.peak / 2**20, 1),
        "batch_size": batch_size,
        "machine": f"{platform.processor() or platform.machine()}, {psutil.cpu_count()} cpus, Python {platform.python_version()}",
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--batch-size", type=int, default=16)
    args = ap.parse_args(argv)
    r = run(pathlib.Path(args.path), args.words, args.batch_size)
    print(f"{r['texts']} texts, {r['words']:,} words, batch size {r['batch_size']} ({r['machine']})")
    print("| pass | seconds | words/s | peak RSS MB |")
    print("| --- | --- | --- | --- |")
    print(f"| bare nlp.pipe | {r['bare_seconds']} | {r['bare_words_per_s']:,} | {r['peak_rss_mb_bare']} |")
    print(f"| claimscope extract_many | {r['full_seconds']} | {r['full_words_per_s']:,} | {r['peak_rss_mb_full']} |")
    print(f"ratio (full words/s over bare words/s): {r['ratio']}  (target >= 0.8)")
    print(json.dumps(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
