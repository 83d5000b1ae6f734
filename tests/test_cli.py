"""The command line: bad input gets one clean line and its exit code; output formats work."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest

from conftest import ROOT, local_server

ENGLISH = (
    "Riverton Gazette\n\n"
    "The mayor said on Tuesday that about 300 homes had been flooded. \u201cWe will rebuild,\u201d she added.\n"
)


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "claimscope.cli", *args], input=stdin, capture_output=True, cwd=ROOT, timeout=300,
    )


def one_clean_line(proc: subprocess.CompletedProcess) -> str:
    err = proc.stderr.decode()
    assert "Traceback" not in err, err
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("claimscope: error: ")
    return lines[0]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    "name,content,args,code,message",
    [
        ("missing", None, (), 3, "no such file"),
        ("empty.txt", b"", (), 3, "empty"),
        ("blank.txt", b"  \n\n \t\n", (), 3, "empty"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, (), 3, "binary"),
        ("big.txt", ENGLISH.encode() * 400, ("--max-mb", "0.01"), 4, ""),
        ("de.txt", ("Die Regierung hat am Dienstag beschlossen, dass die Schulen im ganzen Land geschlossen "
                    "bleiben, bis die Zahl der Neuinfektionen deutlich sinkt. Die Eltern sind besorgt, und "
                    "viele Lehrer fordern mehr Unterst\u00fctzung vom Staat.\n").encode(), (), 5, "not English"),
        ("ok.txt", ENGLISH.encode(), ("--published", "yesterday"), 3, "YYYY-MM-DD"),
    ],
    ids=["missing", "empty", "blank", "binary", "too-large", "german", "bad-date"],
)
def test_bad_input_is_one_line_and_an_exit_code(tmp_path, name, content, args, code, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    proc = run("extract", str(path), *args)
    assert proc.returncode == code, proc.stderr
    line = one_clean_line(proc)
    assert message in line
    assert proc.stdout == b""


def test_unreachable_url():
    proc = run("extract", f"http://127.0.0.1:{closed_port()}/story.html", "--timeout", "3")
    assert proc.returncode == 6
    one_clean_line(proc)


def test_url_served_locally():
    page = (b"<html><head><title>Dam holds</title></head><body><article><h1>Dam holds</h1><p>The engineers said "
            b"the dam would hold through the weekend. About 40 families were moved as a precaution.</p>"
            b"<p>\xe2\x80\x9cWe are watching it hour by hour,\xe2\x80\x9d the mayor said.</p></article></body></html>")

    with local_server({"/dam.html": (200, "text/html; charset=utf-8", page)}) as base:
        proc = run("extract", f"{base}/dam.html", "--published", "2025-05-02")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["document"]["title"] == "Dam holds"
    assert [a["speaker"]["text"] for a in data["attributions"]] == ["The engineers", "the mayor"]


def test_stdin_and_formats(tmp_path):
    for fmt, check in [
        ("json", lambda out: json.loads(out)["attributions"]),
        ("jsonl", lambda out: len(out.strip().splitlines()) == 1),
        ("markdown", lambda out: "| " in out and "Attributions" in out),
        ("html", lambda out: out.lstrip().lower().startswith("<!doctype html") and "she added" not in out.lower()[:10]),
        ("table", lambda out: "the mayor" in out.lower()),
    ]:
        proc = run("extract", "-", "--published", "2025-03-04", "--format", fmt, stdin=ENGLISH.encode())
        assert proc.returncode == 0, (fmt, proc.stderr)
        assert check(proc.stdout.decode()), fmt


def test_html_output_escapes_the_article(tmp_path):
    evil = ("Hostile page\n\nThe council said <script>alert(1)</script> the road was \"closed\" & unsafe. "
            "\u201c</div><img src=x onerror=alert(2)>\u201d, the mayor added.\n")
    out = tmp_path / "out.html"
    proc = run("extract", "-", "--format", "html", "-o", str(out), stdin=evil.encode())
    assert proc.returncode == 0, proc.stderr
    html = out.read_text()
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "script&gt;alert(" in html and "&lt;/div&gt;&lt;img src=x" in html


def test_example_and_version():
    proc = run("extract", "--example", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["document"]["published"] and len(data["attributions"]) >= 15
    assert run("--version").stdout.decode().startswith("claimscope ")


def test_schema_command():
    proc = run("schema", "ledger")
    assert proc.returncode == 0
    schema = json.loads(proc.stdout)
    assert "attributions" in schema["properties"]
    proc = run("schema", "nonsense")
    assert proc.returncode == 3
    one_clean_line(proc)


# ---------------------------------------------------------------- the corpus commands
# In-process (typer's CliRunner) so the model loads once; one subprocess run checks that a
# partial failure prints lines, not a traceback.

CORPUS = {
    "2025-06-02-valley-news.txt": (
        "Valley News\n\nThe Regional Water Authority (RWA) said on Monday that about 1,200 residents had been "
        "evacuated from the lower valley.\n\nIts spokeswoman, Anna Berg, said crews had reached 40 stranded "
        "drivers overnight.\n"),
    "2025-06-04-hill-times.txt": (
        "Hill Times\n\nSome 3,000 residents have now been evacuated, the water authority said on Wednesday, "
        "up from its earlier count.\n\n\u201cThe river is still rising,\u201d Berg told reporters.\n"),
    "2025-06-05-river-post.txt": (
        "River Post\n\nVolunteers from Valley Aid said at least 8,000 people had left their homes.\n\n"
        "The RWA dismissed the volunteers' figure as a guess.\n"),
}


@pytest.fixture()
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    for name, text in CORPUS.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def cli(*args: str):
    from typer.testing import CliRunner

    from claimscope.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_ingest_report_claims_aliases(corpus, tmp_path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    first = cli("ingest", str(corpus), "--db", db, "--published", "2025-06-05")
    assert first.exit_code == 0, first.output
    assert "3 new, 0 already stored, 0 failed" in first.output
    assert "reconciled:" in first.output
    again = cli("ingest", str(corpus), "--db", db, "-q")
    assert again.exit_code == 0 and "new" not in again.output  # quiet, and nothing to do

    report = cli("report", "--db", db, "--format", "json")
    assert report.exit_code == 0, report.output
    from claimscope.schema import validate_report

    data = json.loads(report.stdout)
    validate_report(data)
    rwa = next(e for e in data["entities"] if e["name"] == "Regional Water Authority")
    assert "RWA" in rwa["aliases"] and rwa["documents"] == 3, rwa
    html = tmp_path / "r.html"
    assert cli("report", "--db", db, "--format", "html", "-o", str(html)).exit_code == 0
    assert "<svg" in html.read_text() and "Regional Water Authority" in html.read_text()
    md = cli("report", "--db", db, "--format", "md", "--topic", "no such topic")
    assert md.exit_code == 0 and "###" not in md.stdout

    by_alias = cli("claims", "--db", db, "--entity", "RWA", "--format", "jsonl")
    claims = [json.loads(l) for l in by_alias.stdout.splitlines()]
    assert claims and {c["source"] for c in claims} == {"Regional Water Authority"}
    assert any(c["negated"] for c in claims)  # the dismissal
    dated = cli("claims", "--db", db, "--since", "2025-06-04", "--format", "csv")
    rows = dated.stdout.splitlines()
    assert rows[0].startswith("id,said_on,published,source,")
    assert all("2025-06-02" not in r.split(",")[1] for r in rows[1:])
    table = cli("claims", "--db", db, "--speaker", "berg")
    assert table.exit_code == 0 and "Berg" in table.stdout

    added = cli("aliases", "add", "water authority", "Regional Water Authority", "--db", db)
    assert added.exit_code == 0, added.output
    assert cli("aliases", "add", "water authority", "Regional Water Authority", "--db", db).exit_code == 0
    listed = cli("aliases", "list", "--db", db, "--format", "jsonl")
    assert [json.loads(l)["alias"] for l in listed.stdout.splitlines()] == ["water authority"]
    rules = tmp_path / "aliases.txt"
    rules.write_text("# rules\nValley Aid != Regional Water Authority\nRWA = Regional Water Authority  # again\n")
    loaded = cli("aliases", "load", str(rules), "--db", db)
    assert loaded.exit_code == 0 and "2 new rules" in loaded.output
    assert cli("aliases", "remove", "water authority", "--db", db).exit_code == 0
    gone = cli("aliases", "remove", "water authority", "--db", db)
    assert gone.exit_code == 3 and "no alias rule" in gone.output


@pytest.mark.parametrize("args,code,message", [
    (("claims", "--since", "last week"), 3, "YYYY-MM-DD"),
    (("claims", "--limit", "0"), 3, "--limit wants a whole number from 1 to"),
    (("claims", "--limit", "99999999999999999999"), 3, "--limit wants a whole number from 1 to"),
    (("report", "--db", "mysql://nobody@nowhere/x"), 7, "unsupported database"),
])
def test_corpus_commands_reject_bad_options(tmp_path, args, code, message):
    args = args if "--db" in args else (*args, "--db", f"sqlite:///{tmp_path / 'x.db'}")
    result = cli(*args)
    assert result.exit_code == code, result.output
    assert message in result.output and "Traceback" not in result.output


def test_bad_alias_file(tmp_path):
    rules = tmp_path / "aliases.txt"
    rules.write_text("NIS is the National Intelligence Service\n")
    result = cli("aliases", "load", str(rules), "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.exit_code == 3 and "line 1" in result.output


def test_ingest_with_a_failure_goes_on_and_exits_8(corpus, tmp_path):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.html").write_bytes(bytes(range(256)) * 8)
    db = f"sqlite:///{tmp_path / 'c.db'}"
    proc = run("ingest", str(corpus), "--db", db, "--published", "2025-06-05", "--no-reconcile")
    assert proc.returncode == 8, proc.stderr
    err = proc.stderr.decode()
    assert "Traceback" not in err
    assert "3 new, 0 already stored, 2 failed" in err
    failed = [l for l in err.splitlines() if l.startswith("failed: ")]
    assert len(failed) == 2 and any("empty.txt" in l and "empty" in l for l in failed)


def test_serve(tmp_path, monkeypatch):
    """``serve`` opens the store, says where it serves, and hands the app to uvicorn; a store
    that cannot be opened is one line and exit 7 before anything listens."""
    from claimscope import web

    served = {}
    monkeypatch.setattr(web, "run", lambda app, host, port: served.update(app=app, host=host, port=port))
    db = f"sqlite:///{tmp_path / 'w.db'}"
    result = cli("serve", "--db", db, "--port", "9123")
    assert result.exit_code == 0, result.output
    assert served["host"] == "127.0.0.1" and served["port"] == 9123
    assert "at http://127.0.0.1:9123/" in result.output
    assert [r.path for r in served["app"].routes if getattr(r, "path", "") == "/claims"] == ["/claims"]

    bad = cli("serve", "--db", f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")
    assert bad.exit_code == 7 and served["port"] == 9123
    assert bad.output.count("\n") == 1 and bad.output.startswith("claimscope: error: cannot open store")

    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = str(taken.getsockname()[1])
        busy = cli("serve", "--db", db, "--port", port)
    assert busy.exit_code == 1 and busy.output.startswith(f"claimscope: error: cannot listen on 127.0.0.1:{port}")
    assert busy.output.count("\n") == 1 and served["port"] == 9123
