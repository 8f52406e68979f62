"""Writes for training dispatches. Each operation validates and runs in one transaction; every
state change goes through :func:`_move` (state machine in ``states``, log in ``Transition``)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from keshi.calendar.models import Term
from keshi.cover import services as cover
from keshi.dispatch import conf, rules, states
from keshi.dispatch.models import (
    Dispatch,
    DispatchTeacher,
    Half,
    NoticePart,
    Obligation,
    Transition,
)
from keshi.dispatch.states import TransitionRefused
from keshi.org.models import Group, Membership, Org, Person
from keshi.records.models import Activity, ActivityKind
from keshi.records.services import record_activity

FIELDS = (
    "title", "organiser", "level", "place", "cross_province", "start_date", "start_half",
    "end_date", "end_half", "hours", "credits", "professional", "cost_estimate", "reimbursable",
    "request_comment",
)  # fmt: skip


# ---- validation ---------------------------------------------------------------------------


def check_dates_and_teachers(
    *, org: Org, start: date, start_half: str, end: date, end_half: str, teachers, exclude=None
) -> None:
    """Raise a ValidationError naming the field: a return before the departure, dates outside a
    term, a teacher of another org or already sent elsewhere on overlapping days."""
    errors: dict[str, list[str]] = {}
    if end < start or (end == start and start_half == Half.PM and end_half == Half.AM):
        errors.setdefault("end_date", []).append("结束日期（返校）不能早于开始日期（出发）")
    else:
        term = Term.objects.filter(school_year__org=org, start__lte=start, end__gte=start).first()
        if term is None:
            errors.setdefault("start_date", []).append(
                f"开始日期 {start:%Y-%m-%d} 不在本单位的任何学期内"
            )
        elif end > term.end:
            errors.setdefault("end_date", []).append(
                f"结束日期 {end:%Y-%m-%d} 超出了{term}（{term.end:%Y-%m-%d} 结束）"
            )
    if not teachers:
        errors.setdefault("teachers", []).append("请选择派出的教师")
    for person in teachers:
        if person.org_id != org.pk:
            errors.setdefault("teachers", []).append(f"{person.name}不是本单位的教师")
            continue
        clash = (
            DispatchTeacher.objects.filter(
                person=person,
                dispatch__state__in=states.OCCUPYING,
                dispatch__start_date__lte=end,
                dispatch__end_date__gte=start,
            )
            .exclude(dispatch_id=getattr(exclude, "pk", None))
            .select_related("dispatch")
            .first()
        )
        if clash and _halves_overlap(clash.dispatch, start, start_half, end, end_half):
            d = clash.dispatch
            errors.setdefault("teachers", []).append(
                f"{person.name}已在{d.start_date:%m月%d日}–{d.end_date:%m月%d日}"
                f"派往“{d.title}”（{d.serial}），日期重叠"
            )
    if errors:
        raise ValidationError(errors)


def _halves_overlap(d: Dispatch, start, start_half, end, end_half) -> bool:
    def key(day: date, half: str) -> tuple:
        return (day, 0 if half == Half.AM else 1)

    return key(d.start_date, d.start_half) <= key(end, end_half) and key(start, start_half) <= key(
        d.end_date, d.end_half
    )


# ---- create, edit, move --------------------------------------------------------------------


def _next_number(org: Org, year: int) -> int:
    Org.objects.select_for_update().filter(pk=org.pk).first()  # one numberer per org at a time
    last = Dispatch.objects.filter(org=org, year=year).order_by("-number").first()
    return (last.number if last else 0) + 1


def _log(dispatch: Dispatch, source: str, target: str, by, comment: str = "") -> None:
    Transition.objects.create(
        dispatch=dispatch, source=source, target=target, by=by, comment=comment[:500]
    )


@transaction.atomic
def create_dispatch(
    *,
    org: Org,
    by,
    teachers: list[Person],
    direct: bool,
    requested_by: Person | None = None,
    **fields,
) -> Dispatch:
    """A teacher's request (申请), or with ``direct`` the office's dispatch (已派遣 at once)."""
    check_dates_and_teachers(
        org=org,
        start=fields["start_date"],
        start_half=fields.get("start_half", Half.AM),
        end=fields["end_date"],
        end_half=fields.get("end_half", Half.PM),
        teachers=teachers,
    )
    year = fields["start_date"].year
    dispatch = Dispatch(
        org=org, year=year, number=_next_number(org, year), created_by=by, requested_by=requested_by
    )
    for name, value in fields.items():
        setattr(dispatch, name, value)
    dispatch.full_clean()
    dispatch.save()
    for person in teachers:
        DispatchTeacher.objects.create(dispatch=dispatch, person=person)
    _log(dispatch, "", states.REQUESTED, by, dispatch.request_comment)
    if direct:
        _move(dispatch, states.DISPATCHED, by)
        _on_dispatched(dispatch, by)
    return dispatch


@transaction.atomic
def update_dispatch(*, dispatch: Dispatch, by, teachers: list[Person], **fields) -> Dispatch:
    dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
    if dispatch.state not in (states.REQUESTED, states.RETURNED_FOR_CHANGES, states.DISPATCHED):
        raise TransitionRefused(f"“{dispatch.state_label}”的派遣不能再修改")
    old_end = dispatch.end_date
    for name, value in fields.items():
        setattr(dispatch, name, value)
    check_dates_and_teachers(
        org=dispatch.org,
        start=dispatch.start_date,
        start_half=dispatch.start_half,
        end=dispatch.end_date,
        end_half=dispatch.end_half,
        teachers=teachers,
        exclude=dispatch,
    )
    dispatch.full_clean()
    dispatch.save()
    wanted = {p.pk: p for p in teachers}
    for member in dispatch.members.select_related("person"):
        if member.person_id not in wanted:
            remove_teacher(member=member, by=by)
    have = set(dispatch.members.values_list("person_id", flat=True))
    for pk, person in wanted.items():
        if pk not in have:
            DispatchTeacher.objects.create(dispatch=dispatch, person=person)
    if dispatch.state == states.DISPATCHED:
        shift = dispatch.end_date - old_end
        if shift:  # due dates count from the last day of the training
            for ob in Obligation.objects.filter(dispatch=dispatch, met_at__isnull=True):
                ob.due_date += shift
                ob.save(update_fields=["due_date"])
        _on_dispatched(dispatch, by)
    return dispatch


@transaction.atomic
def remove_teacher(*, member: DispatchTeacher, by) -> None:
    dispatch = member.dispatch
    Obligation.objects.filter(dispatch=dispatch, person=member.person).delete()
    NoticePart.objects.filter(dispatch=dispatch, person=member.person).delete()
    cover.clear_absences(reference=reference(dispatch), person=member.person, by=by)
    member.delete()


def reference(dispatch: Dispatch) -> str:
    return f"dispatch:{dispatch.pk}"


def facts(dispatch: Dispatch) -> states.Facts:
    members = list(dispatch.members.all())
    open_ = Obligation.objects.filter(dispatch=dispatch, met_at__isnull=True)
    blocked = [
        f"{o.person.name}·{o.label}"
        for o in open_.select_related("person").order_by("person__name")
    ]
    return states.Facts(
        all_back=bool(members) and all(m.returned_at for m in members),
        all_reported=not open_.filter(kind=rules.REPORT).exists(),
        all_met=not blocked,
        blocked_by=tuple(blocked),
    )


def _move(dispatch: Dispatch, target: str, by, comment: str = "") -> Dispatch:
    source = dispatch.state
    states.check(source, target, facts(dispatch))
    dispatch.state = target
    dispatch._change_reason = comment[:100] or states.LABELS[target]
    dispatch.save()
    _log(dispatch, source, target, by, comment)
    return dispatch


@transaction.atomic
def transition(*, dispatch: Dispatch, target: str, by, comment: str = "") -> Dispatch:
    """The office's explicit moves: approve, return, resubmit, cancel, mark reimbursed…"""
    dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
    if target == states.RETURNED_FOR_CHANGES and not comment.strip():
        raise TransitionRefused("退回申请时请填写退回意见")
    if target == states.CANCELLED and dispatch.state in states.ACTIVE and not comment.strip():
        raise TransitionRefused("取消已派遣的培训时请填写原因")
    _move(dispatch, target, by, comment.strip())
    if target == states.RETURNED_FOR_CHANGES:
        dispatch.return_comment = comment.strip()
        dispatch.save(update_fields=["return_comment"])
    elif target == states.DISPATCHED:
        _on_dispatched(dispatch, by)
    elif target == states.CANCELLED:
        cover.clear_absences(reference=reference(dispatch), by=by)
    elif target == states.REIMBURSED:
        dispatch.members.update(reimbursed_at=timezone.now())
    return dispatch


def settle(dispatch: Dispatch, by) -> Dispatch:
    """Move on as far as the facts allow (all back → 已返校, all reported → 已汇报, …)."""
    target = states.settle(dispatch.state, facts(dispatch))
    while dispatch.state != target:
        step = next(s for s in states.ORDER if s in states.TRANSITIONS[dispatch.state])
        _move(dispatch, step, by)
    return dispatch


def _on_dispatched(dispatch: Dispatch, by) -> None:
    """Obligations, notice parts and cover absences for every teacher sent."""
    policy = conf.policy()
    specs = rules.default_obligations(
        end=dispatch.end_date,
        cross_province=dispatch.cross_province,
        reimbursable=dispatch.reimbursable,
        hours=dispatch.hours,
        policy=policy,
    )
    members = list(dispatch.members.select_related("person"))
    with_obligations = set(
        Obligation.objects.filter(dispatch=dispatch).values_list("person_id", flat=True)
    )
    for m in members:
        if m.person_id not in with_obligations:
            Obligation.objects.bulk_create(
                Obligation(
                    dispatch=dispatch,
                    person=m.person,
                    kind=s.kind,
                    label=s.label,
                    min_chars=s.min_chars,
                    due_date=s.due,
                )
                for s in specs
            )
        cover.set_absences(
            person=m.person,
            reference=reference(dispatch),
            title=f"外出培训：{dispatch.title}",
            spans=[dispatch.span],
            by=by,
        )
    _sync_notice(dispatch, members)


def _sync_notice(dispatch: Dispatch, members: list[DispatchTeacher]) -> None:
    """Part 1 for each teacher, part 3 for each of their 年级组 (one without a group if none)."""
    people = sorted({m.person_id for m in members})
    grades = sorted(
        set(
            Membership.objects.current(dispatch.start_date)
            .filter(person_id__in=people, group__kind=Group.Kind.GRADE)
            .values_list("group_id", flat=True)
        )
    ) or [None]
    wanted = [(NoticePart.Part.TEACHER, p, None) for p in people]
    wanted += [(NoticePart.Part.ACADEMIC, None, None)]
    wanted += [(NoticePart.Part.GRADE, None, g) for g in grades]
    wanted += [(NoticePart.Part.ARCHIVE, None, None)]
    keep = set(wanted)
    for part in NoticePart.objects.filter(dispatch=dispatch):
        if (part.part, part.person_id, part.group_id) not in keep:
            part.delete()
    for part, person_id, group_id in wanted:
        NoticePart.objects.get_or_create(
            dispatch=dispatch, part=part, person_id=person_id, group_id=group_id
        )


# ---- teachers and the office after the training ---------------------------------------------


@transaction.atomic
def mark_returned(*, member: DispatchTeacher, by, at=None) -> DispatchTeacher:
    dispatch = Dispatch.objects.select_for_update().get(pk=member.dispatch_id)
    if dispatch.state not in states.ACTIVE:
        raise TransitionRefused(f"“{dispatch.state_label}”的派遣不能登记返校")
    if member.returned_at:
        raise TransitionRefused(f"{member.person.name}已经登记返校")
    at = at or timezone.now()
    if timezone.localdate(at) < dispatch.start_date:
        raise TransitionRefused(f"培训{dispatch.start_date:%m月%d日}才开始，还不能登记返校")
    member.returned_at = at
    member.save(update_fields=["returned_at"])
    _log(dispatch, dispatch.state, dispatch.state, by, f"{member.person.name}返校")
    settle(dispatch, by)
    return member


@transaction.atomic
def confirm_attendance(*, member: DispatchTeacher, by) -> Activity:
    """The office confirms the teacher attended: one ``training`` record with the dispatch's
    学时 and 学分 (running it again returns the same record)."""
    member = DispatchTeacher.objects.select_for_update().get(pk=member.pk)
    if member.training_record_id:
        return member.training_record
    dispatch = member.dispatch
    if not member.returned_at:
        raise TransitionRefused(f"{member.person.name}还没有返校，不能确认出勤")
    kind = ActivityKind.objects.get(org__isnull=True, code="training")
    level = dict(_level_labels()).get(dispatch.level, "")
    record = record_activity(
        person=member.person,
        kind=kind,
        by=by,
        on=dispatch.end_date,
        title=dispatch.title,
        quantity=dispatch.hours,
        credits=dispatch.credits,
        data={
            "organiser": dispatch.organiser,
            "level": level,
            "certificate": dispatch.serial,
            "report": f"外出培训派遣 {dispatch.serial}，返校汇报见派遣单",
            "dispatch": dispatch.pk,
            "professional": dispatch.professional,
        },
    )
    member.training_record = record
    member.attendance_confirmed_at = timezone.now()
    member.save(update_fields=["training_record", "attendance_confirmed_at"])
    _log(
        dispatch, dispatch.state, dispatch.state, by, f"确认{member.person.name}出勤，登记培训学时"
    )
    return record


def _level_labels():
    from keshi.dispatch.models import Level

    return [(v, str(label)) for v, label in Level.choices]


def _open_obligation(obligation: Obligation) -> Obligation:
    obligation = (
        Obligation.objects.select_for_update()
        .select_related("dispatch", "person")
        .get(pk=obligation.pk)
    )
    if obligation.dispatch.state not in states.ACTIVE:
        raise TransitionRefused("这次派遣不在进行中，不能登记后续任务")
    member = DispatchTeacher.objects.filter(
        dispatch=obligation.dispatch, person=obligation.person
    ).first()
    if member is None or not member.returned_at:
        raise TransitionRefused("返校之后才能登记后续任务")
    return obligation


def _met(obligation: Obligation, by, note: str = "") -> Obligation:
    obligation.met_at, obligation.met_by = timezone.now(), by
    if note:
        obligation.note = note[:200]
    obligation.save()
    settle(Dispatch.objects.select_for_update().get(pk=obligation.dispatch_id), by)
    return obligation


@transaction.atomic
def meet_with_activity(*, obligation: Obligation, activity: Activity, by) -> Obligation:
    """Link the teacher's own record (a 心得 with enough 字, an open-class record…)."""
    obligation = _open_obligation(obligation)
    if activity.person_id != obligation.person_id:
        raise TransitionRefused("只能关联本人的工作记录")
    if activity.status not in Activity.COUNTED:
        raise TransitionRefused("这条记录已被退回，请修改后再关联")
    if activity.date < obligation.dispatch.start_date:
        raise TransitionRefused("只能关联培训开始之后的记录")
    why = rules.activity_meets(
        obligation.kind,
        activity_kind=activity.kind.code,
        chars=activity.chars,
        min_chars=obligation.min_chars,
    )
    if why:
        raise TransitionRefused(why)
    obligation.activity = activity
    return _met(obligation, by)


@transaction.atomic
def meet_with_file(*, obligation: Obligation, name: str, content: bytes, by) -> Obligation:
    """An uploaded file (反馈单, 新闻, PPT…), already content-checked by the form."""
    obligation = _open_obligation(obligation)
    if obligation.kind == rules.REFLECTION:
        raise TransitionRefused("学习心得请在“工作记录”中登记为教学反思后关联（要统计字数）")
    obligation.file.save(name, ContentFile(content), save=False)
    obligation.file_name = name
    return _met(obligation, by)


@transaction.atomic
def confirm_obligation(*, obligation: Obligation, by, note: str) -> Obligation:
    """The office ticks an obligation met (e.g. the 返校汇报 was given in a staff meeting)."""
    if not note.strip():
        raise TransitionRefused("请写明完成情况（如：11月20日教师大会上汇报）")
    obligation = _open_obligation(obligation)
    return _met(obligation, by, note.strip())


@transaction.atomic
def add_obligation(
    *, dispatch: Dispatch, by, kind: str, label: str, due_date: date, person: Person | None = None,
    min_chars: int | None = None,
) -> list[Obligation]:  # fmt: skip
    """For one teacher, or every teacher sent when ``person`` is None."""
    dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
    if dispatch.state not in (states.DISPATCHED, states.BACK, states.REPORTED):
        raise TransitionRefused(f"“{dispatch.state_label}”的派遣不能再增加后续任务")
    people = [person] if person else [m.person for m in dispatch.members.select_related("person")]
    made = [
        Obligation.objects.create(
            dispatch=dispatch,
            person=p,
            kind=kind,
            label=label or rules.LABELS[kind],
            due_date=due_date,
            min_chars=min_chars,
        )
        for p in people
    ]
    _log(
        dispatch,
        dispatch.state,
        dispatch.state,
        by,
        f"增加后续任务：{made[0].label}" if made else "",
    )
    return made


@transaction.atomic
def remove_obligation(*, obligation: Obligation, by) -> None:
    dispatch = Dispatch.objects.select_for_update().get(pk=obligation.dispatch_id)
    if dispatch.state in (states.REIMBURSABLE, states.REIMBURSED, states.CANCELLED):
        raise TransitionRefused(f"“{dispatch.state_label}”的派遣不能再删除后续任务")
    _log(
        dispatch,
        dispatch.state,
        dispatch.state,
        by,
        f"删除{obligation.person.name}的“{obligation.label}”",
    )
    obligation.delete()
    settle(dispatch, by)


@transaction.atomic
def acknowledge(*, part: NoticePart, by) -> NoticePart:
    part = NoticePart.objects.select_for_update().get(pk=part.pk)
    if part.acknowledged_at:
        raise TransitionRefused("这一联已经签收")
    part.acknowledged_by, part.acknowledged_at = by, timezone.now()
    part.save(update_fields=["acknowledged_by", "acknowledged_at"])
    return part
