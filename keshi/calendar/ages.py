"""Completed years between two dates (周岁, 教龄). Pure: no Django.

A person born on 29 February completes a year on 1 March in common years: the 12 months are
not full until 28 February has passed.
"""

from datetime import date


def full_years(start: date, at: date) -> int:
    """Whole years completed from ``start`` to ``at`` (0 if ``at`` is before ``start``)."""
    if at < start:
        return 0
    years = at.year - start.year
    if (at.month, at.day) < (start.month, start.day):
        years -= 1
    return years
