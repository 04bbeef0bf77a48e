"""A conformance Report as Markdown for a CI job summary or a pull-request comment.

Reviewers see it where they already work, so it leads with the verdict and the
rules that need attention, and folds the passing ones away. GitHub and GitLab
render HTML inside Markdown, and lead ids, details and column names come from
an export anyone could have typed into, so every such value is escaped for HTML
and for Markdown tables before it is placed: a lead id `<script>` stays text.
"""

from __future__ import annotations

from ..conformance.report import DataFinding, FailureModeStatus, Report, RuleResult
from ..spec.findings import plural
from .markdown import escape
from .wording import engine_note, iso_timestamp, ordered, skipped_lines, verdict_line

SAMPLES_SHOWN = 3


def _link(rule: RuleResult, site_url: str) -> str:
    target = f"{site_url.rstrip('/')}/{rule.doc}" if site_url else rule.doc
    return f"[{escape(rule.id)}]({target.replace(' ', '%20').replace(')', '%29')})"


def _examples(rule: RuleResult) -> str:
    return "<br>".join(f"{escape(s.lead_id)}: {escape(s.detail)}" for s in rule.samples[:SAMPLES_SHOWN])


def _attention(rules: list[RuleResult], site_url: str) -> list[str]:
    rows = [
        "| Rule | Kind | Violations | Allowed | Status | Examples |",
        "| --- | --- | ---: | ---: | --- | --- |",
    ]
    rows += [
        f"| {_link(r, site_url)} | {escape(r.kind)} | {r.violations:,} | {r.allowed:,} "
        f"| {r.status.upper()} | {_examples(r)} |"
        for r in rules
    ]
    return rows


def _passing(rules: list[RuleResult], site_url: str) -> list[str]:
    rows = [
        f"<details><summary>{plural(len(rules), 'passing rule')}</summary>",
        "",
        "| Rule | Kind | Checked | Violations | Allowed |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    rows += [
        f"| {_link(r, site_url)} | {escape(r.kind)} | {r.checked:,} | {r.violations:,} | {r.allowed:,} |"
        for r in rules
    ]
    return rows + ["", "</details>"]


def _finding(finding: DataFinding) -> str:
    where = f"in column {escape(finding.column)}" if finding.column else "in the file"
    line = f"- **{escape(finding.code)}** {where}: {escape(finding.message)}"
    if finding.examples:
        line += " Examples: " + ", ".join(escape(e) for e in finding.examples)
    return line


def _failure_mode(mode: FailureModeStatus) -> str:
    return f"- **{escape(mode.name)}** ({escape(mode.id)}): {escape(', '.join(mode.rules))}"


def _unmeasured(report: Report) -> str:
    skipped = sum(r.status == "skipped" for r in report.rules)
    return f", {plural(skipped, 'rule')} not measured" if skipped else ""


def _section(title: str, lines: list[str]) -> list[str]:
    return ["", f"### {title}", "", *lines] if lines else []


def as_markdown(report: Report, *, site_url: str = "") -> str:
    """Verdict, rules needing attention, passing rules folded, rules not measured, data
    findings, failure modes.

    Rule links point at the playbook page of each rule: relative to the site
    root as the Report holds them, or absolute under `site_url` when given,
    since a relative link in a CI summary would resolve against the CI host.
    """
    rules = ordered(report.rules)
    attention = [r for r in rules if r.status in ("fail", "warn")]
    passing = [r for r in rules if r.status == "pass"]
    lines = [
        f"## leadspec: {'Failed' if report.failed else 'Passed'}{_unmeasured(report)}",
        "",
        f"{escape(report.process)} {escape(report.version)}, mapping {escape(report.mapping)}, "
        f"{engine_note(report.engine, ', ')}as of {iso_timestamp(report.as_of)}: {plural(report.leads, 'lead')} checked.",
        "",
        verdict_line(report) + ".",
    ]
    if attention:
        lines += ["", *_attention(attention, site_url)]
    if passing:
        lines += ["", *_passing(passing, site_url)]
    lines += _section(
        "Not measured: the export lacks the data", [f"- {escape(line)}" for line in skipped_lines(report)]
    )
    lines += _section("Data findings", [_finding(f) for f in report.data_findings])
    lines += _section(
        "Failure modes happening", [_failure_mode(m) for m in report.failure_modes if m.happening]
    )
    return "\n".join(lines) + "\n"
