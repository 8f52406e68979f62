"""The demo's training dispatches (``keshi.demo.dispatch``) and their covers
(``keshi.demo.cover``): every state, the 跨省 trip's 心得 and 汇报课 filed through the services,
the blocked reimbursement, covers without clashes, and room left for new dispatches."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from keshi.calendar.selectors import current_term
from keshi.cover import selectors as cover_selectors
from keshi.cover.models import Absence, Cover
from keshi.demo import cover as demo_cover
from keshi.demo import dispatch as demo_dispatch
from keshi.demo.activity import MARKER
from keshi.demo.tests.snapshot import TODAY
from keshi.dispatch import conf, rules, states
from keshi.dispatch.models import Dispatch, DispatchTeacher, Obligation
from keshi.dispatch.selectors import reimbursement_rows
from keshi.org.models import Org, Person
from keshi.records.models import Activity
from keshi.records.services import count_chars

User = get_user_model()
MONDAY = TODAY - timedelta(days=TODAY.weekday())
BACK_OR_LATER = (states.BACK, states.REPORTED, states.REIMBURSABLE, states.REIMBURSED)


def trip() -> Dispatch:
    return Dispatch.objects.get(title="长三角语文核心素养教学研讨会")


def teacher() -> Person:
    return Person.objects.get(user__username="teacher")


def test_a_dispatch_in_every_state_past_or_ahead(loaded):
    org = Org.objects.get(code="demo")
    term = current_term(org, TODAY)
    found = {d.state: d for d in Dispatch.objects.filter(org=org)}
    assert set(found) == set(states.LABELS)
    assert Dispatch.objects.filter(org=org).count() == len(demo_dispatch.TRIPS)
    for d in found.values():
        assert term.start <= d.start_date <= d.end_date <= term.end
    for state in BACK_OR_LATER:
        assert found[state].end_date < TODAY, state
    for state in (states.DISPATCHED, states.REQUESTED, states.RETURNED_FOR_CHANGES):
        assert found[state].start_date > TODAY, state
    logins = set(Person.objects.exclude(user=None).values_list("pk", flat=True))
    sent = set(
        DispatchTeacher.objects.filter(dispatch__org=org).values_list("person_id", flat=True)
    )
    assert sent & logins == {teacher().pk}
    assert found[states.RETURNED_FOR_CHANGES].return_comment


def test_the_reflection_is_filed_counted_and_linked(loaded):
    d, me = trip(), teacher()
    assert d.cross_province and d.state == states.REPORTED
    ob = Obligation.objects.get(dispatch=d, person=me, kind=rules.REFLECTION)
    heart = ob.activity
    assert ob.met_at and heart is not None and ob.min_chars == conf.policy().reflection_chars
    assert heart.kind.code == "reflection" and heart.person == me
    assert heart.chars == count_chars(heart.text) >= 2000 == ob.min_chars
    assert heart.status in Activity.COUNTED and heart.created_by == me.user
    assert d.start_date <= heart.date <= TODAY and MARKER not in heart.data
    assert "核心素养" in heart.text and "lorem" not in heart.text.lower()
    lesson = Obligation.objects.get(dispatch=d, person=me, kind=rules.OPEN_CLASS).activity
    assert lesson.kind.code == "open_class" and lesson.data["class_type"] == "汇报课"
    assert lesson.created_by == me.user and d.start_date <= lesson.date <= TODAY


def test_the_teacher_is_cleared_the_colleague_blocks_the_reimbursement(loaded):
    d, me = trip(), teacher()
    assert not Obligation.objects.filter(dispatch=d, person=me, met_at=None).exists()
    colleague = d.members.exclude(person=me).get().person
    assert colleague.user is None and colleague.subject == me.subject
    rows = {r.person: r for r in reimbursement_rows(Dispatch.objects.all()) if r.dispatch == d}
    assert rows[me].cleared and not rows[colleague].cleared
    assert "学习心得（不少于2000字）" in rows[colleague].blocked_by
    assert "返校汇报" not in rows[colleague].blocked_by  # reported: the dispatch is 已汇报


def test_the_reimbursement_page_shows_who_blocks_and_why(loaded, client):
    client.force_login(User.objects.get(username="office"))
    page = client.get(reverse("dispatch:reimbursement")).content.decode()
    colleague = trip().members.exclude(person=teacher()).get().person
    blocked = client.get(reverse("dispatch:reimbursement") + "?show=blocked").content.decode()
    cleared = client.get(reverse("dispatch:reimbursement") + "?show=cleared").content.decode()
    assert colleague.name in blocked and "学习心得（不少于2000字）" in blocked
    assert teacher().name in cleared and colleague.name not in cleared
    back = Dispatch.objects.get(state=states.BACK)
    assert back.title in blocked and "返校汇报" in blocked
    assert Dispatch.objects.get(state=states.REIMBURSABLE).title in cleared
    assert Dispatch.objects.get(state=states.REIMBURSED).title not in page  # done with


def test_attendance_confirmed_for_the_finished_ones(loaded):
    """可报销 and 已报销: confirmed; 已返校 and 已汇报 (the 跨省 trip): the office's click to do."""
    for m in DispatchTeacher.objects.select_related("dispatch", "training_record"):
        d = m.dispatch
        if d.state in (states.REIMBURSABLE, states.REIMBURSED):
            record = m.training_record
            assert record.kind.code == "training" and record.quantity == d.hours
            assert record.credits == d.credits and record.complete and record.person == m.person
        else:
            assert m.training_record is None, d.state
        assert bool(m.returned_at) == (d.state in BACK_OR_LATER), d.state


def test_only_the_dispatch_records_are_unplanned(loaded):
    """The exception to the planned record set (``test_demo_records``): records filed for the
    dispatches, each linked to an obligation or a confirmed attendance — besides those the
    services of 集体备课, open classes, 课题 and 试卷分析 give (``keshi.demo.work``)."""
    linked = set(Obligation.objects.exclude(activity=None).values_list("activity", flat=True))
    attended = set(
        DispatchTeacher.objects.exclude(training_record=None).values_list(
            "training_record", flat=True
        )
    )
    unplanned = set(
        Activity.objects.exclude(data__has_key=MARKER)
        .exclude(data__has_key="session")
        .exclude(data__has_key="open_class")
        .exclude(data__has_key="research_stage")
        .exclude(data__has_key="exam")  # 试卷分析 (keshi.demo.exams)
        .exclude(org__code="hospital")  # its staff's own 学习心得 (keshi.demo.hospital_work)
        .values_list("pk", flat=True)
    )
    assert unplanned == linked | attended and len(linked) == 2 and len(attended) == 2
    for a in Activity.objects.filter(pk__in=unplanned):
        assert a.chars == count_chars(a.text) and a.date <= TODAY


def test_covers_of_the_dispatches(loaded):
    demo_cover.build(TODAY)
    ahead = Dispatch.objects.get(org__code="demo", state=states.DISPATCHED)
    active = Dispatch.objects.filter(org__code="demo", state__in=states.ACTIVE)
    absences = Absence.objects.filter(reference__in=[f"dispatch:{d.pk}" for d in active])
    assert {a.reference for a in absences} == {f"dispatch:{d.pk}" for d in active}
    assert not Absence.objects.filter(
        reference__in=[
            f"dispatch:{d.pk}" for d in Dispatch.objects.exclude(state__in=states.ACTIVE)
        ]
    ).exists()
    kinds = set()
    for a in absences:
        kind = cover_selectors.cover_kind(a)
        kinds.add(kind)
        assert (kind == Cover.Kind.SUBSTITUTE) == (cover_selectors.days_away(a) >= 3)
        needs = cover_selectors.lessons_to_cover(a)
        assert needs, a
        open_ = [n for n in needs if n.cover is None]
        if a.reference == f"dispatch:{ahead.pk}":
            assert len(open_) == 1  # work left for the 教务处
        else:
            assert not open_ and all(n.cover.status == Cover.Status.CONFIRMED for n in needs)
    assert kinds == {Cover.Kind.SUBSTITUTE, Cover.Kind.SWAP}
    assert not Cover.objects.exclude(warnings="").exists()  # arranged without clashes
    before = Cover.objects.count()
    demo_cover.build(TODAY)
    assert Cover.objects.count() == before


def test_room_left_for_new_dispatches(loaded):
    """The office and group-lead logins are neither away nor covering, and from the Monday
    after next to the end of the term nobody is away (browser tests dispatch there)."""
    demo_cover.build(TODAY)
    term = current_term(Org.objects.get(code="demo"), TODAY)
    others = Person.objects.exclude(user=None).exclude(user__username="teacher")
    assert not Absence.objects.filter(person__in=others).exists()
    assert not Cover.objects.filter(cover_person__in=others).exists()
    free_from = MONDAY + timedelta(weeks=2)
    assert not Absence.objects.filter(end_date__gte=free_from, start_date__lte=term.end).exists()
    assert not Cover.objects.filter(date__gte=free_from).exists()


def test_acts_are_dated_on_days_of_the_term(loaded):
    """The services stamp acts with the time of the run; the demo dates them plausibly."""
    for d in Dispatch.objects.filter(state__in=BACK_OR_LATER):
        stamps = [timezone.localdate(t.at) for t in d.transitions.all()]
        assert stamps == sorted(stamps) and stamps[0] < d.start_date, d.title
        assert all(d.end_date <= s <= TODAY for s in stamps[2:]), d.title
        for ob in d.obligations.exclude(met_at=None):
            assert d.end_date <= timezone.localdate(ob.met_at) <= TODAY
            if ob.activity:
                assert timezone.localdate(ob.met_at) == ob.activity.date
        assert not d.notice_parts.filter(acknowledged_at=None).exists()
        for m in d.members.all():
            assert timezone.localdate(m.returned_at) == d.end_date
