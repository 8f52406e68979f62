"""Writes: absences (also called by training dispatch), cover proposals and decisions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.cover import selectors
from keshi.cover.models import Absence, Cover, Half, HomeroomDuty, TimetableEntry
from keshi.notify.models import Notification
from keshi.org.models import Person

Span = tuple[date, str, date, str]


def check_span(span: Sequence) -> Span:
    """``(start_date, start_half, end_date, end_half)`` validated; a Chinese error otherwise."""
    try:
        start, start_half, end, end_half = span
    except (TypeError, ValueError):
        raise ValidationError(
            _("时间段格式应为（开始日期, 上午/下午, 结束日期, 上午/下午）。")
        ) from None
    if not isinstance(start, date) or not isinstance(end, date):
        raise ValidationError(_("时间段的开始和结束必须是日期。"))
    if start_half not in Half.values or end_half not in Half.values:
        raise ValidationError(_("半天只能是上午（am）或下午（pm）。"))
    if (end, end_half) < (start, start_half):
        raise ValidationError(
            _("结束时间（%(end)s）不能早于开始时间（%(start)s）。") % {"end": end, "start": start}
        )
    return start, start_half, end, end_half


def notify(person: Person, title: str, body: str = "", link: str = "") -> None:
    Notification.objects.create(
        org_id=person.org_id,
        user_id=person.user_id,
        person=person,
        title=title,
        body=body,
        link=link,
    )


def _cancel_covers(covers: Iterable[Cover], reason: str) -> int:
    n = 0
    for cover in covers:
        if cover.status not in Cover.LIVE:
            continue
        cover.status = Cover.Status.CANCELLED
        cover.note = reason[:200]
        cover.decided_at = timezone.now()
        cover.save(update_fields=["status", "note", "decided_at"])
        what = f"{cover.date or ''} {cover.entry or cover.homeroom or ''}".strip()
        notify(
            cover.cover_person,
            _("调代课已取消：%(who)s %(what)s") % {"who": cover.absence.person, "what": what},
            reason,
            reverse("cover:mine"),
        )
        n += 1
    return n


def _prune_covers(absence: Absence) -> None:
    """Cancel the lesson covers that fall outside the absence's (changed) span."""
    outside = []
    for cover in absence.covers.filter(status__in=Cover.LIVE, entry__isnull=False):
        half = _half_of_entry(absence.org_id, cover.entry.period)
        if not absence.covers_slot(cover.date, half):
            outside.append(cover)
    _cancel_covers(outside, _("外出/请假时间已调整，这节课不再需要调代课。"))


def _half_of_entry(org, period: int) -> str:
    return selectors.cover_settings(org).half_of(period)


_SPAN_FIELDS = ("start_date", "start_half", "end_date", "end_half", "title", "kind")


def set_absences(
    *,
    person: Person,
    reference: str,
    title: str,
    spans: Sequence[Sequence],
    by,
    kind: str = Absence.Kind.TRAINING,
) -> list[Absence]:
    """Make ``person``'s absences with ``reference`` exactly ``spans`` (idempotent).

    Existing rows are updated in place in order, so covers already arranged for them survive;
    covers for lessons no longer inside a span are cancelled (and their teachers told).
    """
    if not reference:
        raise ValidationError(_("必须指明来源（如 dispatch:12）。"))
    checked = sorted(check_span(s) for s in spans)
    with transaction.atomic():
        existing = list(
            Absence.objects.select_for_update()
            .filter(person=person, reference=reference)
            .order_by("start_date", "start_half", "pk")
        )
        result = []
        for i, (start, start_half, end, end_half) in enumerate(checked):
            absence = (
                existing[i]
                if i < len(existing)
                else Absence(
                    org_id=person.org_id, person=person, reference=reference, created_by=by
                )
            )
            new = dict(
                zip(
                    _SPAN_FIELDS, (start, start_half, end, end_half, title[:200], kind), strict=True
                )
            )
            if absence.pk is None or any(getattr(absence, f) != v for f, v in new.items()):
                for field, value in new.items():
                    setattr(absence, field, value)
                absence.full_clean()
                absence.save()
                if i < len(existing):
                    _prune_covers(absence)
            result.append(absence)
        for surplus in existing[len(checked) :]:
            _delete(surplus)
    return result


def _delete(absence: Absence) -> None:
    _cancel_covers(
        absence.covers.select_related("entry", "homeroom", "cover_person"),
        _("%(who)s的外出/请假（%(title)s）已撤销。")
        % {"who": absence.person, "title": absence.title},
    )
    absence.delete()


def clear_absences(*, reference: str, person: Person | None = None, by) -> int:
    """Remove the absences with ``reference`` (of ``person`` only, when given); their live
    covers are cancelled and the cover teachers told. Returns the number removed."""
    if not reference:
        raise ValidationError(_("必须指明来源（如 dispatch:12）。"))
    with transaction.atomic():
        rows = Absence.objects.select_for_update().filter(reference=reference)
        if person is not None:
            rows = rows.filter(person=person)
        rows = list(rows.select_related("person"))
        for absence in rows:
            _delete(absence)
    return len(rows)


def record_absence(
    *, person: Person, kind: str, title: str, span: Sequence, by, absence: Absence | None = None
) -> Absence:
    """Office staff enter (or correct) an absence by hand: reference ``manual:<pk>``."""
    start, start_half, end, end_half = check_span(span)
    with transaction.atomic():
        if absence is None:
            absence = Absence(org_id=person.org_id, created_by=by)
        absence.person, absence.kind, absence.title = person, kind, title
        absence.start_date, absence.start_half = start, start_half
        absence.end_date, absence.end_half = end, end_half
        absence.full_clean(exclude=["reference"])
        changed = absence.pk is not None
        absence.save()
        if not absence.reference:
            absence.reference = f"manual:{absence.pk}"
            absence.save(update_fields=["reference"])
        if changed:
            _prune_covers(absence)
    return absence


def delete_absence(*, absence: Absence, by) -> None:
    with transaction.atomic():
        _delete(absence)


class ClashWarning(ValidationError):
    """Clashes that an explicit confirmation may override (the form shows them first)."""


def _check_person(absence: Absence, cover_person: Person) -> None:
    if cover_person.org_id != absence.org_id or not cover_person.active:
        raise ValidationError({"cover_person": _("只能安排本单位在职教师。")})
    if cover_person.pk == absence.person_id:
        raise ValidationError({"cover_person": _("不能安排外出教师本人。")})


def _clashes(org, person_id: int, day: date, period: int, who: str) -> list[str]:
    """Warnings for ``person_id`` at (day, period); raises when they are away then."""
    reasons = selectors.busy_at(org, {(day, period)})[(day, period)].get(person_id, [])
    for why, message, _pk in reasons:
        if why == selectors.AWAY:
            raise ValidationError(
                _("%(who)s在%(day)s第%(p)s节%(msg)s，不能安排。")
                % {"who": who, "day": day, "p": period, "msg": message.removeprefix("该时段")}
            )
    return [f"{who} {day:%m-%d} 第{period}节：{message}" for _why, message, _pk in reasons]


def arrange_cover(
    *,
    absence: Absence,
    entry: TimetableEntry,
    day: date,
    cover_person: Person,
    by,
    by_office: bool,
    swap_entry: TimetableEntry | None = None,
    swap_date: date | None = None,
    confirm_clashes: bool = False,
    note: str = "",
) -> Cover:
    """Propose a 调课 (the colleague confirms later) or assign a 代课 (office: confirmed now).

    Being away at the slot blocks; teaching or covering at the same slot only warns and
    needs ``confirm_clashes`` (合班 or a stale timetable make it legitimate at times).
    """
    _check_person(absence, cover_person)
    kind = selectors.cover_kind(absence)
    if kind == Cover.Kind.SUBSTITUTE and not by_office:
        raise ValidationError(_("外出三天及以上由教务处统一安排代课。"))
    if not any(
        n.entry.pk == entry.pk and n.date == day for n in selectors.lessons_to_cover(absence)
    ):
        raise ValidationError(_("这节课不在本次外出/请假需要调代课的课程之内。"))
    warnings = _clashes(absence.org, cover_person.pk, day, entry.period, str(cover_person))
    if swap_entry is not None or swap_date is not None:
        warnings += _check_swap(absence, entry, cover_person, swap_entry, swap_date)
    if warnings and not confirm_clashes:
        raise ClashWarning(warnings)
    with transaction.atomic():
        cover = _create_live(
            _("这节课已经安排了调代课，请先取消原安排。"),
            org_id=absence.org_id,
            absence=absence,
            kind=kind,
            entry=entry,
            date=day,
            cover_person=cover_person,
            swap_entry=swap_entry,
            swap_date=swap_date,
            status=Cover.Status.CONFIRMED
            if kind == Cover.Kind.SUBSTITUTE
            else Cover.Status.PROPOSED,
            warnings="\n".join(warnings),
            note=note[:200],
            created_by=by,
            decided_at=timezone.now() if kind == Cover.Kind.SUBSTITUTE else None,
        )
        _tell_cover_person(cover)
    return cover


def _create_live(taken: str, **fields) -> Cover:
    """Create a live cover; the partial unique constraints turn a concurrent duplicate into
    the Chinese ``taken`` message instead of an IntegrityError."""
    try:
        with transaction.atomic():
            return Cover.objects.create(**fields)
    except IntegrityError:
        raise ValidationError(taken) from None


def _check_swap(absence, entry, cover_person, swap_entry, swap_date) -> list[str]:
    if swap_entry is None or swap_date is None:
        raise ValidationError(_("换课须同时选择换回的课和日期。"))
    if swap_entry.person_id != cover_person.pk or swap_entry.class_name != entry.class_name:
        raise ValidationError(
            _("换回的课必须是该同事在同一班级（%(c)s）的课。") % {"c": entry.class_name}
        )
    lesson_day = selectors.Slots(absence.org, swap_date, swap_date).lesson_day(swap_date)
    if lesson_day is None or lesson_day != (swap_entry.term, swap_entry.weekday):
        raise ValidationError(
            _("%(day)s 不上%(lesson)s，请选择该课所在星期的上课日。")
            % {"day": swap_date, "lesson": swap_entry}
        )
    return _clashes(
        absence.org, absence.person_id, swap_date, swap_entry.period, str(absence.person)
    )


def arrange_homeroom(
    *,
    absence: Absence,
    duty: HomeroomDuty,
    cover_person: Person,
    by,
    by_office: bool,
    note: str = "",
) -> Cover:
    """班主任代理 for the absence: confirmed at once by the office, else proposed."""
    _check_person(absence, cover_person)
    if duty.person_id != absence.person_id:
        raise ValidationError(_("这不是外出教师的班主任工作。"))
    with transaction.atomic():
        cover = _create_live(
            _("该班已经安排了代理班主任，请先取消原安排。"),
            org_id=absence.org_id,
            absence=absence,
            kind=Cover.Kind.HOMEROOM,
            homeroom=duty,
            cover_person=cover_person,
            status=Cover.Status.CONFIRMED if by_office else Cover.Status.PROPOSED,
            decided_at=timezone.now() if by_office else None,
            note=note[:200],
            created_by=by,
        )
        _tell_cover_person(cover)
    return cover


def _what(cover: Cover) -> str:
    if cover.homeroom_id:
        return _("%(c)s班主任工作（%(span)s）") % {
            "c": cover.homeroom.class_name,
            "span": cover.absence.span_label,
        }
    return f"{cover.date:%m-%d} {cover.entry}"


def _tell_cover_person(cover: Cover) -> None:
    absent = cover.absence.person
    if cover.status == Cover.Status.PROPOSED:
        title = _("%(who)s请您%(kind)s：%(what)s") % {
            "who": absent,
            "kind": cover.get_kind_display(),
            "what": _what(cover),
        }
    else:
        title = _("教务处安排您%(kind)s：%(what)s（%(who)s外出）") % {
            "who": absent,
            "kind": cover.get_kind_display(),
            "what": _what(cover),
        }
    notify(cover.cover_person, title, cover.note, reverse("cover:mine"))


def decide_cover(*, cover: Cover, accept: bool, by, note: str = "") -> Cover:
    """The colleague confirms or declines a proposed 调课/班主任代理."""
    with transaction.atomic():
        cover = Cover.objects.select_for_update().get(pk=cover.pk)
        if cover.status != Cover.Status.PROPOSED:
            raise ValidationError(_("该请求已处理（%(s)s）。") % {"s": cover.get_status_display()})
        if accept and cover.entry_id:  # away since the request was made: cannot accept
            _clashes(cover.org, cover.cover_person_id, cover.date, cover.entry.period, _("您"))
        cover.status = Cover.Status.CONFIRMED if accept else Cover.Status.DECLINED
        cover.decided_at = timezone.now()
        if note:
            cover.note = note[:200]
        cover.save(update_fields=["status", "decided_at", "note"])
        verb = _("已同意") if accept else _("已婉拒")
        notify(
            cover.absence.person,
            _("%(who)s%(verb)s%(kind)s：%(what)s")
            % {
                "who": cover.cover_person,
                "verb": verb,
                "kind": cover.get_kind_display(),
                "what": _what(cover),
            },
            note,
            reverse("cover:absence", args=[cover.absence_id]),
        )
    return cover


def cancel_cover(*, cover: Cover, by) -> Cover:
    with transaction.atomic():
        _cancel_covers([cover], _("安排已被取消。"))
    return cover
