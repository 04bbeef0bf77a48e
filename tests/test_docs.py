"""Documentation that is generated from code stays equal to the code."""

from __future__ import annotations

import click

from conftest import ROOT, assert_golden
from leadspec.cli import main
from leadspec.render.codes import codes_markdown
from leadspec.spec.codes import Code

REFERENCE = ROOT / "docs" / "reference"


def test_codes_reference_is_current(update_goldens: bool) -> None:
    assert_golden(ROOT / "docs" / "reference" / "codes.md", codes_markdown(), update_goldens)


def test_every_code_is_documented() -> None:
    for code in Code:
        assert code.info.title and code.info.explanation.endswith("."), code.name
        assert code.info.severity in ("error", "warning"), code.name


def _cli_reference() -> str:
    """docs/reference/cli.md: every command, its arguments and options, from click itself."""
    lines = [
        "# Commands and options",
        "",
        "Generated from the `leadspec` command itself (`make snapshots` writes it again);",
        "`leadspec COMMAND --help` prints the same.",
        "",
    ]

    def walk(command: click.Command, path: list[str]) -> None:
        if isinstance(command, click.Group):
            for name in sorted(command.commands):
                walk(command.commands[name], [*path, name])
            return
        lines.extend([f"## `{' '.join(path)}`", "", (command.help or "").strip(), ""])
        for param in command.params:
            if isinstance(param, click.Argument):
                lines.append(f"- `{param.human_readable_name}` (argument)")
            elif isinstance(param, click.Option) and not param.hidden:
                names = ", ".join(f"`{n}`" for n in param.opts)
                default = f" Default: `{param.default}`." if param.show_default else ""
                lines.append(f"- {names}: {' '.join((param.help or '').split())}{default}")
        lines.append("")

    walk(main, ["leadspec"])
    return "\n".join(lines)


def test_the_cli_reference_is_current(update_goldens: bool) -> None:
    assert_golden(REFERENCE / "cli.md", _cli_reference(), update_goldens)


def test_every_cli_option_says_what_it_does() -> None:
    def options(command: click.Command) -> list[tuple[str, click.Option]]:
        if isinstance(command, click.Group):
            return [o for c in command.commands.values() for o in options(c)]
        return [
            (command.name or "", p)
            for p in command.params
            if isinstance(p, click.Option) and p.name != "help"
        ]

    silent = [f"{name} {o.opts[0]}" for name, o in options(main) if not (o.help or "").strip()]
    assert silent == [], f"options without help text: {silent}"
