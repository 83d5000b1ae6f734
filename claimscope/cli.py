"""The command line: thin wrappers that parse options and call the library.

Every command turns a ``ClaimscopeError`` into one line on stderr and its exit code
(see ``claimscope/_errors.py``); nothing here holds extraction logic.
"""

from __future__ import annotations

import enum
import json
import logging
import pathlib
import sys
from importlib import resources
from typing import Annotated, Optional

import typer
from rich.console import Console

from . import __version__
from ._errors import ClaimscopeError, InputError

app = typer.Typer(
    name="claimscope",
    help="Turn news pages into a ledger of source-attributed claims, and reconcile them across articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_err = Console(stderr=True)


class Format(str, enum.Enum):
    json = "json"
    jsonl = "jsonl"
    table = "table"
    markdown = "markdown"
    html = "html"


def _fail(err: ClaimscopeError) -> typer.Exit:
    _err.print(f"claimscope: error: {err}", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(err.exit_code)


def _quiet_libraries() -> None:
    # trafilatura and htmldate log warnings ("discarding data") that are not the user's concern.
    for name in ("trafilatura", "htmldate", "charset_normalizer", "distributed", "httpx"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _version(value: bool) -> None:
    if value:
        print(f"claimscope {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = None,
) -> None:
    """claimscope: who claims what, in which article, since when, and who disagrees."""
    _quiet_libraries()


def example_path() -> pathlib.Path:
    """The bundled example article (a fictional wildfire story with page boilerplate)."""
    return pathlib.Path(str(resources.files("claimscope") / "examples" / "article.txt"))


def _example_published() -> str:
    meta = example_path().with_name("article.meta.json")
    return json.loads(meta.read_text(encoding="utf-8"))["published"]


@app.command("extract")
def extract_cli(
    source: Annotated[
        Optional[str], typer.Argument(help="A file (HTML or text), an http(s) URL, or - for stdin.", show_default=False)
    ] = None,
    published: Annotated[
        Optional[str], typer.Option("--published", "-p", help="Publication date YYYY-MM-DD; relative dates resolve against it.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.json,
    jsonl: Annotated[
        Optional[pathlib.Path],
        typer.Option("--jsonl", help='Batch mode: read JSON Lines {"id", "text"|"html", "published"?}, write one ledger per line.'),
    ] = None,
    output: Annotated[Optional[pathlib.Path], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    raw: Annotated[bool, typer.Option("--raw", help="Take the input as clean article text: no cleaning, no title line.")] = False,
    example: Annotated[bool, typer.Option("--example", help="Run on the bundled example article.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for a URL.")] = 20.0,
    max_mb: Annotated[float, typer.Option("--max-mb", help="Largest input accepted, in MB.")] = 20.0,
) -> None:
    """Extract the ledger of one article: attributions, quantities, times, entities.

    Examples:

        claimscope extract article.html --format table

        claimscope extract page.txt --published 2024-10-18 --format json

        claimscope extract https://example.org/news/story.html -f html -o story.html

        claimscope extract --jsonl articles.jsonl -o ledgers.jsonl
    """
    from . import pipeline, _render

    try:
        if jsonl is not None:
            if source or example:
                raise InputError("give either SOURCE or --jsonl, not both")
            text_out = _extract_jsonl(jsonl, raw=raw, published=published)
            _write(text_out, output)
            return
        if example:
            source, published = str(example_path()), published or _example_published()
        if not source:
            raise InputError("no input: give a file, a URL, - for stdin, --jsonl FILE or --example")
        ledger = pipeline.extract_source(
            source, published=published, clean=not raw, timeout=timeout, max_bytes=int(max_mb * 2**20)
        )
    except ClaimscopeError as err:
        raise _fail(err) from None
    if fmt is Format.table and output is None:
        _render.print_ledger(ledger, Console())
        return
    rendered = {
        Format.json: lambda: ledger.to_json() + "\n",
        Format.jsonl: lambda: _render.ledger_jsonl([ledger]),
        Format.markdown: lambda: _render.ledger_markdown(ledger),
        Format.html: lambda: _render.ledger_html(ledger),
        Format.table: lambda: _table_text(ledger),
    }[fmt]()
    _write(rendered, output)


def _extract_jsonl(path: pathlib.Path, *, raw: bool, published: str | None) -> str:
    """--jsonl: one ledger per input line, in order; a bad line is reported and skipped."""
    from . import pipeline

    records = list(pipeline.read_jsonl(path, clean=not raw, published=published))
    out = []
    failed = 0
    for result in pipeline.extract_many(records):
        if isinstance(result, ClaimscopeError):
            failed += 1
            _err.print(f"claimscope: skipped: {result}", markup=False, highlight=False, soft_wrap=True)
            continue
        out.append(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    if failed and not out:
        raise InputError(f"none of the {failed} records could be extracted", source=str(path))
    return "".join(out)


def _table_text(ledger) -> str:
    from . import _render

    console = Console(record=True, width=120, file=open("/dev/null", "w"))  # noqa: SIM115
    _render.print_ledger(ledger, console)
    return console.export_text()


def _write(text: str, output: pathlib.Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _fail(InputError(f"cannot write {output}: {exc.strerror}")) from None


@app.command("schema")
def schema_cli(
    which: Annotated[str, typer.Argument(help="ledger or report")] = "ledger",
) -> None:
    """Print the JSON Schema of the ledger (or of the cross-source report).

    Examples:

        claimscope schema ledger > ledger.schema.json

        claimscope schema report
    """
    from . import schema

    try:
        if which == "ledger":
            data = schema.ledger_schema()
        elif which == "report":
            data = schema.report_schema()
        else:
            raise InputError(f"unknown schema {which!r}: choose ledger or report")
    except ClaimscopeError as err:
        raise _fail(err) from None
    print(json.dumps(data, indent=2))


def main() -> None:
    """Console entry point: run the app, turning stray interrupts into exit 130."""
    try:
        app()
    except KeyboardInterrupt:
        _err.print("claimscope: interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
