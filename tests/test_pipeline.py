"""The whole pipeline on the reference article, through the API and through the CLI."""

from __future__ import annotations

import collections
import json
import subprocess
import sys

import pytest

import claimscope
from claimscope.schema import validate_ledger

from conftest import ROOT, SEED, check_spans

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="the shared seed article is not here")


@pytest.fixture(scope="module")
def seed():
    return claimscope.extract(SEED.read_text(encoding="utf-8"), published="2024-10-18", source=str(SEED))


def test_seed_body_is_clean(seed):
    doc = seed.document
    assert doc.title == "Ukraine Issues Update on North Koreans Fighting For Russia"
    assert doc.text.startswith("There are now almost 11,000 North Korean infantry troops")
    assert doc.text.rstrip().endswith("the possibility of such a deployment is highly likely.\u201d")
    for junk in ("Source link", "Visited 1 times", "Leave a Reply", "Required fields", "In this photo provided"):
        assert junk not in doc.text
        assert any(junk in r for r in doc.removed)
    assert doc.published == "2024-10-18" and doc.language == "en"


def test_seed_named_attributions(seed):
    named = [a for a in seed.attributions if a.speaker is not None and a.speaker.entity is not None]
    by = collections.Counter(a.speaker.name for a in named)
    assert by == {
        "Defense Intelligence Directorate": 1,
        "Kyrylo Budanov": 3,
        "Volodymyr Zelensky": 2,
        "National Intelligence Service": 3,
        "Mark Rutte": 2,
        "Suspilne": 1,
        "comprehensive strategic partnership pact": 1,
        "Kim Yong-hyun": 1,
    }, [(a.speaker.text, a.speaker.name) for a in named]
    budanov = [a for a in named if a.speaker.name == "Kyrylo Budanov"]
    assert {"He", "he"} <= {a.speaker.text for a in budanov}
    zelensky = [a for a in named if a.speaker.name == "Volodymyr Zelensky"]
    assert [v.name for v in zelensky[1].via] == ["The Associated Press"] and zelensky[0].via == ()
    nis = [a for a in named if a.speaker.name == "National Intelligence Service"]
    assert [v.name for v in nis[0].via] == ["Yonhap"]
    assert nis[1].hedges == ("reportedly",)
    assert nis[2].speaker.text == "It" and "believes" in nis[2].hedges
    rutte = [a for a in named if a.speaker.name == "Mark Rutte"]
    assert rutte[0].negated and rutte[0].type == "mixed" and not rutte[1].negated
    kim = next(a for a in named if a.speaker.name == "Kim Yong-hyun")
    assert kim.type == "direct" and kim.cue.text == "said"


def test_seed_quantities(seed):
    got = {q.text: q for q in seed.quantities}
    expected = {
        "almost 11,000": ("approx", 11000, None, None),
        "2,600": ("exact", 2600, None, None),
        "about 10,000": ("approx", 10000, None, None),
        "between 10,000 and 12,000": ("range", None, 10000, 12000),
        "around 1,500": ("approx", 1500, None, None),
        "an estimated 18": ("approx", 18, None, None),
        "about four miles": ("approx", 4, None, None),
        "24 years": ("exact", 24, None, None),
    }
    assert set(got) == set(expected)
    for text, (bound, value, low, high) in expected.items():
        q = got[text]
        assert q.bound == bound and q.value == value, q
        if bound == "range":
            assert (q.low, q.high) == (low, high)
        assert q.concept or q.unit, q
    assert got["almost 11,000"].concept == "North Korean infantry troops"
    assert got["about four miles"].unit == "mile" and got["24 years"].unit == "year"


def test_seed_times(seed):
    got = {t.text: t for t in seed.times}
    assert got["Thursday"].start_date == "2024-10-17"
    assert got["November 1"].start_date == "2024-11-01"
    assert (got["October 8 to 13"].start_date, got["October 8 to 13"].end_date) == ("2024-10-08", "2024-10-13")
    assert got["August 6"].start_date == "2024-08-06"


def test_seed_cli_json_contract():
    proc = subprocess.run(
        [sys.executable, "-m", "claimscope.cli", "extract", str(SEED), "--published", "2024-10-18", "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    validate_ledger(data)
    assert check_spans(data) > 100
    assert data["schema_version"] == 1 and data["document"]["published"] == "2024-10-18"


def test_jsonl_batch_keeps_order_and_ids(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(
        "\n".join(json.dumps(r) for r in [
            {"id": "b", "text": "Officials said the port would reopen on Monday.", "published": "2025-01-10"},
            {"id": "a", "html": "<html><body><article><h1>Floods</h1><p>The mayor said three bridges were closed."
                               " Residents were told to stay home.</p></article></body></html>"},
            {"id": "c", "text": ""},
            "not an object",
        ]) + "\n{broken json\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "claimscope.cli", "extract", "--jsonl", str(src)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [x["document"]["id"] for x in lines] == ["b", "a"]
    assert lines[0]["times"][0]["start"] == "2025-01-13"
    assert proc.stderr.count("skipped") == 3


def test_api_record_and_ledger_round_trip():
    led = claimscope.extract("The council said the budget would rise by 4 percent.", clean=False)
    again = claimscope.Ledger.from_dict(json.loads(led.to_json()))
    assert again.to_dict() == led.to_dict()
    assert led.document.id == claimscope.extract("The council said the budget would rise by 4 percent.",
                                                  clean=False).document.id
