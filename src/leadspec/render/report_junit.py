"""A conformance Report as JUnit XML, so CI systems show each rule as a test.

GitLab, Jenkins, Azure DevOps and GitHub test-report actions all read JUnit,
which turns a lead-data check into a familiar red or green list without a
plug-in. Only an error-severity rule over its threshold is a failure, matching
exit status 1; a warning over its threshold passes with its details in
`<system-out>`, and a rule with no leads in scope is skipped. A report with no
rules still holds one passing case, because CI treats an empty suite as broken.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..conformance.report import Report, RuleResult
from ..spec.findings import plural
from ..spec.printable import printable
from .wording import finding_lines, iso_timestamp, percent, sample_line

SUITE = "leadspec"


def _details(rule: RuleResult) -> str:
    """What a person needs to act: the rule, the numbers, where to read, the leads."""
    lines = [
        printable(rule.description),
        f"{rule.violations:,} of {rule.checked:,} checked leads ({percent(rule.rate)}); "
        f"{rule.allowed:,} allowed ({printable(rule.threshold)}).",
        f"See {printable(rule.doc)}",
    ]
    lines += [sample_line(s) for s in rule.samples]
    return "\n".join(lines)


def _rule_case(rule: RuleResult) -> ET.Element:
    case = ET.Element("testcase", classname=f"{SUITE}.{printable(rule.kind)}", name=printable(rule.id))
    if rule.status == "fail":
        message = f"{plural(rule.violations, 'violation')}, {rule.allowed:,} allowed"
        failure = ET.SubElement(case, "failure", message=message, type=printable(rule.kind))
        failure.text = _details(rule)
    elif rule.status == "warn":
        ET.SubElement(case, "system-out").text = _details(rule)
    elif rule.skipped is not None:
        ET.SubElement(case, "skipped", message=printable(rule.skipped))
    elif rule.checked == 0:
        ET.SubElement(case, "skipped", message="no leads in scope")
    return case


def _data_case(report: Report) -> ET.Element:
    case = ET.Element("testcase", classname=SUITE, name="data")
    lines = [line for finding in report.data_findings for line in finding_lines(finding)]
    ET.SubElement(case, "system-out").text = "\n".join(lines)
    return case


def _properties(report: Report) -> ET.Element:
    """Which process, mapping and files the results belong to, for whoever reads the CI log later."""
    properties = ET.Element("properties")
    values = [
        ("process", report.process),
        ("version", report.version),
        ("mapping", report.mapping),
        ("engine", report.engine),
        ("as_of", iso_timestamp(report.as_of)),
        ("leads", str(report.leads)),
    ]
    values += [(f"input.{i.role}", f"{i.name} sha256:{i.sha256}") for i in report.inputs]
    for name, value in values:
        ET.SubElement(properties, "property", name=name, value=printable(value))
    return properties


def _cases(report: Report) -> list[ET.Element]:
    cases = [_rule_case(r) for r in report.rules]
    if not cases:
        cases.append(ET.Element("testcase", classname=SUITE, name=SUITE))
    if report.data_findings:
        cases.append(_data_case(report))
    return cases


def as_junit(report: Report) -> str:
    """`<testsuites>` around one `<testsuite name="leadspec">`, one case per rule."""
    cases = _cases(report)
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(case.find("failure") is not None for case in cases)),
        "errors": "0",
        "skipped": str(sum(case.find("skipped") is not None for case in cases)),
    }
    root = ET.Element("testsuites", {"name": SUITE, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts})
    suite.append(_properties(report))
    suite.extend(cases)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
