"""Reading input: files, stdin, URLs (a local HTTP server, no network) and decoding."""

from __future__ import annotations

import codecs
import http.server
import io
import socket
import threading
import time

import pytest

from claimscope._errors import ClaimscopeError, FetchError, InputError, InputTooLargeError
from claimscope._fetch import RawInput, decode, read_source

PAGE = "<!doctype html><html><head><title>Harbour</title></head><body><p>The harbour reopened on Monday.</p></body></html>"
TEXT = "The harbour reopened on Monday after three weeks of repairs."


class _Handler(http.server.BaseHTTPRequestHandler):
    """Canned responses, chosen by path."""

    seen_user_agents: list[str] = []

    def log_message(self, *args):  # keep the test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str | None, *, length: bool = True, headers=()):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server's name)
        _Handler.seen_user_agents.append(self.headers.get("User-Agent", ""))
        path = self.path
        if path == "/html":
            self._send(200, PAGE.encode(), "text/html; charset=utf-8")
        elif path == "/xhtml":
            self._send(200, PAGE.encode(), "application/xhtml+xml")
        elif path == "/text":
            self._send(200, TEXT.encode(), "text/plain")
        elif path == "/notype":
            self._send(200, TEXT.encode(), None)
        elif path == "/latin1":
            self._send(200, "Le café a rouvert. Élodie était là.".encode("latin-1"), "text/plain; charset=ISO-8859-1")
        elif path == "/pdf":
            self._send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf")
        elif path == "/json":
            self._send(200, b'{"a": 1}', "application/json")
        elif path == "/missing":
            self._send(404, b"not here", "text/html")
        elif path == "/error":
            self._send(503, b"down", "text/html")
        elif path.startswith("/redirect/"):
            n = int(path.rsplit("/", 1)[1])
            if n == 0:
                self._send(200, PAGE.encode(), "text/html")
            else:
                self._send(302, b"", "text/html", headers=[("Location", f"/redirect/{n - 1}")])
        elif path == "/big":
            self._send(200, b"<p>" + b"a" * 10_000 + b"</p>", "text/html")
        elif path == "/big-stream":  # no Content-Length: the cap must bite while streaming
            self.protocol_version = "HTTP/1.0"
            self._send(200, b"<p>" + b"a" * 10_000 + b"</p>", "text/html", length=False)
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, PAGE.encode(), "text/html")
        else:
            self._send(404, b"", "text/plain")


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# --------------------------------------------------------------------------- URLs

@pytest.mark.parametrize(
    "path, content_type",
    [("/html", "text/html; charset=utf-8"), ("/xhtml", "application/xhtml+xml"), ("/text", "text/plain"),
     ("/notype", None)],
)
def test_url_ok(server, path, content_type):
    raw = read_source(server + path)
    assert isinstance(raw, RawInput)
    assert raw.content_type == content_type
    assert raw.url == server + path
    assert raw.source == server + path
    assert decode(raw.data, content_type=raw.content_type).startswith(("<!doctype", "The harbour"))


def test_url_sends_user_agent(server):
    read_source(server + "/html")
    assert _Handler.seen_user_agents[-1].startswith("claimscope/")


def test_url_charset_from_header(server):
    raw = read_source(server + "/latin1")
    assert decode(raw.data, content_type=raw.content_type) == "Le café a rouvert. Élodie était là."


def test_redirects_followed_up_to_five(server):
    raw = read_source(server + "/redirect/5")
    assert raw.url == server + "/redirect/0"


@pytest.mark.parametrize(
    "path, kwargs, error, reason",
    [
        ("/pdf", {}, FetchError, "application/pdf"),
        ("/json", {}, FetchError, "application/json"),
        ("/missing", {}, FetchError, "HTTP 404"),
        ("/error", {}, FetchError, "HTTP 503"),
        ("/redirect/6", {}, FetchError, "too many redirects"),
        ("/big", {"max_bytes": 1000}, InputTooLargeError, "over the limit"),
        ("/big-stream", {"max_bytes": 1000}, InputTooLargeError, "over the limit"),
        ("/slow", {"timeout": 0.3}, FetchError, "timed out after 0.3 s"),
    ],
)
def test_url_failures(server, path, kwargs, error, reason):
    with pytest.raises(error) as info:
        read_source(server + path, **kwargs)
    assert reason in info.value.message
    assert info.value.source == server + path


def test_closed_port_is_a_fetch_error():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    url = f"http://127.0.0.1:{port}/"
    with pytest.raises(FetchError) as info:
        read_source(url, timeout=2)
    assert info.value.message == "connection refused"
    assert info.value.exit_code == 6


def test_unsupported_scheme():
    with pytest.raises(FetchError, match="unsupported URL scheme 'ftp'"):
        read_source("ftp://example.org/page.html")


# --------------------------------------------------------------------------- files and stdin

def test_file_ok(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.encode())
    raw = read_source(str(path))
    assert raw == RawInput(source=str(path), data=PAGE.encode(), content_type=None, url=None)


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda d: d / "nope.txt", "no such file"),
        (lambda d: d, "is a directory"),
    ],
)
def test_file_failures(tmp_path, make, reason):
    source = str(make(tmp_path))
    with pytest.raises(InputError) as info:
        read_source(source)
    assert reason in info.value.message
    assert info.value.source == source
    assert info.value.exit_code == 3


def test_file_too_large(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 1000)
    with pytest.raises(InputTooLargeError) as info:
        read_source(str(path), max_bytes=100)
    assert info.value.exit_code == 4


def test_stdin():
    raw = read_source("-", stdin=io.BytesIO(TEXT.encode()))
    assert raw.data == TEXT.encode()
    assert raw.source == "<stdin>"
    with pytest.raises(InputTooLargeError):
        read_source("-", stdin=io.BytesIO(b"x" * 101), max_bytes=100)


def test_errors_never_leak_third_party_types(tmp_path):
    for source in (str(tmp_path / "missing"), "http://127.0.0.1:1/"):
        with pytest.raises(ClaimscopeError):
            read_source(source, timeout=2)


# --------------------------------------------------------------------------- decoding

FRENCH = "Le ministre a déclaré que la réforme coûterait « très cher » à l'État, a-t-il ajouté à Genève.\n"
ENGLISH_1252 = "The minister said the plan was “affordable” — it costs €2 billion, he added.\n"
JAPANESE = "東京都は月曜日、新しい防災計画を発表した。計画には避難所の増設が含まれている。\n"


@pytest.mark.parametrize(
    "data, content_type, expected",
    [
        (FRENCH.encode("latin-1"), None, FRENCH),
        (ENGLISH_1252.encode("cp1252"), None, ENGLISH_1252),
        (ENGLISH_1252.encode("cp1252"), "text/plain; charset=windows-1252", ENGLISH_1252),
        (codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"), None, FRENCH),
        (codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), None, FRENCH),
        (codecs.BOM_UTF8 + FRENCH.encode(), None, FRENCH),
        (FRENCH.encode("utf-16-le"), None, FRENCH),  # no BOM
        (FRENCH.encode(), None, FRENCH),
        (JAPANESE.encode("shift_jis"), None, JAPANESE),
        (JAPANESE.encode("shift_jis"), "text/plain; charset=Shift_JIS", JAPANESE),
        # HTTP header beats <meta>; <meta> beats guessing
        ('<html><head><meta charset="koi8-r"></head><body>Привет</body></html>'.encode("koi8-r"), None,
         '<html><head><meta charset="koi8-r"></head><body>Привет</body></html>'),
        ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><p>Привет</p>'.encode("cp1251"),
         "text/html; charset=windows-1251",
         '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><p>Привет</p>'),
        ('<?xml version="1.0" encoding="ISO-8859-1"?><html><p>Café</p></html>'.encode("latin-1"), None,
         '<?xml version="1.0" encoding="ISO-8859-1"?><html><p>Café</p></html>'),
        (b"one\r\ntwo\rthree\n", None, "one\ntwo\nthree\n"),
    ],
)
def test_decode(data, content_type, expected):
    assert decode(data, content_type=content_type) == expected


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty input"),
        (b"  \n\t \r\n", "empty input"),
        (codecs.BOM_UTF8 + b"   ", "empty input"),
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>", "binary input (looks like PDF)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary input (looks like PNG)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary input (looks like JPEG)"),
        (b"GIF89a\x01\x00\x01\x00", "binary input (looks like GIF)"),
        (b"PK\x03\x04\x14\x00\x00\x00", "binary input (looks like ZIP)"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "binary input (looks like GZIP)"),
        (bytes(range(256)) * 4, "binary input"),
        (b"text \x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11 more", "binary input"),
    ],
)
def test_decode_rejects(data, message):
    with pytest.raises(InputError) as info:
        decode(data, source="in.bin")
    assert info.value.message == message
    assert str(info.value) == f"in.bin: {message}"


def test_decode_utf8_with_a_stray_byte():
    data = "Kyiv’s mayor said the “repairs” would take weeks.".encode() + b" \xff " + "Café.".encode()
    assert decode(data) == "Kyiv’s mayor said the “repairs” would take weeks. \ufffd Café."


def test_decode_undecodable():
    with pytest.raises(InputError, match="cannot decode input"):
        decode(bytes(range(0x80, 0x100)) * 40)
