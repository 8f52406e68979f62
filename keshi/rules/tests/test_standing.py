"""The compliance cache answers what the engine answers, and forgets on every committed write."""

from datetime import date

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from keshi.org.models import Person
from keshi.records.models import Activity
from keshi.records.services import record_activity
from keshi.records.tests.factories import kind
from keshi.rules import engine, standing
from keshi.rules.models import Exemption, Requirement
from keshi.rules.services import update_requirement
from keshi.rules.status import Status
from keshi.rules.tests.factories import RequirementFactory
from keshi.web.tests.pages import get

pytestmark = pytest.mark.django_db
AT = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def plan(cast, term):
    RequirementFactory(org=cast.school, name="听课", threshold=15, kinds=[kind("observation")])
    RequirementFactory(
        org=cast.school, name="每月反思", threshold=1, period=Requirement.Period.MONTH,
        kinds=[kind("reflection")],
    )  # fmt: skip
    standing.publish()  # the set-up's transaction commits


def read(cast, term, *, history=False, through=standing.evaluate):
    people = Person.objects.filter(org=cast.school, active=True).order_by("pk")
    reqs = Requirement.objects.filter(org=cast.school, active=True)
    return through(term=term, at=AT, people=people, requirements=reqs, history=history)


def cells(result) -> dict:
    return {
        key: [(c.period, c.value, c.target, c.status) for c in v] for key, v in result.cells.items()
    }


def observed(result, person) -> int:
    rid = next(r.pk for r in result.requirements if r.name == "听课")
    return result.current(person.pk, rid).value


def observe(person, on=date(2026, 11, 2)):
    return record_activity(person=person, kind=kind("observation"), by=person.user, on=on)


@pytest.mark.parametrize("history", [False, True])
def test_a_cached_answer_is_the_engines_answer(cast, term, history):
    observe(cast.teacher.person)
    standing.publish()
    expected = cells(read(cast, term, history=history, through=engine.evaluate))
    first = read(cast, term, history=history)
    again = read(cast, term, history=history)
    assert cells(first) == cells(again) == expected
    assert [r.name for r in again.requirements] == ["听课", "每月反思"]


def test_the_cache_serves_until_told_bulk_writes_happened(cast, term):
    me = cast.teacher.person
    assert observed(read(cast, term), me) == 0
    Activity.objects.bulk_create(  # sends no signal: the cached answer stands
        [Activity(person=me, org=me.org, kind=kind("observation"), date=date(2026, 11, 2))]
    )
    assert observed(read(cast, term), me) == 0
    standing.forget_all()
    assert observed(read(cast, term), me) == 1


def test_a_committed_record_renews_only_its_person(cast, term, django_capture_on_commit_callbacks):
    me, colleague = cast.teacher.person, cast.other_teacher.person
    read(cast, term)
    tokens = {p: cache.get(standing.PERSON_KEY.format(p.pk)) for p in (me, colleague)}
    with django_capture_on_commit_callbacks(execute=True):
        observe(me)
    assert cache.get(standing.PERSON_KEY.format(me.pk)) != tokens[me]
    assert cache.get(standing.PERSON_KEY.format(colleague.pk)) == tokens[colleague]
    assert observed(read(cast, term), me) == 1


def test_the_writer_sees_its_own_uncommitted_write(cast, term):
    me = cast.teacher.person
    read(cast, term)
    observe(me)  # inside the test's transaction: no commit yet
    assert observed(read(cast, term), me) == 1


def test_shared_and_personal_facts_renew_the_answer(cast, term, django_capture_on_commit_callbacks):
    me = cast.teacher.person
    rid = Requirement.objects.get(name="听课").pk
    assert read(cast, term).current(me.pk, rid).target == 15
    with django_capture_on_commit_callbacks(execute=True):
        update_requirement(
            requirement=Requirement.objects.get(pk=rid), user=cast.office, threshold=10
        )
    assert read(cast, term).current(me.pk, rid).target == 10
    with django_capture_on_commit_callbacks(execute=True):
        Exemption.objects.create(
            person=me,
            requirement_id=rid,
            start=date(2026, 9, 1),
            end=date(2027, 1, 22),
            reason="产假",
        )
    assert read(cast, term).current(me.pk, rid).status is Status.EXEMPT


def test_a_cache_that_is_down_falls_back_to_the_engine(cast, term):
    observe(cast.teacher.person)
    expected = cells(read(cast, term, through=engine.evaluate))
    down = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": "redis://127.0.0.1:1/0"}}  # fmt: skip
    with override_settings(CACHES=down):
        standing.publish()  # renewing fails: logged, not raised
        assert cells(read(cast, term)) == expected


def test_my_tasks_page_moves_after_a_record(client, cast, term, django_capture_on_commit_callbacks):
    url = reverse("rules:my_tasks")
    first = get(client, cast.office, url, person=cast.teacher.person.pk, at=AT.isoformat())
    assert first.context["tasks"].items[0].cell.value == 0
    with django_capture_on_commit_callbacks(execute=True):
        observe(cast.teacher.person)
    again = get(client, cast.office, url, person=cast.teacher.person.pk, at=AT.isoformat())
    assert again.context["tasks"].items[0].cell.value == 1
