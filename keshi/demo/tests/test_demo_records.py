"""The demo's requirements and term of records, judged by the compliance engine."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from keshi.calendar import periods as P
from keshi.calendar.holidays import DayCalendar
from keshi.demo.activity import MARKER, demo_term, standings
from keshi.demo.requirements import MAIN, SECOND
from keshi.demo.services import load_demo
from keshi.demo.tests.snapshot import TODAY, counts
from keshi.org.models import Group, Membership, Mentorship, Org, Person
from keshi.org.scoping import visible
from keshi.records.models import Activity
from keshi.records.services import count_chars, is_complete
from keshi.records.tests.factories import ActivityFactory
from keshi.rules.engine import evaluate
from keshi.rules.models import Exemption, Requirement
from keshi.rules.status import Status

User = get_user_model()
GOOD = (Status.MET, Status.ON_TRACK)
BAD = (Status.BEHIND, Status.MISSED)


def person(username: str) -> Person:
    return Person.objects.get(user__username=username)


def test_requirements_of_the_plans(loaded):
    demo = Requirement.objects.filter(org__code="demo")
    assert sorted(demo.values_list("name", flat=True)) == sorted(r.name for r in MAIN)
    assert Requirement.objects.filter(org__code="demo2").count() == len(SECOND)
    new = demo.get(name="新教师听课")
    assert "教龄不足三年者每学期听课次数不得少于15次" in new.source_text
    assert (new.teaching_years_min, new.teaching_years_max, new.threshold) == (None, 2, 15)
    assert [k.code for k in new.kinds.all()] == ["observation"] and new.period == "term"
    assert demo.get(name="教师听课").teaching_years_min == 3
    lead = demo.get(name="教研组长听课")
    assert (lead.group_role, lead.measure, lead.threshold) == ("lead", "quantity", 50)
    subject_groups = Group.objects.filter(org__code="demo", kind=Group.Kind.SUBJECT)
    assert set(lead.groups.all()) == set(subject_groups)
    reflection = demo.get(name="教学反思")
    assert (reflection.period, reflection.deadline, reflection.item_min_chars) == (
        "month", "last_friday", 800
    )  # fmt: skip
    assert "不得少于800字" in reflection.source_text
    assert demo.get(name="教师博客").age_max == 40
    assert demo.get(name="135教师听课").tags.get().name == "135教师"
    assert demo.get(name="徒弟听师傅的课").mentorship == "mentee_observes_mentor"
    assert demo.get(name="师傅听徒弟的课").period == "two_weeks"
    credits = demo.get(name="培训学分")
    assert (credits.measure, credits.period, credits.threshold) == ("credits", "school_year", 73)
    assert all(r.source_text for r in Requirement.objects.all())


def planned():
    """The records planned by ``keshi.demo.records`` (the dispatch ones are filed through the
    services instead: ``test_demo_dispatch.py``)."""
    return Activity.objects.filter(data__has_key=MARKER)


def test_records_are_what_record_activity_would_write(loaded):
    term = demo_term(Org.objects.get(code="demo"), TODAY)
    rows = list(planned().select_related("kind", "person", "observed"))
    assert len(rows) > 2000
    for a in rows:
        assert a.chars == count_chars(a.text)
        assert a.complete == is_complete(a.kind, a.data)
        assert term.start <= a.date <= TODAY
        assert a.quantity > 0 and MARKER in a.data
        assert (a.observed is not None) == a.kind.has_observed
        if a.observed:
            assert a.observed != a.person and a.observed.org_id == a.person.org_id
        if a.person.user_id:
            assert a.created_by_id == a.person.user_id
    kinds = Counter(a.kind.code for a in rows)
    assert set(kinds) >= {"observation", "reflection", "paper", "training", "blog"}
    assert kinds["group_activity"] >= 100


def test_reflections_vary_in_length(loaded):
    chars = list(planned().filter(kind__code="reflection").values_list("chars", flat=True))
    short = [c for c in chars if c < 800]
    assert 10 <= len(short) < len(chars) / 4
    assert min(chars) >= 300 and max(chars) <= 1300


def test_trainings_with_and_without_their_report(loaded):
    trainings = planned().filter(kind__code="training")
    assert all(t.credits > 0 and t.quantity > 0 for t in trainings)
    missing = trainings.filter(complete=False)
    assert 5 <= missing.count() < trainings.count() / 4
    assert all(not str(t.data.get("report") or "").strip() for t in missing)


def test_papers_go_through_review(loaded):
    papers = Activity.objects.filter(kind__code="paper")
    states = Counter(papers.values_list("status", flat=True))
    assert states["submitted"] and states["approved"] and states["returned"]
    for p in papers.exclude(status="submitted"):
        assert p.reviewed_by is not None and p.reviewed_at is not None
        assert p.reviewed_by_id != p.person.user_id
        assert p.date < p.reviewed_at.date() <= TODAY
    assert all(p.review_comment for p in papers.filter(status="returned"))
    assert not any(p.review_comment for p in papers.filter(status="approved"))


def test_mentors_and_mentees_observe_each_other(loaded):
    pair = Mentorship.objects.get(mentee=person("teacher"))
    by_mentee = Activity.objects.filter(person=pair.mentee, observed=pair.mentor)
    assert by_mentee.count() >= 20
    term = demo_term(pair.org, TODAY)
    days = DayCalendar(term.start, term.end, pair.org)
    for a in by_mentee:  # the teacher records the week's lessons on its last working day
        week = P.period_containing("week", a.date).clip(term.start, term.end)
        assert a.date == max(d for d in week.days() if days.is_workday(d))
    for pair in Mentorship.objects.filter(org__code="demo"):
        assert Activity.objects.filter(person=pair.mentor, observed=pair.mentee).exists()
        assert Activity.objects.filter(person=pair.mentee, observed=pair.mentor).exists()


def test_one_teacher_on_leave(loaded):
    leave = Exemption.objects.get(person__org__code="demo")
    assert leave.reason == "产假" and leave.requirement is None
    assert not Activity.objects.filter(person=leave.person, date__gte=leave.start).exists()
    assert Activity.objects.filter(person=leave.person, date__lt=leave.start).exists()


def test_the_engine_finds_a_realistic_spread(loaded):
    found = {s.org.code: s.counts for s in standings(TODAY)}
    assert set(found) == {"demo", "demo2"}
    demo = found["demo"]
    for status in (*GOOD, *BAD, Status.EXEMPT):
        assert demo[status] > 0, status
    good, bad = sum(demo[s] for s in GOOD), sum(demo[s] for s in BAD)
    assert good > 4 * bad
    assert bad > good / 20
    second = found["demo2"]
    assert sum(second[s] for s in GOOD) > 3 * sum(second[s] for s in BAD) > 0


def test_most_people_keep_up_some_fall_behind_one_hardly_records(loaded):
    org = Org.objects.get(code="demo")
    compliance = evaluate(term=demo_term(org, TODAY), at=TODAY)
    share: dict[int, float] = {}
    for p in compliance.people:
        cells = [
            c
            for r in compliance.requirements
            for c in compliance.periods(p.pk, r.pk)
            if c.status in (*GOOD, *BAD)
        ]
        share[p.pk] = sum(c.status in GOOD for c in cells) / len(cells)
    n = len(share)
    assert sum(s >= 0.8 for s in share.values()) > n * 2 / 3
    assert sum(s == 1 for s in share.values()) >= n / 5
    assert 3 <= sum(s < 0.75 for s in share.values()) < n / 4
    assert sum(s <= 0.5 for s in share.values()) >= 1  # the one who rarely records


def test_the_teacher_login_has_something_to_do(loaded):
    teacher = person("teacher")
    compliance = evaluate(term=demo_term(teacher.org, TODAY), at=TODAY, people=[teacher])
    current = {r.name: c.status for r, c in zip(compliance.requirements, compliance.row(
        teacher.pk), strict=True) if c}  # fmt: skip
    assert set(current) >= {"新教师听课", "教学反思", "徒弟听师傅的课", "教师博客", "培训学分"}
    assert "教师听课" not in current and "教研组长听课" not in current
    assert current["徒弟听师傅的课"] == Status.BEHIND  # records the week's lessons on Fridays
    assert current["培训学分"] == Status.BEHIND
    assert sum(s in GOOD for s in current.values()) >= 3
    history = [c.status for cells in compliance.cells.values() for c in cells]
    assert Status.MISSED in history


def test_scoped_views_of_the_records(loaded):
    def seen(username: str):
        return visible(User.objects.get(username=username), Activity.objects.all())

    teacher = person("teacher")
    assert set(seen("teacher").values_list("person", flat=True)) == {teacher.pk}
    demo = Activity.objects.filter(org__code="demo")
    assert seen("office").count() == demo.count() == seen("leader").count()
    chinese = Membership.objects.filter(group__name="语文教研组").values_list("person", flat=True)
    assert set(seen("lead").values_list("person", flat=True)) <= set(chinese)
    assert seen("lead").count() < demo.count()
    assert seen("district").count() == Activity.objects.count()
    assert not seen("teacher2").filter(org__code="demo").exists()


def test_a_later_run_adds_only_the_days_since(loaded):
    before = Activity.objects.count()
    later = TODAY + timedelta(days=7)
    added = load_demo(today=later).created
    added.pop("actual", None)  # the demo hospital's figures of a month that has ended since
    added.pop("flag", None)  # the 查重 of the reflections written since
    added.pop("pointentry", None)  # the points of the papers approved since
    added.pop("weekschedule", None)  # the 每周工作安排 of the week begun since
    assert set(added) == {"activity"} and added["activity"] > 50
    assert Activity.objects.count() == before + added["activity"]
    new = Activity.objects.filter(date__gt=TODAY)
    assert new.count() == added["activity"] and not new.filter(date__gt=later).exists()
    keys = [a.data[MARKER] for a in planned()]
    assert len(keys) == len(set(keys))
    assert not load_demo(today=later).created


def test_reset_puts_demo_records_back_and_leaves_others_alone(loaded):
    before = counts()
    record = planned().filter(kind__code="reflection").first()
    title = record.title
    record.title, record.quantity = "改过的标题", Decimal(3)
    record.save()
    mine = ActivityFactory(person=person("teacher"), title="自己登记的")
    assert not load_demo(today=TODAY).updated
    assert Activity.objects.get(pk=record.pk).title == "改过的标题"
    restored = load_demo(today=TODAY, reset=True)
    assert restored.updated == Counter({"activity": 1}) and not restored.created
    assert Activity.objects.get(pk=record.pk).title == title
    assert Activity.objects.get(pk=mine.pk).title == "自己登记的"
    record.delete()
    assert load_demo(today=TODAY).created == Counter({"activity": 1})
    assert Activity.objects.count() == before["Activity"] + 1
