"""What the office does with a revealed draw: the work it creates.

* 安排推门听课 — a draw of teachers: one 听课任务 per drawn teacher × observer for a week (or a
  date range), with the lesson from the timetable where the teacher has one the observer is
  free for (keshi.records.assignment_services makes and tracks the tasks);
* 用于检查 — any draw: its result sets the scope of an inspection by the draw's population kind
  (teachers → 被检查教师, groups → 被检查组, subjects → 学科, classes → 班级), the inspection
  is linked to the draw and its inspectors are notified;
* 示范课 — a draw of teachers: the drawn teachers become the open class's 须参加的教师 and each
  gets a task to observe it (done when the open class's attendance is closed into records, or
  when they record the observation themselves).

Every function validates, then writes in one transaction; ``ValidationError`` (Chinese) means
nothing was written. Permissions belong to the views.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from keshi.calendar.closing import check_term_open
from keshi.calendar.selectors import current_term
from keshi.checks.models import Draw, Inspection
from keshi.cover.models import WEEKDAY_LABELS, TimetableEntry
from keshi.groupwork.models import OpenClass
from keshi.org.models import Group, Person
from keshi.records.assignment_services import Pair, assign
from keshi.records.feedback_services import notify
from keshi.records.models import ObservationAssignment

TEACHER_DRAWS = (Draw.Population.TEACHERS,)


def person_label(person: Person) -> str:
    """How a teacher appears in a draw's population (keshi.checks.selectors.population_presets)."""
    return f"{person.name}（{person.staff_no}）" if person.staff_no else person.name


def drawn_people(draw: Draw) -> tuple[list[Person], list[str]]:
    """The people of the draw's result, in its order, and the items that name nobody (or more
    than one person) of the draw's org."""
    people = list(Person.objects.filter(org=draw.org, active=True))
    by_label = {person_label(p): p for p in people}
    by_name: dict[str, list[Person]] = {}
    for p in people:
        by_name.setdefault(p.name, []).append(p)
    found, unknown = [], []
    for item in draw.result:
        person = by_label.get(item)
        if person is None and len(by_name.get(item, [])) == 1:
            person = by_name[item][0]
        if person is None:
            unknown.append(item)
        else:
            found.append(person)
    return found, unknown


def _revealed(draw: Draw, *kinds: str) -> None:
    if not draw.revealed:
        raise ValidationError(_("尚未抽签，抽签后才能据此安排工作。"))
    if hasattr(draw, "redrawn_as"):
        raise ValidationError(_("这次结果已被重抽，请对重抽后的结果操作。"))
    if kinds and draw.population_kind not in kinds:
        raise ValidationError(_("只有抽教师的抽签才能安排听课。"))


def _teachers(draw: Draw) -> list[Person]:
    people, unknown = drawn_people(draw)
    if unknown:
        raise ValidationError(
            _("抽中的以下各项对应不到本单位的在职教师：%(items)s") % {"items": "、".join(unknown)}
        )
    return people


# ---- 推门听课 ------------------------------------------------------------------------------


def suggested_lesson(observer: Person, teacher: Person, start: date, due: date) -> str:
    """The teacher's first lesson in [start, due] (timetable of the term) at which the observer
    teaches nothing; "" when the teacher has no timetable there."""
    term = current_term(teacher.org, start)
    if term is None:
        return ""
    lessons = TimetableEntry.objects.filter(term=term, person=teacher).order_by("weekday", "period")
    busy = set(
        TimetableEntry.objects.filter(term=term, person=observer).values_list("weekday", "period")
    )
    day = start
    while day <= min(due, start + timedelta(days=13)):
        for entry in lessons:
            if entry.weekday == day.isoweekday() and (entry.weekday, entry.period) not in busy:
                return _("%(d)s（%(w)s）第%(p)s节 %(c)s %(s)s") % {
                    "d": f"{day.month}月{day.day}日",
                    "w": WEEKDAY_LABELS[entry.weekday],
                    "p": entry.period,
                    "c": entry.class_name,
                    "s": entry.subject,
                }
        day += timedelta(days=1)
    return ""


@transaction.atomic
def assign_drop_in(
    *, draw: Draw, observers: Sequence[Person], start: date, due: date, by
) -> list[ObservationAssignment]:
    """安排推门听课: each observer observes each drawn teacher between ``start`` and ``due``."""
    _revealed(draw, *TEACHER_DRAWS)
    if not observers:
        raise ValidationError({"observers": _("请至少选择一位听课人。")})
    teachers = _teachers(draw)
    pairs = [
        Pair(o, t, suggested_lesson(o, t, start, due))
        for t in teachers
        for o in observers
        if o.pk != t.pk
    ]
    return assign(org=draw.org, by=by, pairs=pairs, start=start, due=due, draw=draw)


# ---- 用于检查 ------------------------------------------------------------------------------


def _merged(old: str, new: list[str], sep: str) -> str:
    items = [s.strip() for s in old.replace("\n", sep).split(sep) if s.strip()]
    return sep.join(items + [n for n in new if n not in items])


@transaction.atomic
def apply_to_inspection(*, draw: Draw, inspection: Inspection, by) -> Inspection:
    """The draw's result joins the inspection's scope; the inspectors are told."""
    _revealed(draw)
    if inspection.org_id != draw.org_id:
        raise ValidationError({"inspection": _("只能用于本单位的检查。")})
    if inspection.status == Inspection.Status.COMPLETED:
        raise ValidationError({"inspection": _("该检查已完成，不能再改变检查范围。")})
    check_term_open(inspection.term)
    kind = draw.population_kind
    if kind == Draw.Population.TEACHERS:
        inspection.people.add(*_teachers(draw))
    elif kind == Draw.Population.GROUPS:
        groups = {g.name: g for g in Group.objects.filter(org=draw.org, name__in=draw.result)}
        missing = [r for r in draw.result if r not in groups]
        if missing:
            raise ValidationError(_("抽中的组不存在：%(items)s") % {"items": "、".join(missing)})
        inspection.groups.add(*groups.values())
    elif kind == Draw.Population.SUBJECTS:
        inspection.subjects = _merged(inspection.subjects, draw.result, "、")[:200]
    elif kind == Draw.Population.CLASSES:
        inspection.classes = _merged(inspection.classes, draw.result, "\n")
    else:
        note = _("抽签“%(t)s”抽中：%(r)s") % {"t": draw.title, "r": "、".join(draw.result)}
        inspection.notes = f"{inspection.notes}\n{note}".strip()
    inspection.draw = draw
    inspection.save()
    _tell_inspectors(draw, inspection)
    return inspection


def _tell_inspectors(draw: Draw, inspection: Inspection) -> None:
    def title() -> str:
        return _("检查“%(i)s”的范围已由抽签确定") % {"i": inspection.title}

    def body() -> str:
        return _("抽签“%(t)s”抽中：%(r)s") % {"t": draw.title, "r": "、".join(draw.result)}

    link = reverse("checks:inspection", args=[inspection.pk])
    for person in inspection.inspectors.all():
        notify(person, title, body, link)


# ---- 示范课 --------------------------------------------------------------------------------


@transaction.atomic
def link_open_class(*, draw: Draw, open_class: OpenClass, by) -> list[ObservationAssignment]:
    """The drawn teachers must attend the open class and each gets a task to observe it."""
    _revealed(draw, *TEACHER_DRAWS)
    if open_class.org_id != draw.org_id:
        raise ValidationError({"open_class": _("只能关联本单位的公开课。")})
    if open_class.is_closed:
        raise ValidationError({"open_class": _("该公开课已结束考勤，不能再安排听课。")})
    teachers = [t for t in _teachers(draw) if t.pk != open_class.teacher_id]
    open_class.required_people.add(*teachers)
    lesson = _("%(d)s 第%(p)s节 %(c)s %(s)s《%(t)s》") % {
        "d": open_class.date.isoformat(),
        "p": open_class.period,
        "c": open_class.class_name,
        "s": open_class.subject,
        "t": open_class.topic,
    }
    return assign(
        org=draw.org,
        by=by,
        pairs=[Pair(t, open_class.teacher, lesson) for t in teachers],
        start=open_class.date,
        due=open_class.date,
        purpose=ObservationAssignment.Purpose.DEMO,
        draw=draw,
        open_class=open_class,
    )
