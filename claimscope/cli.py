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

    return _console_text(_render.ledger_table(ledger))


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


# ---------------------------------------------------------------- the corpus commands

_DB_HELP = "Store URL: sqlite:///file.db, a file path, or postgresql://user@host/db [default: $CLAIMSCOPE_DB, else sqlite:///claimscope.db]."
DbOption = Annotated[Optional[str], typer.Option("--db", help=_DB_HELP, show_default=False)]


class ReportFormat(str, enum.Enum):
    json = "json"
    md = "md"
    html = "html"


class ClaimsFormat(str, enum.Enum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"


# Exit code of an ingest in which some inputs failed (the others were stored).
EXIT_PARTIAL = 8


def _open_store(db: str | None):
    from .store import Store

    return Store.open(db)


@app.command("ingest")
def ingest_cli(
    inputs: Annotated[list[str], typer.Argument(
        help="Files, directories (recursive), http(s) URLs, URL-list files (.urls), RSS/Atom feeds, "
             "WARC files, JSON Lines.", show_default=False)],
    db: DbOption = None,
    published: Annotated[
        Optional[str], typer.Option("--published", "-p", help="Date YYYY-MM-DD for documents that carry none.")
    ] = None,
    workers: Annotated[Optional[int], typer.Option(
        help="Extract on a local Dask cluster of this many processes.", show_default=False)] = None,
    scheduler: Annotated[Optional[str], typer.Option(
        help="Extract on the Dask cluster at this scheduler address (tcp://host:8786).", show_default=False)] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Documents per extraction batch.")] = 16,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each URL.")] = 20.0,
    reconcile: Annotated[bool, typer.Option(
        "--reconcile/--no-reconcile", help="Reconcile the corpus (sources, copies, topics) at the end.")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
) -> None:
    """Ingest articles into the store: one transaction per document, re-ingesting is a no-op.

    A document that fails is reported with its reason and the rest go on; the exit code is 8
    when some failed. An interrupted ingest can be run again: it finishes the job.

    Examples:

        claimscope ingest articles/ --db sqlite:///story.db

        claimscope ingest https://example.org/feed.xml urls.urls crawl.warc.gz

        claimscope ingest notes.txt --published 2024-10-18 --workers 2
    """
    from .ingest import ingest

    try:
        with _open_store(db) as store:
            summary = ingest(inputs, store, published=published, progress=not quiet, scheduler=scheduler,
                             workers=workers, batch_size=batch_size, timeout=timeout)
            if reconcile:
                _rereconcile(store, quiet)
    except ClaimscopeError as err:
        raise _fail(err) from None
    if summary.failed:
        raise typer.Exit(EXIT_PARTIAL)


@app.command("report")
def report_cli(
    db: DbOption = None,
    topic: Annotated[Optional[str], typer.Option(help="Only topics whose label or concept contains this.")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.json,
    output: Annotated[Optional[pathlib.Path], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
) -> None:
    """The cross-source report: sources, topics with their estimates over time, contradictions.

    Reconciles the store first (the user's alias rules applied). The HTML report is one
    offline page with a timeline chart per topic.

    Examples:

        claimscope report --db sqlite:///story.db --format html -o report.html

        claimscope report --topic displaced --format md
    """
    from . import report
    from .reconcile import reconcile_store

    try:
        with _open_store(db) as store:
            analysis, ledgers = reconcile_store(store)
    except ClaimscopeError as err:
        raise _fail(err) from None
    rendered = {
        ReportFormat.json: lambda: report.report_json(analysis, topic),
        ReportFormat.md: lambda: report.report_markdown(analysis, topic),
        ReportFormat.html: lambda: report.report_html(analysis, ledgers, topic),
    }[fmt]()
    _write(rendered, output)


@app.command("claims")
def claims_cli(
    db: DbOption = None,
    speaker: Annotated[Optional[str], typer.Option(help="Speaker as written or resolved contains this (any case).")] = None,
    entity: Annotated[Optional[str], typer.Option(
        help="Claims of this source: its id, canonical name or any alias (NIS finds the National Intelligence Service).")] = None,
    topic: Annotated[Optional[str], typer.Option(help="Claims with a figure in a topic: its id or part of its label.")] = None,
    document: Annotated[Optional[str], typer.Option(help="A document id, or a prefix of one.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Made on or after YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Made on or before YYYY-MM-DD.")] = None,
    limit: Annotated[Optional[int], typer.Option(help="At most this many claims.")] = None,
    fmt: Annotated[ClaimsFormat, typer.Option("--format", "-f", help="Output format.")] = ClaimsFormat.table,
    output: Annotated[Optional[pathlib.Path], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
) -> None:
    """List claims in the store, oldest first, filtered by speaker, entity, topic, document and date.

    The date of a claim is the day it was made when the text says so, else its article's
    publication date.

    Examples:

        claimscope claims --entity NIS --since 2024-10-01

        claimscope claims --topic displaced --format csv -o displaced.csv

        claimscope claims --speaker zelensky --format jsonl
    """
    from . import report
    from .store import check_limit, query_day

    try:
        query_day("--since", since)
        query_day("--until", until)
        check_limit(limit, "--limit")
        with _open_store(db) as store:
            claims = store.claims(speaker=speaker, source=entity, topic=topic, document=document,
                                  since=since, until=until, limit=limit)
    except ClaimscopeError as err:
        raise _fail(err) from None
    if fmt is ClaimsFormat.table and output is None:
        Console().print(report.claims_table(claims))
        return
    rendered = {
        ClaimsFormat.table: lambda: _console_text(report.claims_table(claims)),
        ClaimsFormat.csv: lambda: report.claims_csv(claims),
        ClaimsFormat.jsonl: lambda: report.claims_jsonl(claims),
    }[fmt]()
    _write(rendered, output)


@app.command("serve")
def serve_cli(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8765,
) -> None:
    """The local web UI over a store: documents, claims, topics, the report, and a form to extract an article.

    Runs until Ctrl-C. Pages: / (overview), /claims, /report, /extract, /documents/ID;
    the same data as JSON under /api (described at /api/openapi.json).

    Examples:

        claimscope serve --db sqlite:///story.db

        claimscope serve --port 9000
    """
    from . import web

    def announce(line: str) -> None:
        _err.print(f"claimscope: {line}", markup=False, highlight=False, soft_wrap=True)

    try:
        web.serve(db, host=host, port=port, announce=announce)
    except ClaimscopeError as err:
        raise _fail(err) from None


aliases_app = typer.Typer(
    help="The user's alias rules, which override how sources are merged: list, add, remove, load.",
    no_args_is_help=True, rich_markup_mode=None,
)
app.add_typer(aliases_app, name="aliases")


def _rereconcile(store, quiet: bool = False) -> None:
    """Reconcile the stored corpus again (after an ingest or a rule change), if there is one."""
    from .reconcile import reconcile_store

    if store.stats().documents:
        analysis, _ = reconcile_store(store)
        if not quiet:
            _err.print(f"reconciled: {len(analysis.sources)} sources, {len(analysis.topics)} topics, "
                       f"{len(analysis.copies)} syndicated copies, {len(analysis.contradictions)} contradictions",
                       markup=False, highlight=False)


@aliases_app.command("list")
def aliases_list_cli(
    db: DbOption = None,
    fmt: Annotated[ClaimsFormat, typer.Option("--format", "-f", help="table, csv or jsonl.")] = ClaimsFormat.table,
) -> None:
    """List the alias rules, oldest first.

    Examples:

        claimscope aliases list

        claimscope aliases list --format jsonl
    """
    try:
        with _open_store(db) as store:
            rules = store.user_aliases()
    except ClaimscopeError as err:
        raise _fail(err) from None
    rows = [{"alias": r.alias, "rule": r.rule, "canonical": r.canonical, "created_at": r.created_at.isoformat()}
            for r in rules]
    if fmt is ClaimsFormat.jsonl:
        _write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), None)
    elif fmt is ClaimsFormat.csv:
        import csv
        import io

        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=["alias", "rule", "canonical", "created_at"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        _write(out.getvalue(), None)
    else:
        from rich.table import Table

        table = Table("alias", "rule", "canonical", "added", title=f"Alias rules ({len(rows)})", title_justify="left")
        for r in rows:
            table.add_row(r["alias"], "=" if r["rule"] == "alias" else "!=", r["canonical"], r["created_at"][:19])
        Console().print(table)


@aliases_app.command("add")
def aliases_add_cli(
    alias: Annotated[str, typer.Argument(help="A name as written in articles.", show_default=False)],
    canonical: Annotated[str, typer.Argument(help="The source's canonical name (or, with --split, the other source).",
                                             show_default=False)],
    split: Annotated[bool, typer.Option("--split", help="The two names are different sources: never merge them.")] = False,
    db: DbOption = None,
) -> None:
    """Add a rule: ALIAS is another name of CANONICAL (or, with --split, a different source).

    Examples:

        claimscope aliases add Zelenskyy "Volodymyr Zelensky"

        claimscope aliases add "Zoran Ilic" "Stefan Ilic" --split
    """
    try:
        with _open_store(db) as store:
            added = store.add_user_alias(alias, canonical, rule="split" if split else "alias")
            if added:
                _rereconcile(store)
    except ClaimscopeError as err:
        raise _fail(err) from None
    if not added:
        _err.print("claimscope: that rule is there already", markup=False, highlight=False)


@aliases_app.command("remove")
def aliases_remove_cli(
    alias: Annotated[str, typer.Argument(help="The name whose rules go.", show_default=False)],
    canonical: Annotated[Optional[str], typer.Argument(help="Only the rule with this other name.", show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Remove the rules for ALIAS (only the one naming CANONICAL, if given).

    Examples:

        claimscope aliases remove Zelenskyy
    """
    try:
        with _open_store(db) as store:
            removed = store.remove_user_alias(alias, canonical)
            if not removed:
                raise InputError(f"no alias rule for {alias!r}")
            _rereconcile(store)
    except ClaimscopeError as err:
        raise _fail(err) from None


@aliases_app.command("load")
def aliases_load_cli(
    path: Annotated[pathlib.Path, typer.Argument(help="An alias file: 'ALIAS = CANONICAL' or 'NAME != OTHER' per line.",
                                                 show_default=False)],
    db: DbOption = None,
) -> None:
    """Add every rule of an alias file (lines 'ALIAS = CANONICAL' or 'NAME != OTHER', # comments).

    Examples:

        claimscope aliases load aliases.txt --db sqlite:///story.db
    """
    from .reconcile import read_alias_file

    try:
        rules = read_alias_file(path)
        with _open_store(db) as store:
            added = sum(store.add_user_alias(r.alias, r.canonical, rule=r.rule) for r in rules)
            if added:
                _rereconcile(store, quiet=True)
    except ClaimscopeError as err:
        raise _fail(err) from None
    _err.print(f"{added} new rules, {len(rules) - added} there already", markup=False, highlight=False)


def _console_text(renderable) -> str:
    console = Console(record=True, width=120, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


def main() -> None:
    """Console entry point: run the app, turning stray interrupts into exit 130."""
    try:
        app()
    except KeyboardInterrupt:
        _err.print("claimscope: interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
