"""Reading input: a file, an http(s) URL or stdin in, bytes out; bytes in, text out.

``read_source`` gets the raw bytes (with the HTTP content type for URLs) and ``decode``
turns them into text. Every failure is a ``ClaimscopeError`` subclass carrying the source:
httpx and OS exceptions are translated here, at the edge, and never leak.
"""

from __future__ import annotations

import codecs
import dataclasses
import pathlib
import re
import sys
from typing import BinaryIO

import charset_normalizer
import httpx

from ._errors import FetchError, InputError, InputTooLargeError

MAX_BYTES = 20 * 2**20
MAX_REDIRECTS = 5

# Media types we accept from a server; a response without a Content-Type is accepted too.
_ACCEPTED_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})

STDIN_SOURCE = "<stdin>"


@dataclasses.dataclass(frozen=True)
class RawInput:
    """Raw bytes of one input, before decoding.

    ``source`` is what the user gave (``"<stdin>"`` for ``-``); ``url`` is the final URL
    after redirects (None for files and stdin); ``content_type`` is the HTTP header value.
    """

    source: str
    data: bytes
    content_type: str | None
    url: str | None


def read_source(
    source: str,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: float = 20.0,
    stdin: BinaryIO | None = None,
) -> RawInput:
    """Read a file path, an http(s) URL, or ``-`` (stdin) into a ``RawInput``.

    Raises ``InputError`` (missing/unreadable file), ``InputTooLargeError`` (over
    ``max_bytes``) or ``FetchError`` (any URL failure), each with ``source`` set.
    """
    if source == "-":
        return _read_stdin(stdin if stdin is not None else sys.stdin.buffer, max_bytes)
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", source)
    if scheme:
        if scheme.group(1).lower() not in ("http", "https"):
            raise FetchError(f"unsupported URL scheme {scheme.group(1)!r} (only http and https)", source=source)
        return _read_url(source, max_bytes=max_bytes, timeout=timeout)
    return _read_file(source, max_bytes)


def _too_large(size_note: str, max_bytes: int, source: str) -> InputTooLargeError:
    return InputTooLargeError(f"input is {size_note}, over the limit of {_human(max_bytes)}", source=source)


def _human(n: int) -> str:
    if n >= 2**20 and n % 2**20 == 0:
        return f"{n // 2**20} MB"
    return f"{n:,} bytes"


def _read_stdin(stream: BinaryIO, max_bytes: int) -> RawInput:
    try:
        data = stream.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read stdin: {exc.strerror or exc}", source=STDIN_SOURCE) from exc
    if isinstance(data, str):  # a text stream was passed: take its characters as UTF-8
        data = data.encode("utf-8")
    if len(data) > max_bytes:
        raise _too_large("larger", max_bytes, STDIN_SOURCE)
    return RawInput(source=STDIN_SOURCE, data=data, content_type=None, url=None)


def _read_file(source: str, max_bytes: int) -> RawInput:
    path = pathlib.Path(source)
    try:
        if path.is_dir():
            raise InputError("is a directory, not a file", source=source)
        with path.open("rb") as fh:
            # Read one byte past the cap instead of trusting stat(): also bounds pipes/devices.
            data = fh.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise InputError("no such file", source=source) from exc
    except PermissionError as exc:
        raise InputError("permission denied", source=source) from exc
    except IsADirectoryError as exc:
        raise InputError("is a directory, not a file", source=source) from exc
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", source=source) from exc
    if len(data) > max_bytes:
        raise _too_large("larger", max_bytes, source)
    return RawInput(source=source, data=data, content_type=None, url=None)


def _user_agent() -> str:
    from . import __version__  # at call time: the package __init__ may import this module

    return f"claimscope/{__version__} (+https://github.com/claimscope/claimscope)"


def _media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def _read_url(url: str, *, max_bytes: int, timeout: float) -> RawInput:
    limits = httpx.Timeout(timeout, connect=timeout)
    try:
        with httpx.Client(
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            timeout=limits,
            headers={"User-Agent": _user_agent(), "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9"},
        ) as client, client.stream("GET", url) as response:
            if response.status_code >= 400:
                reason = response.reason_phrase or ""
                raise FetchError(f"HTTP {response.status_code} {reason}".rstrip(), source=url)
            content_type = response.headers.get("content-type")
            media = _media_type(content_type)
            if media is not None and media not in _ACCEPTED_TYPES:
                raise FetchError(
                    f"unsupported content type {media!r} (expected HTML or plain text)", source=url
                )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(f"{int(declared):,} bytes", max_bytes, url)
            chunks: list[bytes] = []
            size = 0
            # The cap is enforced while streaming (on decompressed bytes), never after.
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large("larger", max_bytes, url)
                chunks.append(chunk)
            return RawInput(source=url, data=b"".join(chunks), content_type=content_type, url=str(response.url))
    except httpx.TooManyRedirects as exc:
        raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})", source=url) from exc
    except httpx.ConnectTimeout as exc:
        raise FetchError(f"connection timed out after {timeout:g} s", source=url) from exc
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out after {timeout:g} s", source=url) from exc
    except httpx.ConnectError as exc:
        raise FetchError(_connect_reason(exc, url), source=url) from exc
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise FetchError(f"invalid URL: {exc}", source=url) from exc
    except httpx.HTTPError as exc:  # protocol, decoding (content-encoding), proxy and other transport errors
        raise FetchError(f"fetch failed: {exc or type(exc).__name__}", source=url) from exc
    except OSError as exc:
        raise FetchError(f"fetch failed: {exc.strerror or exc}", source=url) from exc


def _connect_reason(exc: httpx.ConnectError, url: str) -> str:
    """A short human reason for a connection failure (httpx only gives the OS message)."""
    text = str(exc)
    low = text.lower()
    if "refused" in low:
        return "connection refused"
    if any(s in low for s in ("name or service not known", "nodename nor servname", "getaddrinfo",
                              "name resolution", "no address associated")):
        host = httpx.URL(url).host
        return f"cannot resolve host {host!r}"
    if "ssl" in low or "certificate" in low:
        return f"TLS error: {text}"
    if "unreachable" in low:
        return "network unreachable"
    return f"cannot connect: {text or type(exc).__name__}"


# --------------------------------------------------------------------------- decoding

_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),
    (b"\x1f\x8b", "GZIP"),
    (b"BZh", "BZIP2"),
    (b"\xfd7zXZ\x00", "XZ"),
    (b"7z\xbc\xaf\x27\x1c", "7Z"),
    (b"\x7fELF", "ELF"),
    (b"OggS", "OGG"),
    (b"ID3", "MP3"),
)

# Longest first, so UTF-32 LE (FF FE 00 00) is not taken for UTF-16 LE (FF FE).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml\b[^>]*?encoding\s*=\s*[\"']([\w.:-]+)[\"']", re.I)
_PRESCAN = 8192  # bytes searched for <meta charset>; heads with big inline scripts push it past 1024

# Share of control characters (other than tab/newline/CR/FF) above which text is binary.
_MAX_CONTROL_SHARE = 0.05
# Share of non-ASCII bytes up to which undeclared non-UTF-8 bytes are read as windows-1252
# (accented Western text stays under ~15%; Cyrillic, Greek or Japanese code pages are far above).
_MAX_NON_ASCII_SHARE = 0.2
_ASCII_BYTES = bytes(range(0x80))
# charset_normalizer "chaos" (mess ratio) above which a guess is not credible.
_MAX_CHAOS = 0.25


def decode(data: bytes, *, content_type: str | None = None, source: str | None = None) -> str:
    """Decode raw input bytes to text with "\\n" newlines.

    Order: byte-order mark; the charset of the HTTP ``content_type``; ``<meta charset>`` or
    the XML declaration; strict UTF-8; ``charset_normalizer``. Raises ``InputError`` for
    empty, binary or undecodable input.
    """
    if not data.strip():
        raise InputError("empty input", source=source)
    text = _decode_bom(data)
    if text is None:
        kind = _binary_kind(data)
        if kind is not None:
            raise InputError(f"binary input (looks like {kind})" if kind else "binary input", source=source)
        text = _decode_declared_or_guess(data, content_type, source)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise InputError("empty input", source=source)
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise InputError("binary input", source=source)
    return text


def _decode_bom(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _binary_kind(data: bytes) -> str | None:
    """The name of a recognised binary format, "" for unrecognised binary, None for text."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    head = data[:65536]
    if b"\x00" in head and _utf16_without_bom(head) is None:
        return ""
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """Codec name if ``data`` looks like BOM-less UTF-16 (NULs on one side of mostly-ASCII pairs)."""
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    half = len(data) // 2 or 1
    if odd / half > 0.3 and even < odd / 10:
        return "utf-16-le"
    if even / half > 0.3 and odd < even / 10:
        return "utf-16-be"
    return None


def _normal_codec(label: str) -> str | None:
    """Python codec name for an encoding label, or None if Python does not know it."""
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # Browsers (WHATWG Encoding) read latin-1 and ASCII labels as windows-1252; so do we.
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def _declared_charsets(data: bytes, content_type: str | None) -> list[str]:
    labels: list[str] = []
    if content_type and (m := _HTTP_CHARSET.search(content_type)):
        labels.append(m.group(1))
    head = data[:_PRESCAN]
    if m := _XML_DECL.search(head):
        labels.append(m.group(1).decode("ascii"))
    if m := _META_CHARSET.search(head):
        labels.append(m.group(1).decode("ascii"))
    names: list[str] = []
    for label in labels:
        name = _normal_codec(label)
        # A UTF-16/32 declaration inside bytes we could read as ASCII is wrong by definition.
        if name and not name.startswith(("utf-16", "utf-32")) and name not in names:
            names.append(name)
    return names


def _decode_declared_or_guess(data: bytes, content_type: str | None, source: str | None) -> str:
    declared = _declared_charsets(data, content_type)
    utf16 = _utf16_without_bom(data[:65536]) if b"\x00" in data[:65536] else None
    for name in [*declared, *([utf16] if utf16 else []), "utf-8"]:
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            continue
    text = _nearly_utf8(data)
    if text is not None:
        return text
    if _mostly_ascii(data):
        # Undeclared, not UTF-8, mostly ASCII: a Western page, so windows-1252, the browsers'
        # fallback. charset_normalizer cannot tell the look-alike code pages apart on such
        # text: on a French sentence in Latin-1 it picks cp1250, on English with curly
        # quotes in windows-1252 it picks cp775 (tests/test_fetch.py).
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.chaos <= _MAX_CHAOS:
        return str(best)
    raise InputError("cannot decode input: unknown character encoding", source=source)


def _nearly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few stray bytes (a page with one broken character), decoded with U+FFFD.

    Needs clearly more valid multi-byte characters than broken bytes, so that a windows-1252
    page (every non-ASCII byte invalid in UTF-8) is not taken for broken UTF-8.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    valid_non_ascii = len(text) - len(text.encode("ascii", "ignore")) - bad
    if bad <= max(1, len(text) // 1000) and valid_non_ascii >= 2 * bad:
        return text
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _mostly_ascii(data: bytes) -> bool:
    sample = data[:65536]
    non_ascii = len(sample.translate(None, _ASCII_BYTES))
    return non_ascii <= len(sample) * _MAX_NON_ASCII_SHARE


def _control_share(text: str) -> float:
    sample = text[:65536]
    return len(_CONTROL.findall(sample)) / len(sample)
