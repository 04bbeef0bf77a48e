"""Every finding code leadspec reports, about a spec or an export, with its documentation.

The set is closed: a code is added here, never made up at the place it is raised.
`docs/reference/codes.md` is generated from this table, and a test keeps the two equal.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


@dataclass(frozen=True)
class CodeInfo:
    severity: str  # "error" or "warning"
    title: str
    explanation: str
    fatal: bool = False  # the input could not be read at all: exit 2, not 1


class Code(enum.Enum):
    """Finding codes; the value documents each one."""

    LS001 = CodeInfo(
        "error",
        "YAML syntax error",
        "The file is not valid YAML. The message quotes the parser and shows the "
        "lines around the problem; fix the indentation or quoting there.",
        fatal=True,
    )
    LS002 = CodeInfo(
        "error",
        "Unreadable file",
        "The file cannot be read or is not UTF-8 text. Save it as UTF-8.",
        fatal=True,
    )
    LS003 = CodeInfo(
        "error",
        "Duplicate key",
        "A mapping names the same key twice, so one value would silently win. Keep one of them.",
    )
    LS004 = CodeInfo(
        "error",
        "Missing file",
        "A file every spec needs, such as process/process.yaml or one of the definitions, is not there.",
        fatal=True,
    )
    LS005 = CodeInfo(
        "error",
        "Edited release",
        "A frozen release in process/releases/ no longer matches the checksum it was "
        "written with, or its name differs from the version it holds. A released "
        "version is never rewritten: restore the file from version control and put "
        "the change in the working files for the next release.",
    )
    LS006 = CodeInfo(
        "error",
        "Alias over a limit",
        "An alias (*name) refers to the value it stands in, or aliases expand the "
        "file beyond 200,000 values: a few lines of aliases that repeat aliases "
        "multiply into billions. Write the values out where they apply.",
        fatal=True,
    )
    LS007 = CodeInfo(
        "error",
        "File over a limit",
        "A spec file is larger than 5 MB, holds more than 200,000 values, or nests "
        "values more than 64 levels deep; no spec needs any of these, so the file "
        "is not read.",
        fatal=True,
    )
    LS010 = CodeInfo(
        "error",
        "Unknown key",
        "The key is not part of this kind of file; it is usually a typo. The "
        "message lists the keys that are allowed.",
    )
    LS011 = CodeInfo("error", "Missing key", "A required key is not given.")
    LS012 = CodeInfo("error", "Invalid value", "The value has the wrong type or is outside the allowed set.")
    LS013 = CodeInfo(
        "error",
        "Duplicate or misplaced id",
        "Two items share an id, or a stage file's name differs from its id (stages/<id>.yaml).",
    )
    LS101 = CodeInfo("error", "Unknown role", "A role id is not defined in definitions/roles.yaml.")
    LS102 = CodeInfo(
        "error", "Unknown field", "A field id is not in the data dictionary, definitions/fields.yaml."
    )
    LS103 = CodeInfo("error", "Unknown stage", "A stage id has no file in stages/.")
    LS104 = CodeInfo(
        "error", "Unknown failure mode", "A failure mode id is not defined in definitions/failure_modes.yaml."
    )
    LS105 = CodeInfo("error", "Unknown KPI", "A KPI id is not defined in definitions/kpis.yaml.")
    LS106 = CodeInfo(
        "error", "Unknown source category", "A source category id is not defined in definitions/sources.yaml."
    )
    LS107 = CodeInfo(
        "error", "Job aid not found", "A job aid's path names a file that does not exist in the repository."
    )
    LS108 = CodeInfo("error", "Unknown check", "A check id is not defined in checks/*.yaml.")
    LS109 = CodeInfo(
        "error",
        "Unknown motion setting",
        "A motion, a named window or a threshold is not defined for every motion in process/process.yaml.",
    )
    LS201 = CodeInfo(
        "error",
        "Rule syntax error",
        "The rule is not a valid SQL expression, or it passes a limit on rules: "
        "4,000 characters, nesting 16 deep (parentheses, CASE, NOT and signs inside "
        "one another), 64 operations inside one another.",
    )
    LS202 = CodeInfo(
        "error",
        "Construct not allowed in a rule",
        "Rules are restricted to comparisons, boolean logic, arithmetic, CASE and "
        "a short list of functions: no subqueries, no tables, no clock functions.",
    )
    LS203 = CodeInfo(
        "error", "Rule is not a condition", "A rule must be a true/false condition, such as a comparison."
    )
    LS204 = CodeInfo(
        "error",
        "Rule types do not fit",
        "Parts of a rule compare or combine values of different kinds (text with a "
        "number, arithmetic on text, LENGTH of a number), so no engine could run it. "
        "Field types come from definitions/fields.yaml.",
    )
    LS301 = CodeInfo(
        "error",
        "Entry stage problem",
        "The lifecycle's entry stage must exist and must not be a pre-lead or terminal stage.",
    )
    LS302 = CodeInfo(
        "error", "Unreachable stage", "No path of transitions leads from the entry stage to this stage."
    )
    LS303 = CodeInfo(
        "error",
        "Dead end",
        "From this stage no path of transitions reaches a terminal outcome, so a "
        "lead that gets here can never be resolved.",
    )
    LS304 = CodeInfo("error", "No won outcome", "The lifecycle has no outcome with result 'won'.")
    LS305 = CodeInfo(
        "error", "No disqualified outcome", "The lifecycle has no outcome with result 'disqualified'."
    )
    LS306 = CodeInfo(
        "error",
        "Disqualification without a reason",
        "The disqualified stage must require a reason: an entry condition whose rule "
        "reads disqualification_reason.",
    )
    LS307 = CodeInfo(
        "error",
        "Loop with no exit",
        "A group of stages (a nurture loop) has transitions only among themselves.",
    )
    LS308 = CodeInfo(
        "error",
        "Transition out of a terminal stage",
        "Terminal outcomes are final; a lead that comes back is a new inquiry.",
    )
    LS309 = CodeInfo(
        "error", "Stage outside the lifecycle", "A stage file exists but the lifecycle never mentions it."
    )
    LS401 = CodeInfo(
        "error", "No exit criteria", "Every stage that is not terminal needs at least one exit criterion."
    )
    LS402 = CodeInfo("error", "No job aid", "Every stage needs at least one job aid.")
    LS403 = CodeInfo(
        "error",
        "Failure mode not covered",
        "A failure mode names no check that detects it and is not marked not_detectable with a reason.",
    )
    LS404 = CodeInfo("error", "KPI without a target", "Every KPI needs a target range.")
    LS405 = CodeInfo(
        "error",
        "CRM status claimed twice",
        "Two stages list the same CRM status, so a lead's stage would be ambiguous.",
    )
    LS406 = CodeInfo(
        "warning",
        "Definition is not one sentence",
        "A stage's definition should be a single sentence a new hire can remember.",
    )
    LS407 = CodeInfo("error", "No steps", "Every stage needs ordered steps saying what its owner does.")
    LS408 = CodeInfo(
        "error",
        "Terminal stage without entry conditions",
        "A terminal stage needs at least one entry condition saying when a lead may be closed this way.",
    )
    LS409 = CodeInfo("warning", "Step count out of range", "A stage is easiest to follow with 3 to 8 steps.")
    LS410 = CodeInfo(
        "warning", "Unused definition", "A role, failure mode or KPI is never referenced by a stage."
    )
    LS411 = CodeInfo(
        "error",
        "Measure does not fit its KPI",
        "A KPI's measure would give a figure in another unit than the KPI states "
        "(a rate or share is a percent, a count a count, a duration minutes, hours "
        "or days), reads a field of the wrong type or a personal field, or names "
        "stages no lead can move between. The message says which.",
    )
    LS501 = CodeInfo(
        "error",
        "Unreadable export",
        "An export file is missing, compressed, of a format leadspec cannot tell from "
        "its extension, or cannot be read as CSV, Parquet, JSON lines or XLSX. The "
        "message quotes the reader.",
        fatal=True,
    )
    LS502 = CodeInfo(
        "error",
        "Wrong text encoding",
        "A CSV export holds bytes that are not text in the encoding it is read with "
        "(UTF-8 unless --encoding says otherwise). The message names the line.",
        fatal=True,
    )
    LS503 = CodeInfo(
        "error",
        "No lead to check",
        "The export is empty, holds a header alone, or no row has a lead id. A check "
        "of no leads would pass every rule, so the run stops.",
        fatal=True,
    )
    LS504 = CodeInfo(
        "error",
        "Missing column",
        "The mapping names a column for the leads, the history or a join that the "
        "file does not have. The message lists the file's columns.",
        fatal=True,
    )
    LS505 = CodeInfo(
        "error",
        "Uneven row",
        "A CSV row has more or fewer fields than the header, often from a quote "
        "opened and not closed, so its values would land in the wrong columns.",
        fatal=True,
    )
    LS506 = CodeInfo(
        "error",
        "Join file problem",
        "--join names a join the mapping does not declare, or a required join was given no file.",
        fatal=True,
    )

    @property
    def info(self) -> CodeInfo:
        return self.value

    @property
    def doc(self) -> str:
        """Where the code is documented, for a message: the codes page with its anchor."""
        return f"docs/reference/codes.md#{self.name.lower()}"

    def __lt__(self, other: Code) -> bool:  # findings sort by code after position
        return self.name < other.name
