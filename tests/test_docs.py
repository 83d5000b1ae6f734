"""Docs checked by tests: every CLI command has help and documented examples, and every example
(in docs/cli.md, the README and the commands' own help) names a real command and real options."""

from __future__ import annotations

import re
import shlex

import pytest
import typer.main

from claimscope.cli import app
from conftest import ROOT

CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
ROOT_COMMAND = typer.main.get_command(app)


# typer carries its own copy of click (typer._click), so commands are told apart by shape:
# a group has ``commands``.
def _is_group(cmd) -> bool:
    return hasattr(cmd, "commands")


def _leaf_commands(group, prefix: tuple[str, ...] = ()) -> dict:
    out = {}
    for name, cmd in group.commands.items():
        if _is_group(cmd):
            out.update(_leaf_commands(cmd, prefix + (name,)))
        else:
            out[prefix + (name,)] = cmd
    return out


COMMANDS = _leaf_commands(ROOT_COMMAND)


def _examples(text: str) -> list[str]:
    """Command lines that run claimscope: `$ ...` lines of console blocks, and the indented
    lines under "Examples:" in a help text."""
    lines = [m.group(1) for m in re.finditer(r"^\$ (.+)$", text, re.M)]
    lines += [l.strip() for l in text.splitlines() if l.strip().startswith("claimscope ")]
    return [l.split("|")[-1].strip() for l in lines if "claimscope " in l]


def _parse(line: str) -> None:
    """Resolve the command of an example and let click parse its arguments (nothing runs)."""
    words = shlex.split(line)
    assert words[0] == "claimscope", line
    cmd = ROOT_COMMAND
    args = words[1:]
    path = []
    while _is_group(cmd):
        assert args, f"{line}: no command"
        name, args = args[0], args[1:]
        assert name in cmd.commands, f"{line}: no command {name!r}"
        cmd = cmd.commands[name]
        path.append(name)
    # An output redirection and what follows it are the shell's, not the command's.
    redirect = next((i for i, a in enumerate(args) if a.startswith(">")), len(args))
    args = args[:redirect]
    try:
        cmd.make_context(" ".join(["claimscope", *path]), list(args))
    except Exception as exc:  # click's UsageError, from typer's own copy of click
        pytest.fail(f"{line}: {getattr(exc, 'format_message', exc.__str__)()}")


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=[" ".join(p) for p in sorted(COMMANDS)])
def test_every_command_has_help_and_examples(path):
    cmd = COMMANDS[path]
    assert cmd.help and len(cmd.help.split()) >= 5, path
    assert "Examples:" in cmd.help, f"{' '.join(path)}: its help has no examples"
    for example in _examples(cmd.help.split("Examples:", 1)[1]):
        assert shlex.split(example)[1:1 + len(path)] == list(path), example
        _parse(example)
    for param in cmd.params:
        if not param.hidden and param.name != "help":
            assert getattr(param, "help", None), f"{' '.join(path)}: --{param.name} has no help"


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=[" ".join(p) for p in sorted(COMMANDS)])
def test_every_command_is_documented_with_an_example(path):
    top = path[0]
    assert re.search(rf"^## {re.escape(top)}$", CLI_DOC, re.M), f"docs/cli.md has no section for {top}"
    documented = [shlex.split(e)[1:1 + len(path)] for e in _examples(CLI_DOC)]
    assert list(path) in documented, f"docs/cli.md has no example of claimscope {' '.join(path)}"


@pytest.mark.parametrize("example", _examples(CLI_DOC) + _examples(README))
def test_documented_examples_parse(example):
    _parse(example)


def test_readme_keeps_its_two_commands():
    assert "make demo" in README and "make test" in README
    assert "docs/benchmarks.md" in README and "docs/cli.md" in README


def test_exit_codes_are_documented():
    from claimscope import _errors
    from claimscope.cli import EXIT_PARTIAL

    codes = {cls.exit_code for cls in vars(_errors).values()
             if isinstance(cls, type) and issubclass(cls, _errors.ClaimscopeError)}
    table = dict(re.findall(r"^\| (\d+) \| (.+) \|$", CLI_DOC, re.M))
    for code in codes | {EXIT_PARTIAL, 2}:
        assert str(code) in table, f"exit code {code} is not in docs/cli.md"
