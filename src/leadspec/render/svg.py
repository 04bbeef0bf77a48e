"""DOT source to SVG that can sit inline in an HTML page.

The only module that runs Graphviz, so a missing `dot` is reported in one place.
"""

from __future__ import annotations

import html
import re
import shutil

import graphviz

INSTALL_HINT = (
    "Graphviz's 'dot' program is needed to draw the diagrams and was not found on PATH. "
    "Install Graphviz: on Debian or Ubuntu 'sudo apt-get install graphviz', "
    "on macOS 'brew install graphviz', "
    "on Windows 'winget install graphviz' (or 'choco install graphviz'); "
    "then make sure 'dot -V' works in a new terminal, so that 'dot' is on PATH."
)

_ROOT = re.compile(r"<svg\b[^>]*>")
_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')
_WIDTH = re.compile(r'\swidth="([^"]*)"')
_GRAPH_TITLE = re.compile(r'<g id="[^"]*" class="graph"[^>]*>\s*<title>(.*?)</title>', re.S)


class GraphvizMissing(RuntimeError):
    """Graphviz is a system program that pip cannot install, so the message says how."""


def require_graphviz() -> None:
    """Raise GraphvizMissing now when `dot` is not on PATH, before a build has started."""
    if shutil.which("dot") is None:
        raise GraphvizMissing(INSTALL_HINT)


def to_svg(dot_source: str) -> str:
    """Render with Graphviz `dot` and make the result inline-ready, scalable and labelled."""
    try:
        svg = graphviz.pipe_string("dot", "svg", dot_source, encoding="utf-8")
    except graphviz.ExecutableNotFound as exc:
        raise GraphvizMissing(INSTALL_HINT) from exc
    svg = svg[svg.index("<svg") :]
    return _ROOT.sub(lambda m: _root_tag(m.group(0), _title(svg)), svg, count=1)


def _title(svg: str) -> str:
    match = _GRAPH_TITLE.search(svg)
    return html.unescape(match.group(1)) if match else ""


def _root_tag(tag: str, title: str) -> str:
    """Drop the fixed size, keeping viewBox, so a wide diagram shrinks to the page.

    The natural width moves into the style as a cap: without it a small diagram
    would be stretched to the full width of the page.
    """
    width = _WIDTH.search(tag)
    style = "max-width:100%;height:auto" + (f";width:{width.group(1)}" if width else "")
    tag = " ".join(_SIZE.sub("", tag).removesuffix(">").split())
    label = html.escape(title, quote=True)
    return f'{tag} role="img" aria-label="{label}" style="{style}">'
