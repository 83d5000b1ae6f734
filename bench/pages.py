"""Article-body extraction benchmark: claimscope's ``clean_html`` against plain trafilatura.

Usage: python bench/pages.py [DATA_DIR]   (default /work/shared/data/article-extraction/)
       python bench/pages.py --analysis [--examples=N] [DATA_DIR]   (where the scores lose, by kind)

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


# Kinds of lost and extra text, by rules on the block (first rule that holds).
_BYLINE = re.compile(r"^(?:by\s|posted\b|published\b|updated\b|written by\b)|\b(?:19|20)\d\d\b.{0,20}$|\d{1,2}:\d\d", re.I)
_LOST_KINDS = {
    "short line": "a line of under 8 words the gold keeps (subheads, captions, list items, labels)",
    "opening paragraph": "the first paragraph of the gold (standfirst, lead or teaser outside the body)",
    "closing paragraph": "the last paragraph of the gold (author notes, corrections, sign-offs)",
    "list or table": "a run of short lines, or text in a list or table the extractor skipped",
    "body paragraph": "a paragraph in the middle of the body",
}
_EXTRA_KINDS = {
    "title or byline": "the headline, a byline or a date line the gold leaves out",
    "short line": "a line of under 8 words (labels, captions, headings, buttons)",
    "after the body": "text after the end of the gold body (related stories, comments, footers)",
    "before the body": "text before the start of the gold body (teasers, navigation, summaries)",
    "inside the body": "a block within the body the gold leaves out (captions, pull quotes, ads)",
}


def _blocks(text: str) -> list[str]:
    return [b.strip() for b in text.split("\n") if _TOKEN.search(b)]


def _share_in(block: str, other: collections.Counter, other_words: str) -> float:
    """How much of a block the other text has: its 4-gram shingles, or, for a block of under
    8 words (whose shingles run across line ends in the score), its words in sequence."""
    words = _TOKEN.findall(block)
    if len(words) < 8:
        return 1.0 if f" {' '.join(words)} " in other_words else 0.0
    sh = shingles(block)
    return sum((sh & other).values()) / max(1, sum(sh.values()))


def analysis(data_dir: str | pathlib.Path = DEFAULT_DATA, examples: int = 0) -> dict:
    """Where claimscope's page scores lose: gold text not extracted and extracted text not in
    the gold, as word 4-gram shingles, by kind of block (see _LOST_KINDS and _EXTRA_KINDS)."""
    data_dir = pathlib.Path(data_dir)
    gold = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    lost, extra = collections.Counter(), collections.Counter()
    lost_pages, extra_pages = collections.Counter(), collections.Counter()
    shown: dict[str, list[str]] = {}
    for page_id in sorted(gold):
        entry = gold[page_id]
        html = decode(gzip.decompress((data_dir / "html" / f"{page_id}.html.gz").read_bytes()))
        pred = _claimscope(html, entry["url"])
        g_blocks, p_blocks = _blocks(entry["articleBody"]), _blocks(pred)
        g_all, p_all = shingles(entry["articleBody"]), shingles(pred)
        g_words = f" {' '.join(_TOKEN.findall(entry['articleBody']))} "
        p_words = f" {' '.join(_TOKEN.findall(pred))} "
        seen = set()
        for k, b in enumerate(g_blocks):
            share = _share_in(b, p_all, p_words)
            if share >= 0.5:
                continue
            n = sum(shingles(b).values())
            words = len(_TOKEN.findall(b))
            short_run = words < 8 and (k > 0 and len(_TOKEN.findall(g_blocks[k - 1])) < 8
                                       or k + 1 < len(g_blocks) and len(_TOKEN.findall(g_blocks[k + 1])) < 8)
            kind = ("list or table" if short_run else "short line" if words < 8 else
                    "opening paragraph" if k == 0 else "closing paragraph" if k == len(g_blocks) - 1 else "body paragraph")
            lost[kind] += n
            seen.add(("lost", kind))
            shown.setdefault("lost: " + kind, []).append(f"{entry['url'][:60]}: {b[:100]!r}")
        first = next((i for i, b in enumerate(p_blocks) if _share_in(b, g_all, g_words) >= 0.5), 0)
        last = max((i for i, b in enumerate(p_blocks) if _share_in(b, g_all, g_words) >= 0.5), default=len(p_blocks) - 1)
        for k, b in enumerate(p_blocks):
            if _share_in(b, g_all, g_words) >= 0.5:
                continue
            n = sum(shingles(b).values())
            words = len(_TOKEN.findall(b))
            kind = ("title or byline" if k <= first and (k == 0 or _BYLINE.search(b)) else "short line" if words < 8
                    else "after the body" if k > last else "before the body" if k < first else "inside the body")
            extra[kind] += n
            seen.add(("extra", kind))
            shown.setdefault("extra: " + kind, []).append(f"{entry['url'][:60]}: {b[:100]!r}")
        for side, kind in seen:
            (lost_pages if side == "lost" else extra_pages)[kind] += 1
    out = {"lost_shingles": dict(lost), "lost_pages": dict(lost_pages),
           "extra_shingles": dict(extra), "extra_pages": dict(extra_pages)}
    print("gold text not extracted (recall), in 4-gram shingles, by kind; pages with that kind")
    for kind, n in lost.most_common():
        print(f"  {n:6}  {lost_pages[kind]:4} pages  {kind}: {_LOST_KINDS[kind]}")
    print("extracted text not in the gold (precision), in 4-gram shingles, by kind; pages with that kind")
    for kind, n in extra.most_common():
        print(f"  {n:6}  {extra_pages[kind]:4} pages  {kind}: {_EXTRA_KINDS[kind]}")
    if examples:
        for key, rows in sorted(shown.items()):
            print(f"== {key}")
            for r in rows[:examples]:
                print("   ", r)
    return out


def main(argv: list[str]) -> None:
    if "--analysis" in argv:
        argv = [a for a in argv if a != "--analysis"]
        examples = next((int(a.split("=", 1)[1]) for a in argv if a.startswith("--examples=")), 0)
        argv = [a for a in argv if not a.startswith("--examples=")]
        print(json.dumps(analysis(argv[1] if len(argv) > 1 else DEFAULT_DATA, examples)))
        return
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
