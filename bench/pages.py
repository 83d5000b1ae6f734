"""Article-body extraction benchmark: claimscope's ``clean_html`` against plain trafilatura.

Usage: python bench/pages.py [DATA_DIR]   (default /work/shared/data/article-extraction/)

Implements the Zyte article-extraction benchmark's scoring as its README describes it:
word 4-gram shingles over ``\\w+`` tokens; per page TP/FP/FN of the shingle multisets;
precision averaged over pages with output, recall over all pages, F1 of the two averages;
accuracy = share of pages whose token sequence equals the gold; ± = std over 1,000 bootstrap
resamples of the pages (seed 0). Both systems run on the same decoded page in the same pass
(pages are decoded with claimscope's own ``decode``); times are the extractor call alone.

Prints a table, the pages where claimscope's recall is below plain trafilatura's (body text
dropped by cleaning), and a final JSON line. ``evaluate(data_dir)`` returns that JSON as a dict.
"""

from __future__ import annotations

import collections
import gzip
import json
import pathlib
import re
import statistics
import sys
import time

import numpy as np
import trafilatura

from claimscope._errors import InputError
from claimscope._fetch import decode
from claimscope.clean import clean_html

DEFAULT_DATA = pathlib.Path("/work/shared/data/article-extraction")
N_BOOTSTRAP = 1000
WORST_SHOWN = 10

_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> collections.Counter:
    """Multiset of word n-gram shingles; 1..n-1 tokens give one shorter shingle, none give none."""
    tokens = _TOKEN.findall(text)
    if len(tokens) < n:
        return collections.Counter([tuple(tokens)] if tokens else [])
    return collections.Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_scores(gold: str, pred: str) -> tuple[float | None, float, bool]:
    """(precision or None when the prediction is empty, recall, exact token match)."""
    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    fp = sum(p.values()) - tp
    fn = sum(g.values()) - tp
    # The benchmark divides TP/FP/FN by their sum first; the ratios below are unchanged by it.
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, _TOKEN.findall(gold) == _TOKEN.findall(pred)


def _aggregate(precisions: np.ndarray, recalls: np.ndarray, exact: np.ndarray) -> tuple[float, float, float, float]:
    has_output = ~np.isnan(precisions)
    p = float(precisions[has_output].mean()) if has_output.any() else 0.0
    r = float(recalls.mean())
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f1, p, r, float(exact.mean())


def summarise(rows: list[tuple[float | None, float, bool]]) -> dict[str, float]:
    precisions = np.array([np.nan if p is None else p for p, _, _ in rows], dtype=float)
    recalls = np.array([r for _, r, _ in rows], dtype=float)
    exact = np.array([e for _, _, e in rows], dtype=float)
    f1, p, r, acc = _aggregate(precisions, recalls, exact)
    rng = np.random.RandomState(0)
    boot = np.array(
        [_aggregate(precisions[idx], recalls[idx], exact[idx])
         for idx in (rng.randint(0, len(rows), len(rows)) for _ in range(N_BOOTSTRAP))]
    )
    std = boot.std(axis=0)
    return {
        "f1": f1, "f1_std": float(std[0]), "precision": p, "precision_std": float(std[1]),
        "recall": r, "recall_std": float(std[2]), "accuracy": acc, "accuracy_std": float(std[3]),
        "empty_predictions": int(np.isnan(precisions).sum()), "pages": len(rows),
    }


def _claimscope(html: str, url: str) -> str:
    try:
        return clean_html(html, url=url).text
    except InputError:
        return ""


def _trafilatura(html: str, url: str) -> str:
    return trafilatura.extract(html, include_comments=False) or ""


SYSTEMS = {"claimscope": _claimscope, "trafilatura": _trafilatura}


def evaluate(data_dir: str | pathlib.Path = DEFAULT_DATA) -> dict:
    """Run both systems over the benchmark; return figures, per-system timings and recall drops."""
    data_dir = pathlib.Path(data_dir)
    gold = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    rows: dict[str, list] = {name: [] for name in SYSTEMS}
    times: dict[str, list[float]] = {name: [] for name in SYSTEMS}
    drops = []
    for page_id in sorted(gold):
        entry = gold[page_id]
        html = decode(gzip.decompress((data_dir / "html" / f"{page_id}.html.gz").read_bytes()))
        recalls = {}
        for name, system in SYSTEMS.items():
            start = time.perf_counter()
            pred = system(html, entry["url"])
            times[name].append((time.perf_counter() - start) * 1000)
            scores = page_scores(entry["articleBody"], pred)
            rows[name].append(scores)
            recalls[name] = scores[1]
        if recalls["claimscope"] < recalls["trafilatura"] - 1e-9:
            drops.append({"page": page_id[:12], "url": entry["url"],
                          "recall": round(recalls["claimscope"], 4),
                          "trafilatura_recall": round(recalls["trafilatura"], 4)})
    drops.sort(key=lambda d: d["recall"] - d["trafilatura_recall"])
    result: dict = {"pages": len(gold)}
    for name in SYSTEMS:
        result[name] = {
            **{k: round(v, 4) if isinstance(v, float) else v for k, v in summarise(rows[name]).items()},
            "mean_ms": round(statistics.fmean(times[name]), 2),
            "median_ms": round(statistics.median(times[name]), 2),
        }
    result["recall_dropped_pages"] = len(drops)
    result["recall_dropped"] = drops[:WORST_SHOWN]
    return result


def main(argv: list[str]) -> None:
    result = evaluate(argv[1] if len(argv) > 1 else DEFAULT_DATA)
    print(f"article-extraction benchmark, {result['pages']} pages")
    print(f"{'system':<12} {'F1':>13} {'P':>6} {'R':>6} {'acc':>6} {'empty':>5} {'mean ms':>8} {'median':>7}")
    for name in SYSTEMS:
        s = result[name]
        print(f"{name:<12} {s['f1']:.3f} ±{s['f1_std']:.3f} {s['precision']:>6.3f} {s['recall']:>6.3f} "
              f"{s['accuracy']:>6.3f} {s['empty_predictions']:>5} {s['mean_ms']:>8.1f} {s['median_ms']:>7.1f}")
    print(f"pages where claimscope's recall < plain trafilatura's (body text dropped by cleaning): "
          f"{result['recall_dropped_pages']}")
    for d in result["recall_dropped"]:
        print(f"  {d['page']}  R {d['recall']:.3f} vs {d['trafilatura_recall']:.3f}  {d['url']}")
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv)
