"""Values as Markdown text, for the conformance and pilot reports alike.

Values come from the export, so each is escaped for HTML (the Markdown report is
often shown as HTML) and for Markdown tables, and made printable first.
"""

from __future__ import annotations

from ..spec.printable import printable

HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}

MARKDOWN = "\\`*[]|"


def escape(value: str) -> str:
    """Safe as inline text, in a table cell too: HTML entities, `\\|`, newlines as `<br>`."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(_escape_line(printable(line)) for line in lines)


def _escape_line(line: str) -> str:
    return "".join(HTML.get(c) or (f"\\{c}" if c in MARKDOWN else c) for c in line)
