"""The command line: bad input gets one clean line and its exit code; output formats work."""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import threading

import pytest

from conftest import ROOT

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

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        proc = run("extract", f"http://127.0.0.1:{server.server_address[1]}/dam.html", "--published", "2025-05-02")
    finally:
        server.shutdown()
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
