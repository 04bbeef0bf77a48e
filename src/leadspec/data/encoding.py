"""Text encodings of CSV and JSON exports, and what to tell the user when one is wrong.

DuckDB reads UTF-8 (with or without a BOM), UTF-16 and Latin-1 itself. Any other
encoding Python knows, such as windows-1252 from Excel, is transcoded to a UTF-8
temporary file in chunks, so an export never has to fit in memory.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from ..spec.codes import Code
from .errors import InputError

NATIVE = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "iso8859-1": "latin-1", "utf-16": "utf-16"}
CHUNK = 1 << 20


def codec(encoding: str | None, file: str) -> str:
    """Python's canonical name of an encoding ('latin1' -> 'iso8859-1')."""
    try:
        return codecs.lookup(encoding or "utf-8").name
    except LookupError:
        raise InputError(
            file,
            f"'{encoding}' is not a known text encoding",
            "Use utf-8, latin-1 or windows-1252.",
            code=Code.LS502,
        ) from None


def duckdb_encoding(name: str) -> str | None:
    """The encoding name DuckDB's read_csv takes, or None when leadspec must transcode."""
    return NATIVE.get(name)


def transcode(source: Path, target: Path, name: str, shown: str) -> None:
    """Copy `source` in encoding `name` to `target` as UTF-8, one chunk at a time."""
    decoder = codecs.getincrementaldecoder(name)()
    try:
        with source.open("rb") as raw, target.open("w", encoding="utf-8", newline="") as out:
            while chunk := raw.read(CHUNK):
                out.write(decoder.decode(chunk))
            out.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        raise bad_bytes(source, name, shown) from None


def bad_bytes(path: Path, name: str, shown: str) -> InputError:
    """An InputError at the first line whose bytes are not text in `name`."""
    line, byte = first_bad_line(path, name)
    fix = (
        "Export the file as UTF-8, or pass its encoding: use --encoding latin-1, "
        "or --encoding windows-1252 for files saved by Excel on Windows"
    )
    if name == "iso8859-1":
        fix = "Pass --encoding windows-1252: bytes 0x80-0x9f are Windows characters, not Latin-1"
    elif name != "utf-8":
        fix = "Check the file's encoding; most exports are utf-8, latin-1 or windows-1252"
    label = "Latin-1" if name == "iso8859-1" else name
    if not line:
        return InputError(shown, f"is not {label} text", fix, code=Code.LS502)
    return InputError(shown, f"byte 0x{byte:02x} is not {label} text", fix, line, code=Code.LS502)


def first_bad_line(path: Path, name: str) -> tuple[int, int]:
    """1-based line and the byte value of the first byte that `name` cannot decode."""
    strict_latin = name == "iso8859-1"
    with path.open("rb") as raw:
        for number, line in enumerate(raw, start=1):
            if strict_latin:
                bad = next((b for b in line if 0x80 <= b <= 0x9F), None)
                if bad is not None:
                    return number, bad
                continue
            try:
                line.decode("utf-8-sig" if name == "utf-8" and number == 1 else name)
            except UnicodeDecodeError as exc:
                return number, line[exc.start]
    return 0, 0
