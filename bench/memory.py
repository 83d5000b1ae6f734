"""Memory while ingesting: does anything accumulate as the corpus grows?

Usage: python bench/memory.py [--rounds 4] [DATA_DIR]
       (DATA_DIR default /work/shared/data/article-extraction/)

The 181 HTML pages of the article-extraction benchmark, written ``--rounds`` times as marked
copies (as in bench/ingest.py), are ingested one round (one copy of every page) at a time
into a fresh temporary SQLite store. After each round, with a full garbage collection, the
bench prints the process's resident set size, the number of live Python objects, and the
size of the spaCy string store. Flat object and string counts after the first rounds say
that nothing is kept per document; the resident size then shows what the allocator holds.
Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import gc
import json
import pathlib
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from ingest import DEFAULT_DATA, rss_mb, write_pages  # noqa: E402 (the bench's own helpers)

from claimscope.ingest import ingest  # noqa: E402
from claimscope.nlp import load_nlp  # noqa: E402
from claimscope.store import Store  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--rounds", type=int, default=4)
    args = ap.parse_args(argv)
    nlp = load_nlp()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        pages = pathlib.Path(tmp) / "pages"
        pages.mkdir()
        files = write_pages(pathlib.Path(args.data), pages, args.rounds)
        per_round = len(files) // args.rounds
        with Store.open(f"sqlite:///{pathlib.Path(tmp) / 'memory.db'}") as store:
            print("| round | documents | RSS MB | live Python objects | spaCy strings |")
            print("| --- | --- | --- | --- | --- |")
            for r in range(args.rounds):
                ingest(files[r * per_round:(r + 1) * per_round], store, progress=False)
                gc.collect()
                row = {"round": r + 1, "documents": store.stats().documents, "rss_mb": round(rss_mb(), 1),
                       "objects": len(gc.get_objects()), "strings": len(nlp.vocab.strings)}
                rows.append(row)
                print(f"| {row['round']} | {row['documents']:,} | {row['rss_mb']:.1f} | {row['objects']:,} | "
                      f"{row['strings']:,} |", flush=True)
    print(json.dumps({"rounds": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
