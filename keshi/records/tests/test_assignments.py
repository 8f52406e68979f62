"""听课任务: 我的听课任务 and one task's page, 去登记 with the teacher filled in, completion by
the observation (and its undoing), the reminders' selector and the API — with the cast.

李老师 (``other_teacher``) is to observe 张老师 (``teacher``); both are in 王组长's 语文组."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from keshi.accounts.models import ApiToken
from keshi.records import assignment_selectors, assignment_services, services
from keshi.records.assignment_services import Pair
from keshi.records.models import ObservationAssignment
from keshi.records.tests.factories import kind

API = "/api/v1/observation-assignments"


@pytest.fixture
def task(cast) -> ObservationAssignment:
    today = timezone.localdate()
    (made,) = assignment_services.assign(
        org=cast.school,
        by=cast.office,
        pairs=[Pair(cast.other_teacher.person, cast.teacher.person, "周三第2节 初二(3)班 语文")],
        start=today,
        due=today + timedelta(days=4),
    )
    return made


def observe(cast, on=None, observed=None):
    li = cast.other_teacher.person
    return services.record_activity(
        person=li,
        kind=kind("observation"),
        by=cast.other_teacher,
        on=on or timezone.localdate(),
        observed=observed or cast.teacher.person,
        data={"topic": "背影"},
    )


def test_the_observer_lists_their_tasks_with_a_link_to_record(client, cast, task):
    client.force_login(cast.other_teacher)
    r = client.get(reverse("records:assignments"))
    body = r.content.decode()
    assert "推门听课·听张老师的课" in body and "待完成" in body and "周三第2节" in body
    record_url = r.context["rows"][0][1]
    assert f"observed={cast.teacher.person.pk}" in record_url and "kind=observation" in record_url
    form = client.get(record_url)
    assert form.status_code == 200
    assert form.context["observed_person"] == cast.teacher.person
    assert "已选：" in form.content.decode() and "张老师" in form.content.decode()
    for other in (cast.teacher, cast.lead, cast.outsider):
        client.force_login(other)
        r = client.get(reverse("records:assignments"))
        assert r.context["rows"] == [] and "暂时没有听课任务" in r.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_teacher", 200), ("lead", 200), ("office", 200), ("leader", 200), ("district", 200),
     ("teacher", 404), ("outsider", 404)],
)  # fmt: skip
def test_a_task_page_is_for_its_observer_their_lead_and_the_office(client, cast, task, who, status):
    client.force_login(getattr(cast, who))
    r = client.get(reverse("records:assignment", args=[task.pk]))
    assert r.status_code == status
    if status == 200:
        assert "张老师" in r.content.decode()
        assert ("去登记听课记录" in r.content.decode()) == (who == "other_teacher")


def test_recording_the_observation_does_the_task_and_deleting_it_reopens(client, cast, task):
    observe(cast, observed=cast.lead.person)  # another teacher's lesson: not this task
    task.refresh_from_db()
    assert not task.done
    activity = observe(cast)
    task.refresh_from_db()
    assert task.done and task.activity == activity
    client.force_login(cast.other_teacher)
    r = client.get(reverse("records:assignments"))
    assert "已完成" in r.content.decode() and "查看听课记录" in r.content.decode()
    services.update_activity(
        activity=activity, by=cast.other_teacher, on=activity.date, observed=cast.lead.person
    )
    task.refresh_from_db()
    assert not task.done and task.activity is None
    services.update_activity(
        activity=activity, by=cast.other_teacher, on=activity.date, observed=cast.teacher.person
    )
    task.refresh_from_db()
    assert task.done
    services.delete_activity(activity=activity, by=cast.other_teacher)
    task.refresh_from_db()
    assert not task.done and task.activity is None


def test_marking_done_links_an_observation_recorded_earlier(client, cast):
    activity = observe(cast)
    today = timezone.localdate()
    # an assignment made without a draw, after the record: created done already
    (first,) = assignment_services.assign(
        org=cast.school,
        by=cast.office,
        pairs=[Pair(cast.other_teacher.person, cast.teacher.person)],
        start=today,
        due=today,
    )
    assert first.activity == activity
    # a second one finds nothing unused: the observer is offered no 核对, and 核对 fails
    second = ObservationAssignment.objects.create(
        org=cast.school,
        observer=cast.other_teacher.person,
        teacher=cast.teacher.person,
        start=today,
        due=today,
    )
    client.force_login(cast.other_teacher)
    page = client.get(reverse("records:assignment", args=[second.pk]))
    assert page.context["earlier"] is None  # the one record is the first task's …
    r = client.post(reverse("records:assignment_done", args=[second.pk]), follow=True)
    second.refresh_from_db()
    assert not second.done and "还没有您听这位教师的课的记录" in r.content.decode()
    ObservationAssignment.objects.filter(pk=first.pk).delete()  # … until it is free
    page = client.get(reverse("records:assignment", args=[second.pk]))
    assert page.context["earlier"] == activity and "标记完成" in page.content.decode()
    client.post(reverse("records:assignment_done", args=[second.pk]))
    second.refresh_from_db()
    assert second.done and second.activity == activity


@pytest.mark.parametrize(("who", "status"), [("office", 403), ("lead", 403), ("teacher", 404)])
def test_only_the_observer_marks_done(client, cast, task, who, status):
    observe(cast, on=timezone.localdate())
    ObservationAssignment.objects.filter(pk=task.pk).update(activity=None, done_at=None)
    client.force_login(getattr(cast, who))
    assert client.post(reverse("records:assignment_done", args=[task.pk])).status_code == status
    task.refresh_from_db()
    assert not task.done


def test_open_assignments_by_person_for_the_reminders(cast, task):
    lead = cast.lead.person
    today = timezone.localdate()
    assignment_services.assign(
        org=cast.school,
        by=None,
        pairs=[Pair(lead, cast.teacher.person)],
        start=today - timedelta(days=9),
        due=today - timedelta(days=5),
    )
    found = assignment_selectors.open_assignments_by_person(cast.school)
    assert found == {
        cast.other_teacher.person.pk: [("推门听课·听张老师的课", task.due)],
        lead.pk: [("推门听课·听张老师的课", today - timedelta(days=5))],  # overdue stays
    }
    observe(cast)
    assert cast.other_teacher.person.pk not in assignment_selectors.open_assignments_by_person(
        cast.school
    )
    assert assignment_selectors.open_assignments_by_person(cast.other_school) == {}


def test_nobody_observes_themself_and_windows_are_checked(cast):
    from django.core.exceptions import ValidationError

    today = timezone.localdate()
    me = cast.teacher.person
    assert (
        assignment_services.assign(
            org=cast.school, by=None, pairs=[Pair(me, me)], start=today, due=today
        )
        == []
    )
    with pytest.raises(ValidationError):
        assignment_services.assign(
            org=cast.school, by=None, pairs=[Pair(me, cast.lead.person)], start=today,
            due=today - timedelta(days=1),
        )  # fmt: skip
    with pytest.raises(ValidationError):
        assignment_services.assign(
            org=cast.school, by=None, pairs=[Pair(cast.outsider.person, me)], start=today,
            due=today,
        )  # fmt: skip


# ---- API ------------------------------------------------------------------------------------


def api(client, user, url, **params):
    headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
    return client.get(url, params, headers=headers)


def test_api_lists_the_callers_own_tasks(client, cast, task):
    r = api(client, cast.other_teacher, API)
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == task.pk and item["teacher"] == "张老师" and item["state"] == "open"
    assert item["label"] == "推门听课·听张老师的课" and item["lesson"].startswith("周三")
    assert api(client, cast.other_teacher, API, state="done").json()["count"] == 0
    observe(cast)
    done = api(client, cast.other_teacher, API, state="done").json()["items"]
    assert [i["state"] for i in done] == ["done"] and done[0]["activity_id"]


@pytest.mark.parametrize("who", ["teacher", "lead", "office", "outsider"])
def test_api_shows_nobody_elses_tasks(client, cast, task, who):
    user = getattr(cast, who)
    assert api(client, user, API).json()["count"] == 0
    r = api(client, user, f"{API}/{task.pk}")
    assert r.status_code == 404
    assert api(client, cast.other_teacher, f"{API}/{task.pk}").status_code == 200


def test_api_needs_a_token(client, task):
    assert client.get(API).status_code == 401
    assert client.get(f"{API}/{task.pk}").status_code == 401
