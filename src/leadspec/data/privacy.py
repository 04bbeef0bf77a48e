"""Values from an export, masked where they look like an email address or a phone number.

Fields marked personal never leave the data step, but free text in any other
field can still carry personal data: a recycle reason typed as "call back at
jane@example.com". Every value echoed from an export into a report or a finding
(examples, details, the lead, owner and detail of a sample, every cell of the
violations CSV) is masked: `mask` in Python, `masked` in SQL, with the same
patterns. An address becomes `<email>`, a number written as a phone number
(with a leading +, as 555-123-4567, or as 020 7946 0958) becomes `<phone>`.
Bare runs of digits are left alone: record ids and dates look like them.
"""

from __future__ import annotations

import re

from sqlglot import exp

EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
_SEPARATOR = "[ .-]"
PHONE = (
    "(^|[^0-9A-Za-z])("
    r"\+[1-9][0-9]{0,2}[ .-]?\(?[0-9]{1,4}\)?([ .-]?[0-9]{2,4}){2,4}"
    rf"|\(?[0-9]{{3}}\)?{_SEPARATOR}[0-9]{{3}}{_SEPARATOR}[0-9]{{4}}"
    rf"|0[0-9]{{2,4}}{_SEPARATOR}[0-9]{{3,4}}{_SEPARATOR}?[0-9]{{3,4}})"
)
EMAIL_MASK, PHONE_MASK = "<email>", "<phone>"
# NOTE: Python's engine backtracks, so an address is only tried where a run of its
# characters starts: tried at every position, a 10,000-character owner id took
# seconds to mask. The SQL engines' regular expressions run in linear time as they are.
_EMAIL = re.compile(rf"(?<![A-Za-z0-9._%+-]){EMAIL}")
_PHONE = re.compile(PHONE)


def mask(value: str) -> str:
    """`value` with every address and phone number in it masked."""
    return _PHONE.sub(lambda m: m.group(1) + PHONE_MASK, _EMAIL.sub(EMAIL_MASK, value))


def masked(value: exp.Expr) -> exp.Expr:
    """SQL for `mask(value)`, for values that never pass through Python (the violations CSV)."""
    emails = _replace_all(value, EMAIL, EMAIL_MASK)
    return _replace_all(emails, PHONE, f"\\1{PHONE_MASK}")


def _replace_all(value: exp.Expr, pattern: str, replacement: str) -> exp.Expr:
    return exp.RegexpReplace(
        this=value,
        expression=exp.Literal.string(pattern),
        replacement=exp.Literal.string(replacement),
        modifiers=exp.Literal.string("g"),
    )
