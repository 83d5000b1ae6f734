"""Attribution accuracy on PolNeAR dev: claimscope and textacy, same documents, same scorer.

    python bench/attribution.py ../shared/data/attribution/polnear-dev.jsonl [--limit N] [--errors N]
    python bench/attribution.py ../shared/data/attribution/polnear-dev.jsonl --analysis [--examples N]

Scores (read ../shared/data/attribution/README.md for the data):

* content match: a prediction matches a gold attribution when their contents share at least
  half of the longer one's word tokens (contents are compared as their fragments: the pieces of
  a split quote, without the interleaved "he said"); one-to-one, greedy by overlap; P/R/F1;
* content + speaker: the match also has the speaker right: the predicted speaker span overlaps
  the gold speaker mention (pronouns included); a gold attribution with no source needs a
  prediction with no speaker;
* exact: P/R/F1 of exact speaker, cue and content spans (for the literature's numbers).

Each is given for all gold attributions and for the ``cue_is_reporting`` subset. On the subset,
recall counts subset gold only, and a prediction matched to a gold attribution outside the
subset is neither a hit nor a false alarm (it is a correct claim the subset does not ask for).
The peer is textacy's ``direct_quotations`` on the same model's parse. Prints a table, then
one JSON line of all figures.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import re
import sys
import time

DEFAULT = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data" / "attribution" / "polnear-dev.jsonl"
_WORD = re.compile(r"\w+")


def load(path: str | pathlib.Path, limit: int | None = None) -> list[dict]:
    docs = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                docs.append(json.loads(line))
            if limit and len(docs) >= limit:
                break
    return docs


def _token_index(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD.finditer(text)]


def _tokens(words: list[tuple[int, int]], frags) -> frozenset[int]:
    """Indexes of the word tokens that overlap any fragment."""
    import bisect

    starts = [w[0] for w in words]
    out = set()
    for s, e in frags:
        i = max(0, bisect.bisect_right(starts, s) - 1)
        while i < len(words) and words[i][0] < e:
            if words[i][1] > s:
                out.add(i)
            i += 1
    return frozenset(out)


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred, "gold": n_gold}


def _overlaps(a, b) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def score(docs: list[dict], predictions: list[list[dict]]) -> dict:
    """Score predictions (per doc: dicts with content_fragments, speaker_span, cue_span, content_span)."""
    tot = {k: 0 for k in ("pred", "gold", "gold_rep", "tp", "tp_sp", "tp_rep", "tp_sp_rep", "fp", "fp_sp",
                          "ex_sp_tp", "ex_sp_pred", "ex_sp_gold", "ex_cue_tp", "ex_cue_pred", "ex_cue_gold",
                          "ex_ct_tp", "ex_ct_pred", "ex_ct_gold")}
    for doc, preds in zip(docs, predictions):
        words = _token_index(doc["text"])
        golds = doc["quotes"]
        g_tok = [_tokens(words, g["content_fragments"]) for g in golds]
        p_tok = [_tokens(words, p["content_fragments"]) for p in preds]
        pairs = []
        for i, pt in enumerate(p_tok):
            for j, gt in enumerate(g_tok):
                inter = len(pt & gt)
                if inter and inter >= 0.5 * max(len(pt), len(gt)):
                    pairs.append((inter / max(len(pt), len(gt)), i, j))
        pairs.sort(reverse=True)
        used_p, used_g, match = set(), set(), {}
        for _, i, j in pairs:
            if i not in used_p and j not in used_g:
                used_p.add(i)
                used_g.add(j)
                match[i] = j
        tot["pred"] += len(preds)
        tot["gold"] += len(golds)
        tot["gold_rep"] += sum(1 for g in golds if g["cue_is_reporting"])
        for i, p in enumerate(preds):
            j = match.get(i)
            if j is None:
                tot["fp"] += 1
                tot["fp_sp"] += 1
                continue
            g = golds[j]
            sp_ok = _overlaps(p["speaker_span"], g["speaker_span"]) if g["speaker_span"] else p["speaker_span"] is None
            tot["tp"] += 1
            tot["tp_sp"] += sp_ok
            if not sp_ok:
                tot["fp_sp"] += 1
            if g["cue_is_reporting"]:
                tot["tp_rep"] += 1
                tot["tp_sp_rep"] += sp_ok
        # Exact spans.
        for key, gkey in (("sp", "speaker_span"), ("cue", "cue_span"), ("ct", "content_span")):
            gs = {tuple(g[gkey]) for g in golds if g[gkey]}
            ps = {tuple(p[gkey]) for p in preds if p[gkey]}
            tot[f"ex_{key}_tp"] += len(gs & ps)
            tot[f"ex_{key}_pred"] += len(ps)
            tot[f"ex_{key}_gold"] += len(gs)
    # On the subset, predictions matched to non-subset gold are left out of precision.
    rep_pred = tot["tp_rep"] + tot["fp"]
    rep_pred_sp = tot["tp_sp_rep"] + (tot["fp"] + (tot["tp_rep"] - tot["tp_sp_rep"]))
    return {
        "all": {
            "content": _prf(tot["tp"], tot["pred"], tot["gold"]),
            "content_speaker": _prf(tot["tp_sp"], tot["pred"], tot["gold"]),
        },
        "reporting": {
            "content": _prf(tot["tp_rep"], rep_pred, tot["gold_rep"]),
            "content_speaker": _prf(tot["tp_sp_rep"], rep_pred_sp, tot["gold_rep"]),
        },
        "exact": {
            "speaker": _prf(tot["ex_sp_tp"], tot["ex_sp_pred"], tot["ex_sp_gold"]),
            "cue": _prf(tot["ex_cue_tp"], tot["ex_cue_pred"], tot["ex_cue_gold"]),
            "content": _prf(tot["ex_ct_tp"], tot["ex_ct_pred"], tot["ex_ct_gold"]),
        },
    }


def predict_claimscope(docs: list[dict]) -> tuple[list[list[dict]], float]:
    from claimscope.pipeline import Record, extract_many

    recs = [Record(d["text"], id=d["id"], published=d.get("publication_date"), clean=False) for d in docs]
    t0 = time.perf_counter()
    out = []
    for ledger in extract_many(recs, raise_errors=True):
        preds = []
        for a in ledger.attributions:
            c = a.content
            preds.append({
                "content_fragments": list(c.fragments) or [(c.start, c.end)],
                "content_span": (c.start, c.end),
                "speaker_span": (a.speaker.start, a.speaker.end) if a.speaker else None,
                "cue_span": (a.cue.start, a.cue.end) if a.cue else None,
            })
        out.append(preds)
    return out, time.perf_counter() - t0


def predict_textacy(docs: list[dict]) -> tuple[list[list[dict]], float]:
    from textacy.extract.triples import direct_quotations

    from claimscope.nlp import load_bare

    nlp = load_bare()
    t0 = time.perf_counter()
    out = []
    for doc in nlp.pipe((d["text"] for d in docs), batch_size=16):
        preds = []
        try:
            triples = list(direct_quotations(doc))
        except Exception:  # textacy raises on some unbalanced quotes; count as no output
            triples = []
        for t in triples:
            content = (t.content.start_char, t.content.end_char)
            sp = (min(x.idx for x in t.speaker), max(x.idx + len(x) for x in t.speaker)) if t.speaker else None
            cue = (min(x.idx for x in t.cue), max(x.idx + len(x) for x in t.cue)) if t.cue else None
            preds.append({"content_fragments": [content], "content_span": content, "speaker_span": sp, "cue_span": cue})
        out.append(preds)
    return out, time.perf_counter() - t0


def evaluate(path: str | pathlib.Path = DEFAULT, limit: int | None = None, peers: bool = True) -> dict:
    docs = load(path, limit)
    preds, secs = predict_claimscope(docs)
    result = {"documents": len(docs), "words": sum(len(d["text"].split()) for d in docs),
              "claimscope": score(docs, preds), "claimscope_seconds": round(secs, 2)}
    if peers:
        tpreds, tsecs = predict_textacy(docs)
        result["textacy"] = score(docs, tpreds)
        result["textacy_seconds"] = round(tsecs, 2)
    return result


def errors(path: str | pathlib.Path, n: int, limit: int | None = None) -> None:
    """Print misses and false alarms, for error analysis."""
    import random

    docs = load(path, limit)
    preds, _ = predict_claimscope(docs)
    misses, alarms = [], []
    for doc, ps in zip(docs, preds):
        words = _token_index(doc["text"])
        g_tok = [_tokens(words, g["content_fragments"]) for g in doc["quotes"]]
        p_tok = [_tokens(words, p["content_fragments"]) for p in ps]
        for j, g in enumerate(doc["quotes"]):
            if not any(len(pt & g_tok[j]) >= 0.5 * max(len(pt), len(g_tok[j])) for pt in p_tok if pt):
                misses.append((doc, g))
        for i, p in enumerate(ps):
            if not any(len(p_tok[i] & gt) >= 0.5 * max(len(p_tok[i]), len(gt)) for gt in g_tok if gt):
                alarms.append((doc, p))
    random.seed(0)
    print(f"== {len(misses)} misses (sample)")
    for doc, g in random.sample(misses, min(n, len(misses))):
        s, e = g["content_span"]
        print(f"- [{g['cue_is_reporting'] and 'rep' or 'non'}] SP={g['speaker']!r} CUE={g['cue']!r}\n    {doc['text'][max(0, s - 120):e + 60]!r}")
    print(f"== {len(alarms)} false alarms (sample)")
    for doc, p in random.sample(alarms, min(n, len(alarms))):
        s, e = p["content_span"]
        sp = doc["text"][p["speaker_span"][0]:p["speaker_span"][1]] if p["speaker_span"] else None
        cue = doc["text"][p["cue_span"][0]:p["cue_span"][1]] if p["cue_span"] else None
        print(f"- SP={sp!r} CUE={cue!r}\n    {doc['text'][max(0, s - 80):e + 40]!r}")


# Kinds of miss and false alarm, by rules on the gold and on the parse (first rule that holds).
MISS_KINDS = {
    "boundary": "a prediction overlaps the gold content, but by less than half",
    "non-reporting cue": "gold cue is not a reporting word (evaluations, plans, nouns: 'the outlook')",
    "noun or phrase cue": "gold cue is a noun or a multi-word phrase ('in a statement', 'the report')",
    "cue verb not in lexicon": "gold cue is a verb claimscope does not treat as a cue",
    "no source": "gold attribution has no source span (implicit or agentless)",
    "cue in lexicon, missed": "a known cue verb whose attribution the rules did not build",
}
ALARM_KINDS = {
    "boundary": "overlaps a gold content, but by less than half",
    "cognition verb": "cue is a verb of thought (think, believe, expect) the annotators left out",
    "speech verb, not annotated": "cue is a speech verb in a sentence with no gold attribution there",
    "speech verb, other claim": "cue is a speech verb; a different claim in the sentence is gold",
    "other cue": "any other cue (according to, colon, dash credits, nouns)",
}


def analysis(path: str | pathlib.Path, limit: int | None = None, examples: int = 0) -> dict:
    """Classify every miss and false alarm of the content-match score (see MISS_KINDS and
    ALARM_KINDS); print the counts, most common first, and return them."""
    from collections import Counter

    from claimscope import _lexicon as lex
    from claimscope.attributions import CUE_LEMMAS
    from claimscope.nlp import load_bare

    docs = load(path, limit)
    preds, _ = predict_claimscope(docs)
    nlp = load_bare()
    misses, alarms = Counter(), Counter()
    shown: dict[str, list[str]] = {}
    for doc, ps, parsed in zip(docs, preds, nlp.pipe((d["text"] for d in docs), batch_size=16)):
        words = _token_index(doc["text"])
        g_tok = [_tokens(words, g["content_fragments"]) for g in doc["quotes"]]
        p_tok = [_tokens(words, p["content_fragments"]) for p in ps]

        def toks(span):
            return [t for t in parsed if span and span[0] <= t.idx < span[1]]

        for j, g in enumerate(doc["quotes"]):
            gt = g_tok[j]
            if any(len(pt & gt) >= 0.5 * max(len(pt), len(gt)) for pt in p_tok if pt):
                continue
            cue = toks(g["cue_span"])
            verbs = [t for t in cue if t.pos_ in ("VERB", "AUX")]
            if any(pt & gt for pt in p_tok):
                kind = "boundary"
            elif not g["cue_is_reporting"]:
                kind = "non-reporting cue"
            elif not g["speaker_span"]:
                kind = "no source"
            elif not verbs:
                kind = "noun or phrase cue"
            elif not any(t.lemma_.lower() in CUE_LEMMAS for t in verbs):
                kind = "cue verb not in lexicon"
            else:
                kind = "cue in lexicon, missed"
            misses[kind] += 1
            s0, e0 = g["content_span"]
            shown.setdefault("miss: " + kind, []).append(f"{g['speaker']!r} {g['cue']!r}: {doc['text'][s0:e0][:90]!r}")
        for i, p in enumerate(ps):
            pt = p_tok[i]
            if any(len(pt & gt) >= 0.5 * max(len(pt), len(gt)) for gt in g_tok if gt):
                continue
            cue = toks(p["cue_span"])
            lemmas = {t.lemma_.lower() for t in cue}
            sent = cue[0].sent if cue else None
            gold_here = sent is not None and any(
                sent.start_char <= g["content_span"][0] < sent.end_char or sent.start_char <= g["cue_span"][0] < sent.end_char
                for g in doc["quotes"] if g["cue_span"])
            if any(pt & gt for gt in g_tok):
                kind = "boundary"
            elif lemmas & lex.COGNITION_VERBS:
                kind = "cognition verb"
            elif lemmas & lex.SPEECH_VERBS:
                kind = "speech verb, other claim" if gold_here else "speech verb, not annotated"
            else:
                kind = "other cue"
            alarms[kind] += 1
            s0, e0 = p["content_span"]
            c0 = p["cue_span"]
            shown.setdefault("false: " + kind, []).append(
                f"{doc['text'][c0[0]:c0[1]] if c0 else None!r}: {doc['text'][s0:e0][:90]!r}")
    print(f"misses: {sum(misses.values())}")
    for kind, n in misses.most_common():
        print(f"  {n:5}  {kind}: {MISS_KINDS[kind]}")
    print(f"false alarms: {sum(alarms.values())}")
    for kind, n in alarms.most_common():
        print(f"  {n:5}  {kind}: {ALARM_KINDS[kind]}")
    if examples:
        for key, rows in sorted(shown.items()):
            print(f"== {key}")
            for r in rows[:examples]:
                print("   ", r)
    return {"misses": dict(misses), "false_alarms": dict(alarms)}


def _row(name: str, s: dict, key: str, sub: str) -> str:
    x = s[key][sub]
    return f"| {name} | {key} | {sub} | {x['p']:.3f} | {x['r']:.3f} | {x['f1']:.3f} |"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, default=None, help="first N documents only")
    ap.add_argument("--no-peers", action="store_true", help="skip textacy")
    ap.add_argument("--errors", type=int, default=0, help="print N sampled misses and false alarms")
    ap.add_argument("--analysis", action="store_true", help="count misses and false alarms by kind")
    ap.add_argument("--examples", type=int, default=0, help="with --analysis: N examples of each kind")
    args = ap.parse_args(argv)
    if args.analysis:
        print(json.dumps(analysis(args.path, args.limit, args.examples)))
        return 0
    if args.errors:
        errors(args.path, args.errors, args.limit)
        return 0
    res = evaluate(args.path, args.limit, peers=not args.no_peers)
    print(f"PolNeAR dev: {res['documents']} documents, {res['words']:,} words")
    print("| system | gold | score | P | R | F1 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in ("claimscope", "textacy"):
        if name not in res:
            continue
        for key in ("reporting", "all"):
            for sub in ("content", "content_speaker"):
                print(_row(name, res[name], key, sub))
        for sub in ("speaker", "cue", "content"):
            print(_row(name, res[name], "exact", sub))
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
