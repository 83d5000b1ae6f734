"""Quantity extraction accuracy: claimscope and quantulum3, same sentences, same scorer.

    python bench/quantities.py [DATA_PATH ...] [--errors N]

DATA_PATH defaults to ``../shared/data/quantities/newsquant-dev.jsonl``; also run it on
``quantulum3_tests.jsonl`` and ``cqe_recognizers_units.jsonl`` (read that folder's README).

The protocol is the CQE authors' (``evaluate_models.py`` of CQE_Evaluation), with one change
noted below. The unit of scoring is a quantity within a sentence; there is no span matching.

* value: a gold value matches a predicted one when ``np.isclose(rtol=1e-5, atol=1e-8)``
  holds; a gold range (``bound == "range"``: low/high) matches only a predicted range with
  both ends close. Matching is greedy per sentence in gold order, and one-to-one: each gold
  quantity takes the first unused prediction with a matching value, preferring one whose unit
  also matches. (The authors' loop does not consume a prediction whose unit differs, so one
  prediction can count for two gold values; ours cannot.) P = hits / predictions,
  R = hits / gold quantities, micro-averaged.
* value+unit: the matched pair also has equal lower-cased units in the gold file's vocabulary
  (NewsQuant and the Recognizers sets: CQE's normalised unit names; quantulum3's tests: its
  unit names). Our unit names are mapped with the explicit tables ``TO_CQE`` and
  ``TO_QUANTULUM`` below, part by part for rates ("USD per share" -> "dollar per share").
  Plain counts: CQE annotates the counted noun as the unit ("500 people" -> "people",
  "four regional offices" -> "regional office"); claimscope has ``unit=None`` and puts the
  counted noun in ``concept``, so for a count the mapped unit is the concept's lemmas without
  stop words ("regional offices" -> "regional office"), or "-" (CQE's "no unit") without a
  concept. A count is a quantity with no unit whose concept is written right after it (or
  after "of": "dozens of people", "one of the founders"; or glued by a hyphen: "six-cylinder");
  a unitless number whose concept is found elsewhere ("a forecast of 7,500") has the unit "-"
  and keeps its concept. For quantulum3's vocabulary a count is "dimensionless".
  The tables map a name only to the other vocabulary's name for the same unit (each entry is
  commented where not obvious). Deliberately not mapped: CQE normalises the letter "p" after a
  price to "point" ("118.5p", seven dev quantities) but "pence"/"penny" to "penny"; "118.5p"
  is 118.5 pence, our "penny", so it stays "penny" and those count as unit misses. Likewise
  "Y=" for "¥" (a text-cleaning artefact of the gold sentences) is not read as a yen sign.
* value+bound: the matched pair also has the same bound. Gold bounds are the file's ``bound``
  field, converted by the data README from CQE's change labels: ``=`` exact, ``~`` approx,
  ``>`` at_least, ``<`` at_most, any "a-b" value range, and ``up``/``down`` exact (a rise of
  5% states an exact amount; claimscope does not extract the direction of a change).
* value+change (strict, the authors' metric): our bound mapped to CQE's labels (exact "=",
  approx "~", at_least ">", at_most "<", range "="); gold ``up``/``down`` can never match.
* concept (partial): the matched pair's concepts share a token (lower-cased, split on commas
  and whitespace). As in the authors' scorer, a quantity without a concept is the token "-",
  so "no concept" matches "no concept". The two schemes split the information differently:
  CQE's concept is what a quantity is *about* ("a retailer with 900 stores" -> "retailer",
  "60 per cent of its revenue" -> "revenue, e-commerce giant") and a count's counted noun is
  its unit; claimscope's ``concept`` is the thing counted or measured ("stores", "revenue")
  and ``about`` the entity or thing it is about ("retailer", "e-commerce giant"). Views:
    - ``concept+about`` (the documented view, ``CONCEPT``): the gold concept against our
      concept tokens and about tokens together; "-" only when we have neither.
      A count whose gold concept is "-" (CQE put the counted noun in the unit and found no
      owner: "19 fouls", "one hand") can never match here, since our concept holds the
      counted noun;
    - ``concept+about (count noun as unit)``: the same, except that a count's counted noun
      is left out (it is scored as its unit above), so a count is scored on its about alone,
      "-" without one: CQE's split of the same information;
    - ``concept``: our ``concept`` alone against the gold concept (the view before ``about``);
    - ``concept (count noun as unit)``: as the previous, with a count's concept "-";
    - ``concept (count vs unit+concept)``: a count's concept against the gold unit and
      concept together, the two fields over which the data README says CQE splits the
      counted thing ("10,000 North Korean infantry troops").

The peer is quantulum3 0.10.0 on the same sentences. Its shipped disambiguation classifier
(``clf.joblib``) does not load under the scikit-learn installed here (pickle error
``No module named '_loss'``), so it runs in its own no-classifier mode (``USE_CLF = False``,
the mode it uses when scikit-learn is absent). Its units are mapped to CQE's vocabulary with
the table the CQE authors used for it (``QUANTULUM_TO_CQE``); a quantulum3 range (value plus
uncertainty) is scored as the range value -/+ uncertainty, as the quantulum3 gold file is.
It has no bounds (exact, or range) and no concepts.

Prints a table per file, then one JSON line of all figures.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import re
import sys
import time
from dataclasses import dataclass

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "quantities"
DEFAULT = DATA / "newsquant-dev.jsonl"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# claimscope unit name -> CQE normalised unit name. Names not listed map to themselves
# (lower-cased): "mile", "kilometre", "year", "day", "kilowatt", "gigabyte", "percentage point"...
TO_CQE = {
    "percent": "percentage",
    "USD": "dollar", "AUD": "australian dollar", "CAD": "canadian dollar", "HKD": "hong kong dollar",
    "NZD": "new zealand dollar", "SGD": "singapore dollar", "TWD": "new taiwan dollar", "EUR": "euro",
    "GBP": "pound sterling", "JPY": "japanese yen", "CNY": "chinese yuan", "INR": "rupee",
    "ILS": "shekel", "DKK": "danish krone", "SEK": "swedish krona", "NOK": "norwegian krone",
    "CHF": "swiss franc", "RUB": "russian ruble", "KRW": "south korean won", "MYR": "malaysian ringgit",
    "THB": "thai baht", "MXN": "mexican peso", "PHP": "philippine peso", "ZAR": "south african rand",
    "TRY": "turkish lira", "BRL": "brazilian real", "UAH": "ukrainian hryvnia", "PLN": "polish zloty",
    "NGN": "nigerian naira", "HRK": "croatian kuna", "BTC": "bitcoin",
    "degree Celsius": "celsius", "degree Fahrenheit": "fahrenheit", "pound": "pound-mass",
    "tonne": "metric ton", "revolution per minute": "revolutions per minute",
    "milliampere hour": "milliampere-hour", "part per billion": "parts-per-billion",
    "million British thermal units": "mega british thermal unit", "times": "count",
}
# claimscope unit name -> quantulum3 unit name (quantulum3_tests.jsonl).
TO_QUANTULUM = {
    "percent": "percentage", "USD": "dollar", "EUR": "euro", "GBP": "pound sterling",
    "JPY": "yen", "AUD": "australian dollar", "CAD": "canadian dollar", "INR": "indian rupee",
    "degree Celsius": "degree celsius", "degree Fahrenheit": "degree fahrenheit",
    "pound": "pound-mass", "times": "dimensionless", "year of age": "year",
    "month of age": "month", "week of age": "week", "day of age": "day",
}
# quantulum3 unit name -> CQE normalised unit name: the table of the CQE authors'
# QuantulumTagger (CQE_Evaluation/tagger.py), lower-cased keys.
QUANTULUM_TO_CQE = {
    "dimensionless": "-", "unk": "-", "per cent": "percentage", "dollar dollar": "dollar",
    "united states dollar": "dollar", "tonne": "metric ton", "degree angle": "degree",
    "degree celsius": "celsius", "degree fahrenheit": "fahrenheit", "percentage drop": "percentage",
    "second of arc": "second", "minute of arc": "minute", "yard yard": "yard",
    "cubic centimetre": "millilitre", "degree angle degree fahrenheit": "fahrenheit",
    "pound sterling year": "pound sterling per year", "per year per newton per day": "year",
}
BOUND_TO_CHANGE = {"exact": "=", "approx": "~", "at_least": ">", "at_most": "<", "range": "="}
_SPLIT = re.compile(r"[,\s]+")


@dataclass(frozen=True, slots=True)
class Pred:
    value: float | tuple[float, float]
    unit: str  # in the gold file's vocabulary, lower case
    bound: str
    concept: frozenset[str]  # concept tokens with a count's counted noun moved to the unit
    raw_concept: frozenset[str] = frozenset({"-"})  # tokens of our concept field as it is
    count: bool = False
    about: frozenset[str] = frozenset()  # tokens of our about field (empty without one)


def load(path: str | pathlib.Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _vocabulary(rows: list[dict]) -> str:
    """'quantulum' for quantulum3's own test file, else 'cqe'."""
    return "quantulum" if rows and str(rows[0].get("id", "")).startswith("quantulum3") else "cqe"


def _concept_tokens(text: str | None) -> frozenset[str]:
    if not text:
        return frozenset({"-"})
    toks = frozenset(t.lower() for t in _SPLIT.split(text) if t)
    return toks or frozenset({"-"})


def _map_unit(unit: str, table: dict[str, str]) -> str:
    """Our unit name in the gold vocabulary, whole ("revolution per minute") or part by part."""
    if unit in table:
        return table[unit].lower()
    return " per ".join(table.get(part, part) for part in unit.split(" per ")).lower()


_FUNCTION_POS = frozenset({"DET", "ADP", "CCONJ", "SCONJ", "PRON", "PART", "AUX", "VERB", "PUNCT"})


def _is_count(doc, q) -> bool:
    """A count: no unit and a concept right after the number ("2,600 soldiers", "dozens of people",
    "one of the founders"), glued by a hyphen ("six-cylinder") or after a series of suspended
    hyphens ("four-, five- and six-cylinder"). Without a unit, a concept found elsewhere is the
    measured thing ("estimates of 64,900")."""
    if q.unit is not None or not q.concept_span or q.concept_span[0] < q.end:
        return False
    between = doc.text[q.end : q.concept_span[0]].replace("-", " - ").replace(",", " ").lower().split()
    if "-" in between:  # a hyphenated count: only number words, hyphens and "and"/"or" before the noun
        return all(w in ("-", "and", "or") or w.isdigit() or w in _NUMBER_WORDS for w in between)
    return all(w in ("of", "the", "these", "those", "its", "their", "his", "her", "our") for w in between)


_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve".split())


def _lemma(t) -> str:
    """spaCy keeps plural proper nouns as written ("World Cups", "Americans"): singularise them."""
    if t.tag_ == "NNPS" and t.text.endswith("s") and not t.text.endswith("ss"):
        return t.text[:-1]
    return t.lemma_


def _count_unit(doc, q) -> str:
    """A count's unit in CQE's vocabulary: the counted noun's lemmas, content words only
    ("regional offices" -> "regional office", "Ford and Toyota vehicles" -> "ford toyota vehicle")."""
    span = doc.char_span(*q.concept_span, alignment_mode="expand")
    if span is None:
        return "-"
    out = "".join(_lemma(t) + t.whitespace_ for t in span if t.pos_ not in _FUNCTION_POS or t.text in ("-", "per"))
    return re.sub(r"\s+", " ", out).strip().lower() or "-"


def claimscope_preds(docs, vocab: str) -> list[list[Pred]]:
    out = []
    for doc in docs:
        preds = []
        for q in doc._.claimscope_quantities:
            value = (q.low, q.high) if q.bound == "range" else q.value
            if vocab == "quantulum" and q.unit is None:
                unit, concept = "dimensionless", frozenset({"-"})
            elif _is_count(doc, q):
                unit, concept = _count_unit(doc, q), frozenset({"-"})
            elif q.unit is None:
                unit, concept = "-", _concept_tokens(q.concept)
            else:
                unit = _map_unit(q.unit, TO_QUANTULUM if vocab == "quantulum" else TO_CQE)
                concept = _concept_tokens(q.concept)
            about = _concept_tokens(q.about) if q.about else frozenset()
            preds.append(Pred(value, unit, q.bound, concept, _concept_tokens(q.concept), _is_count(doc, q), about))
        out.append(preds)
    return out


def quantulum_preds(texts: list[str], vocab: str) -> list[list[Pred]]:
    from quantulum3 import classifier, parser

    classifier.USE_CLF = False  # the shipped classifier does not load here (see docstring)
    out = []
    for text in texts:
        preds = []
        try:
            found = parser.parse(text)
        except Exception:  # noqa: BLE001 - a peer crash on one sentence counts as no output
            found = []
        for q in found:
            name = q.unit.name.lower()
            unit = name if vocab == "quantulum" else QUANTULUM_TO_CQE.get(name, name)
            if q.uncertainty:
                value, bound = (q.value - q.uncertainty, q.value + q.uncertainty), "range"
            else:
                value, bound = q.value, "exact"
            preds.append(Pred(value, unit, bound, frozenset({"-"})))
        out.append(preds)
    return out


def _gold(q: dict, vocab: str) -> tuple:
    """(value, unit, bound, change, concept tokens, unit-as-written tokens) of a gold quantity."""
    if q.get("bound") == "range" or (q.get("value") is None and q.get("low") is not None):
        value = (float(q["low"]), float(q["high"]))
    else:
        value = float(q["value"])
    unit = q.get("unit_normalized", q.get("unit")) if vocab == "cqe" else q.get("unit")
    unit = (unit or ("-" if vocab == "cqe" else "dimensionless")).lower()
    bound = q.get("bound")
    if bound is None and q.get("change") is not None:
        bound = "exact"
    return value, unit, bound, q.get("change"), _concept_tokens(q.get("concept")), _concept_tokens(q.get("unit"))


def _close(a, b) -> bool:
    if isinstance(a, tuple) != isinstance(b, tuple):
        return False
    if isinstance(a, tuple):
        return bool(np.isclose(a[0], b[0], rtol=1e-5, atol=1e-8) and np.isclose(a[1], b[1], rtol=1e-5, atol=1e-8))
    return bool(np.isclose(a, b, rtol=1e-5, atol=1e-8))


def _with_about(tokens: frozenset[str], p: Pred) -> frozenset[str]:
    """Concept tokens and about tokens together; "-" only when both are empty."""
    return ((tokens - {"-"}) | p.about) or frozenset({"-"})


# The concept views (see the module docstring); CONCEPT is the documented one.
CONCEPT = "concept+about"
COUNT_VS_UNIT = "concept (count vs unit+concept)"
CONCEPT_VIEWS = {
    CONCEPT: lambda p: _with_about(p.raw_concept, p),
    "concept+about (count noun as unit)": lambda p: _with_about(p.concept, p),
    "concept": lambda p: p.raw_concept,
    "concept (count noun as unit)": lambda p: p.concept,
    COUNT_VS_UNIT: lambda p: p.raw_concept if p.count else p.concept,
}


def score(rows: list[dict], preds: list[list[Pred]], vocab: str, errors: list | None = None) -> dict:
    """P/R/F1 for value, value+unit, value+bound, value+change and concept (partial)."""
    n_gold = n_pred = 0
    hits = {"value": 0, "value+unit": 0, "value+bound": 0, "value+change": 0, **{v: 0 for v in CONCEPT_VIEWS}}
    has_bound = any(q.get("change") is not None for r in rows for q in r["quantities"])
    for row, plist in zip(rows, preds):
        gold = [_gold(q, vocab) for q in row["quantities"]]
        n_gold += len(gold)
        n_pred += len(plist)
        used = [False] * len(plist)
        for gv, gu, gb, gc, gcon, gunit_words in gold:
            cands = [k for k, p in enumerate(plist) if not used[k] and _close(gv, p.value)]
            if not cands:
                if errors is not None:
                    errors.append(("miss", row["id"], row["text"], gv, gu, gb))
                continue
            k = next((k for k in cands if plist[k].unit == gu), cands[0])
            used[k] = True
            p = plist[k]
            hits["value"] += 1
            hits["value+unit"] += p.unit == gu
            hits["value+bound"] += p.bound == gb
            hits["value+change"] += BOUND_TO_CHANGE[p.bound] == gc
            for view, ours in CONCEPT_VIEWS.items():
                hits[view] += bool(ours(p) & (gcon | gunit_words if view == COUNT_VS_UNIT and p.count else gcon))
            if errors is not None:
                if p.unit != gu:
                    errors.append(("unit", row["id"], row["text"], gv, gu, p.unit))
                if has_bound and p.bound != gb:
                    errors.append(("bound", row["id"], row["text"], gv, gb, p.bound))
                if has_bound and not CONCEPT_VIEWS[CONCEPT](p) & gcon:
                    errors.append(("concept", row["id"], row["text"], gv, sorted(gcon), sorted(CONCEPT_VIEWS[CONCEPT](p))))
        if errors is not None:
            for k, p in enumerate(plist):
                if not used[k]:
                    errors.append(("extra", row["id"], row["text"], p.value, p.unit, p.bound))
    metrics = ["value", "value+unit"] + (list(hits)[2:] if has_bound else [])
    out = {"n_gold": n_gold, "n_pred": n_pred}
    for m in metrics:
        p = hits[m] / n_pred if n_pred else 0.0
        r = hits[m] / n_gold if n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[m] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}
    return out


def _parse(texts: list[str]):
    from claimscope.nlp import load_nlp

    nlp = load_nlp()
    # Only the stages the quantities need; entities and attributions are someone else's.
    with nlp.select_pipes(disable=["claimscope_entities_v1", "claimscope_attributions_v1"]):
        return list(nlp.pipe(texts, batch_size=64))


def evaluate(path: str | pathlib.Path = DEFAULT, errors: list | None = None) -> dict:
    """Scores of claimscope and quantulum3 on one gold file (and per subset, if it has them)."""
    rows = load(path)
    vocab = _vocabulary(rows)
    texts = [r["text"] for r in rows]
    t0 = time.perf_counter()
    docs = _parse(texts)
    t1 = time.perf_counter()
    ours = claimscope_preds(docs, vocab)
    t2 = time.perf_counter()
    peer = quantulum_preds(texts, vocab)
    t3 = time.perf_counter()
    res = {
        "file": pathlib.Path(path).name, "sentences": len(rows),
        "claimscope": score(rows, ours, vocab, errors), "quantulum3": score(rows, peer, vocab),
        "seconds": {"parse": round(t1 - t0, 2), "quantulum3": round(t3 - t2, 2)},
    }
    subsets = sorted({r.get("subset") for r in rows if r.get("subset")})
    if len(subsets) > 1:
        res["subsets"] = {}
        for s in subsets:
            idx = [k for k, r in enumerate(rows) if r.get("subset") == s]
            sub = [rows[k] for k in idx]
            res["subsets"][s] = {
                "claimscope": score(sub, [ours[k] for k in idx], vocab),
                "quantulum3": score(sub, [peer[k] for k in idx], vocab),
            }
    return res


def _table(res: dict) -> str:
    lines = [f"{res['file']}: {res['sentences']} sentences, {res['claimscope']['n_gold']} gold quantities; "
             f"predicted: claimscope {res['claimscope']['n_pred']}, quantulum3 {res['quantulum3']['n_pred']}"]
    lines.append(f"{'metric':<36}{'claimscope P/R/F1':>26}{'quantulum3 P/R/F1':>26}")
    for m in ("value", "value+unit", "value+bound", "value+change", *CONCEPT_VIEWS):
        if m not in res["claimscope"]:
            continue
        a, b = res["claimscope"][m], res["quantulum3"][m]
        lines.append(f"{m:<36}{a['p']:>10.3f}{a['r']:>8.3f}{a['f1']:>8.3f}{b['p']:>10.3f}{b['r']:>8.3f}{b['f1']:>8.3f}")
    for s, sub in res.get("subsets", {}).items():
        a, b = sub["claimscope"], sub["quantulum3"]
        lines.append(f"  {s:<22} value F1 {a['value']['f1']:.3f} / {b['value']['f1']:.3f}   "
                     f"value+unit F1 {a['value+unit']['f1']:.3f} / {b['value+unit']['f1']:.3f}  (claimscope / quantulum3)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*", default=[str(DEFAULT)])
    ap.add_argument("--errors", type=int, default=0, help="print up to N claimscope errors per kind")
    args = ap.parse_args(argv)
    results = {}
    for path in args.paths:
        errs: list | None = [] if args.errors else None
        res = evaluate(path, errs)
        print(_table(res))
        if errs:
            by_kind: dict[str, list] = {}
            for e in errs:
                by_kind.setdefault(e[0], []).append(e)
            for kind, items in by_kind.items():
                print(f"-- {kind}: {len(items)}")
                for e in items[: args.errors]:
                    print("  ", e[1], e[3:], "|", e[2][:160])
        print()
        results[pathlib.Path(path).stem] = res
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
