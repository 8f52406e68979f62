"""Access-matrix objects for the 每周工作安排: the demo school's current term and this week,
published (so a teacher of the school may open it and the outsider still may not)."""

from __future__ import annotations

from django.utils import timezone

from keshi.calendar.selectors import current_term, teaching_week
from keshi.weekly.models import WeekSchedule


def _week(w) -> dict:
    schedule = w.objects["weekly_schedule"]
    return {"term": schedule.term_id, "week": schedule.week}


FILLERS = {f"weekly:{name}": _week for name in ("week", "print", "docx", "notes", "publish")}


def objects(world) -> dict:
    term = current_term(world.school)
    week = teaching_week(term, timezone.localdate()) or 1
    schedule, _ = WeekSchedule.objects.update_or_create(
        org=world.school, term=term, week=week, defaults={"published_at": timezone.now()}
    )
    return {"weekly_schedule": schedule}
