from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from keshi.cover.models import Absence
from keshi.dispatch import rules, services, states
from keshi.dispatch.models import DispatchTeacher, NoticePart, Obligation, Transition
from keshi.dispatch.states import TransitionRefused
from keshi.dispatch.tests.helpers import dispatch, fields, school_year
from keshi.records.models import Activity, ActivityKind
from keshi.records.services import record_activity

pytestmark = pytest.mark.django_db


def _return_all(d, by):
    for m in d.members.all():
        services.mark_returned(member=m, by=by)
    d.refresh_from_db()
    return d


def test_direct_dispatch_brings_obligations_notice_and_absences(cast):
    d = dispatch(cast)
    assert d.state == states.DISPATCHED
    assert d.serial == "2026-派-0001"
    kinds = set(Obligation.objects.filter(dispatch=d).values_list("kind", flat=True))
    # 跨省, reimbursable, 24 学时 (= the long-training threshold): every rule fires
    assert kinds == {
        rules.REPORT, rules.REFLECTION, rules.OPEN_CLASS, rules.NEWS, rules.FEEDBACK,
        rules.EXPERIENCE, rules.MATERIALS,
    }  # fmt: skip
    parts = sorted(NoticePart.objects.filter(dispatch=d).values_list("part", flat=True))
    assert parts == [1, 2, 3, 4]
    assert Absence.objects.filter(reference=f"dispatch:{d.pk}").count() == 1
    assert [t.target for t in Transition.objects.filter(dispatch=d)] == ["requested", "dispatched"]
    assert d.history.count() >= 2


def test_serials_count_up_per_year(cast):
    a = dispatch(cast)
    b = dispatch(cast, cast.other_teacher)
    assert (a.number, b.number) == (1, 2)


def test_request_approve_and_return(cast):
    d = dispatch(cast, direct=False, by=cast.teacher)
    assert d.state == states.REQUESTED and not d.obligations.exists()
    with pytest.raises(TransitionRefused, match="退回意见"):
        services.transition(dispatch=d, target=states.RETURNED_FOR_CHANGES, by=cast.office)
    services.transition(
        dispatch=d, target=states.RETURNED_FOR_CHANGES, by=cast.office, comment="请附通知文件"
    )
    d.refresh_from_db()
    assert d.state == states.RETURNED_FOR_CHANGES and d.return_comment == "请附通知文件"
    services.transition(dispatch=d, target=states.REQUESTED, by=cast.teacher)
    services.transition(dispatch=d, target=states.DISPATCHED, by=cast.office)
    d.refresh_from_db()
    assert d.state == states.DISPATCHED and d.obligations.count() == 7


@pytest.mark.parametrize(
    "source,target",
    [
        (states.REQUESTED, states.BACK),
        (states.REQUESTED, states.REIMBURSED),
        (states.DISPATCHED, states.REIMBURSABLE),
        (states.DISPATCHED, states.REIMBURSED),
        (states.DISPATCHED, states.REQUESTED),
        (states.CANCELLED, states.DISPATCHED),
    ],
)
def test_illegal_transitions_are_refused_in_chinese(cast, source, target):
    d = dispatch(cast, direct=source != states.REQUESTED)
    if source == states.CANCELLED:
        services.transition(dispatch=d, target=states.CANCELLED, by=cast.office, comment="会议取消")
    with pytest.raises(TransitionRefused) as exc:
        services.transition(dispatch=d, target=target, by=cast.office, comment="x")
    assert "不能" in str(exc.value)


def test_every_pair_outside_the_graph_is_refused():
    for source in states.LABELS:
        for target in states.LABELS:
            if target in states.TRANSITIONS[source]:
                continue
            with pytest.raises(TransitionRefused, match="不能从"):
                states.check(source, target, states.Facts(True, True, True))


def test_bad_dates_and_double_dispatch(cast):
    school_year(cast.school)
    with pytest.raises(ValidationError) as exc:
        dispatch(cast, end_date=date(2026, 11, 1))
    assert "end_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        dispatch(cast, start_date=date(2026, 8, 1), end_date=date(2026, 8, 2))
    assert "不在本单位的任何学期内" in exc.value.message_dict["start_date"][0]
    dispatch(cast)
    with pytest.raises(ValidationError) as exc:
        dispatch(cast, start_date=date(2026, 11, 4), end_date=date(2026, 11, 5))
    assert "日期重叠" in exc.value.message_dict["teachers"][0]
    # the afternoon of the last day is taken; a training starting the next morning is fine
    dispatch(cast, start_date=date(2026, 11, 5), end_date=date(2026, 11, 5))
    with pytest.raises(ValidationError) as exc:
        dispatch(cast, cast.outsider)
    assert "不是本单位的教师" in exc.value.message_dict["teachers"][0]


def test_gate_reimbursable_only_when_every_obligation_is_met(cast, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    d = dispatch(cast, cast.teacher, cast.other_teacher, cross_province=False, hours=Decimal(8))
    assert Obligation.objects.filter(dispatch=d).count() == 4  # 返校汇报 + 反馈单, two teachers
    first = d.obligations.first()
    with pytest.raises(TransitionRefused, match="返校之后"):
        services.confirm_obligation(obligation=first, by=cast.office, note="汇报了")
    me = d.members.get(person__user=cast.teacher)
    services.mark_returned(member=me, by=cast.teacher)
    d.refresh_from_db()
    assert d.state == states.DISPATCHED  # the other teacher is still away
    _return_all_remaining(d, cast)
    assert d.state == states.BACK
    with pytest.raises(TransitionRefused, match="返校汇报"):
        services.transition(dispatch=d, target=states.REPORTED, by=cast.office)
    for ob in d.obligations.filter(kind=rules.REPORT):
        services.confirm_obligation(obligation=ob, by=cast.office, note="教师大会上汇报")
    d.refresh_from_db()
    assert d.state == states.REPORTED
    with pytest.raises(TransitionRefused, match="没汇报不报销.*学习反馈单"):
        services.transition(dispatch=d, target=states.REIMBURSABLE, by=cast.office)
    feedback = list(d.obligations.filter(kind=rules.FEEDBACK))
    services.meet_with_file(
        obligation=feedback[0], name="反馈单.pdf", content=b"%PDF-1.4", by=cast.teacher
    )
    d.refresh_from_db()
    assert d.state == states.REPORTED
    services.meet_with_file(
        obligation=feedback[1], name="反馈单.pdf", content=b"%PDF-1.4", by=cast.office
    )
    d.refresh_from_db()
    assert d.state == states.REIMBURSABLE
    services.transition(dispatch=d, target=states.REIMBURSED, by=cast.office)
    d.refresh_from_db()
    assert d.state == states.REIMBURSED
    assert all(m.reimbursed_at for m in d.members.all())


def _return_all_remaining(d, cast):
    for m in d.members.filter(returned_at__isnull=True):
        services.mark_returned(member=m, by=cast.office)
    d.refresh_from_db()


def test_reflection_must_be_a_reflection_record_with_enough_chars(cast):
    d = dispatch(cast)
    _return_all(d, cast.office)
    ob = d.obligations.get(kind=rules.REFLECTION)
    person = ob.person
    kind = ActivityKind.objects.get(org__isnull=True, code="reflection")
    short = record_activity(
        person=person, kind=kind, by=cast.teacher, on=date(2026, 11, 6), text="短" * 500
    )
    with pytest.raises(TransitionRefused, match="字数不足"):
        services.meet_with_activity(obligation=ob, activity=short, by=cast.teacher)
    other = ActivityKind.objects.get(org__isnull=True, code="meeting")
    meeting = record_activity(person=person, kind=other, by=cast.teacher, on=date(2026, 11, 6))
    with pytest.raises(TransitionRefused, match="不能用这类记录"):
        services.meet_with_activity(obligation=ob, activity=meeting, by=cast.teacher)
    with pytest.raises(TransitionRefused, match="工作记录"):
        services.meet_with_file(obligation=ob, name="x.pdf", content=b"%PDF", by=cast.teacher)
    long = record_activity(
        person=person, kind=kind, by=cast.teacher, on=date(2026, 11, 6), text="学" * 2100
    )
    services.meet_with_activity(obligation=ob, activity=long, by=cast.teacher)
    ob.refresh_from_db()
    assert ob.is_met and ob.activity == long


def test_someone_elses_record_cannot_meet_my_obligation(cast):
    d = dispatch(cast)
    _return_all(d, cast.office)
    ob = d.obligations.get(kind=rules.OPEN_CLASS)
    kind = ActivityKind.objects.get(org__isnull=True, code="open_class")
    theirs = record_activity(
        person=cast.other_teacher.person, kind=kind, by=cast.office, on=date(2026, 11, 9)
    )
    with pytest.raises(TransitionRefused, match="本人"):
        services.meet_with_activity(obligation=ob, activity=theirs, by=cast.office)


def test_training_record_is_created_once(cast):
    d = dispatch(cast)
    m = d.members.get()
    with pytest.raises(TransitionRefused, match="还没有返校"):
        services.confirm_attendance(member=m, by=cast.office)
    services.mark_returned(member=m, by=cast.teacher)
    first = services.confirm_attendance(member=m, by=cast.office)
    again = services.confirm_attendance(member=DispatchTeacher.objects.get(pk=m.pk), by=cast.office)
    assert first.pk == again.pk
    records = Activity.objects.filter(person=m.person, kind__code="training")
    assert records.count() == 1
    record = records.get()
    assert (record.quantity, record.credits, record.complete) == (Decimal(24), Decimal(2), True)


def test_cancel_clears_absences_and_removing_a_teacher_clears_theirs(cast):
    d = dispatch(cast, cast.teacher, cast.other_teacher)
    ref = f"dispatch:{d.pk}"
    assert Absence.objects.filter(reference=ref).count() == 2
    services.update_dispatch(dispatch=d, by=cast.office, teachers=[cast.teacher.person], **fields())
    assert Absence.objects.filter(reference=ref).count() == 1
    assert not d.obligations.filter(person=cast.other_teacher.person).exists()
    with pytest.raises(TransitionRefused, match="原因"):
        services.transition(dispatch=d, target=states.CANCELLED, by=cast.office)
    services.transition(dispatch=d, target=states.CANCELLED, by=cast.office, comment="主办方延期")
    assert Absence.objects.filter(reference=ref).count() == 0


def test_office_adds_and_removes_obligations(cast):
    d = dispatch(cast, cross_province=False, reimbursable=False, hours=Decimal(6))
    assert list(d.obligations.values_list("kind", flat=True)) == [rules.REPORT]
    made = services.add_obligation(
        dispatch=d, by=cast.office, kind=rules.NEWS, label="", due_date=date(2026, 11, 18)
    )
    assert made[0].label == "外出学习新闻"
    services.remove_obligation(obligation=made[0], by=cast.office)
    assert d.obligations.count() == 1


def test_acknowledge_once(cast):
    d = dispatch(cast)
    part = d.notice_parts.get(part=1)
    services.acknowledge(part=part, by=cast.teacher)
    with pytest.raises(TransitionRefused, match="已经签收"):
        services.acknowledge(part=part, by=cast.teacher)


def test_moving_the_dates_moves_absences_and_due_dates(cast):
    d = dispatch(cast, cross_province=False, reimbursable=False, hours=Decimal(6))
    assert d.obligations.get().due_date == date(2026, 11, 11)
    services.update_dispatch(
        dispatch=d,
        by=cast.office,
        teachers=[cast.teacher.person],
        **fields(start_date=date(2026, 11, 9), end_date=date(2026, 11, 10), cross_province=False,
                 reimbursable=False, hours=Decimal(6)),
    )  # fmt: skip
    assert d.obligations.get().due_date == date(2026, 11, 17)
    absence = Absence.objects.get(reference=f"dispatch:{d.pk}")
    assert absence.start_date == date(2026, 11, 9)


def test_no_return_before_the_training_starts(cast):
    d = dispatch(cast)
    member = d.members.get()
    day_before = timezone.make_aware(datetime.combine(d.start_date - timedelta(days=1), time(9)))
    with pytest.raises(TransitionRefused, match="才开始，还不能登记返校"):
        services.mark_returned(member=member, by=cast.teacher, at=day_before)
    member.refresh_from_db()
    assert member.returned_at is None
    services.mark_returned(member=member, by=cast.teacher)  # today, after the start
    member.refresh_from_db()
    assert member.returned_at is not None
