"""Text from a spec or an export made safe to print, for every renderer.

A value can hold a newline that forges a report line, an escape sequence that
moves the cursor or recolours the terminal, or a character XML 1.0 cannot carry.
Each such character is written as a visible escape instead.
"""

from __future__ import annotations

import unicodedata

UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs"}
ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(value: str) -> str:
    """Control and format characters as escapes: safe for a terminal and for XML 1.0."""
    out = []
    for char in value:
        if char in ESCAPES:
            out.append(ESCAPES[char])
        elif unicodedata.category(char) in UNSAFE_CATEGORIES or char in "\ufffe\uffff":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)
