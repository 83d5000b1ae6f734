"""Shared fixtures. One conftest for the whole suite (no per-directory sprawl)."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "north-korean-troops.txt"
FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def nlp():
    from claimscope.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def parse(nlp):
    """parse(text, published=None) -> spaCy Doc with every claimscope component run."""
    from claimscope.nlp import make_doc

    def _parse(text: str, published: str | dt.date | None = None):
        if isinstance(published, str):
            published = dt.date.fromisoformat(published)
        return nlp(make_doc(nlp, text, published))

    return _parse


def check_spans(ledger: dict) -> int:
    """Assert that every span in a contract-JSON ledger slices document.text to its text.

    Returns the number of spans checked. Used on every ledger the suite makes.
    """
    text = ledger["document"]["text"]
    n = 0

    def ok(obj, what):
        nonlocal n
        s, e = obj["span"]
        assert 0 <= s <= e <= len(text), (what, obj)
        assert text[s:e] == obj["text"], (what, obj, text[s:e])
        n += 1

    for q in ledger["quantities"]:
        ok(q, "quantity")
    for t in ledger["times"]:
        ok(t, "time")
    for a in ledger["attributions"]:
        for role in ("speaker", "cue", "content"):
            if a.get(role):
                ok(a[role], role)
        for v in a["via"]:
            if v.get("span"):
                s, e = v["span"]
                assert 0 <= s <= e <= len(text)
                n += 1
    for ent in ledger["entities"]:
        for s, e in ent["mentions"]:
            assert 0 <= s <= e <= len(text)
            assert text[s:e].strip(), ent
            n += 1
    return n
