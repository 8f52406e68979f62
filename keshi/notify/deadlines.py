"""Every dated thing a person owes besides the rules' periods, for the daily digest: 外出培训
follow-ups, 整改, 课题 stages, contest entries and judging, inspections to score, assigned
observations, and a department's monthly figures.

Each module answers for its own with a ``(org, at) → {person id: [(label, due)]}`` reader; this
module only lists them, so that a new kind of deadline is one line in :data:`SOURCES`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from django.utils.translation import gettext

from keshi.checks import selectors as checks
from keshi.contests import selectors as contests
from keshi.dispatch.selectors import open_obligations_by_person
from keshi.exams import selectors as exams
from keshi.indicators import selectors as indicators
from keshi.org.models import Org
from keshi.records import assignment_selectors as assignments
from keshi.research import selectors as research

Deadline = tuple[str, date]  # (label, due date)
Source = Callable[[Org, date], dict[int, list[Deadline]]]


def _dispatch(org: Org, at: date) -> dict[int, list[Deadline]]:
    return {
        person_id: [(gettext("外出培训·%s") % o.label, o.due_date) for o in obligations]
        for person_id, obligations in open_obligations_by_person(org).items()
    }


def _rectifications(org: Org, at: date) -> dict[int, list[Deadline]]:
    return checks.open_rectifications_by_person(org)


def _observations(org: Org, at: date) -> dict[int, list[Deadline]]:
    return assignments.open_assignments_by_person(org)


SOURCES: tuple[Source, ...] = (
    _dispatch,
    checks.inspection_deadlines,
    _rectifications,
    _observations,
    research.deadlines,
    contests.deadlines,
    indicators.deadlines,
    exams.deadlines,
)


def by_person(org: Org, at: date) -> dict[int, list[Deadline]]:
    out: dict[int, list[Deadline]] = defaultdict(list)
    for source in SOURCES:
        for person_id, tasks in source(org, at).items():
            out[person_id].extend(tasks)
    return dict(out)
