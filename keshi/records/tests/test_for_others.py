"""Office staff and group leads record for others, one at a time or many at once."""

import pytest
from django.urls import reverse

from keshi.org.tests.factories import PersonFactory
from keshi.records.models import Activity

CREATE = reverse("records:create")
BULK = reverse("records:bulk")


def test_lead_picks_a_member(client, cast):
    client.force_login(cast.lead)
    form = client.get(CREATE, {"kind": "meeting"}).context["form"]
    assert {p.name for p in form.fields["person"].queryset} == {"张老师", "李老师", "王组长"}
    r = client.post(
        CREATE,
        {
            "kind": "meeting",
            "person": cast.teacher.person.pk,
            "date": "2026-03-02",
            "quantity": "1",
        },
    )
    assert r.status_code == 302
    a = Activity.objects.get()
    assert a.person == cast.teacher.person and a.created_by == cast.lead


def test_lead_cannot_record_for_a_non_member(client, cast):
    stranger = PersonFactory(org=cast.school, name="孙老师")
    client.force_login(cast.lead)
    r = client.post(
        CREATE, {"kind": "meeting", "person": stranger.pk, "date": "2026-03-02", "quantity": "1"}
    )
    assert r.status_code == 200 and "person" in r.context["form"].errors
    assert not Activity.objects.exists()


def test_office_records_an_observation_for_a_teacher(client, cast):
    client.force_login(cast.office)
    form = client.get(CREATE, {"kind": "observation"}).context["form"]
    assert "赵老师" not in {p.name for p in form.fields["person"].queryset}
    html = client.get(
        reverse("records:directory"), {"q": "老师", "person": cast.teacher.person.pk}
    ).content.decode()
    assert "李老师" in html and "张老师" not in html
    r = client.post(
        CREATE,
        {
            "kind": "observation",
            "person": cast.teacher.person.pk,
            "observed": cast.other_teacher.person.pk,
            "date": "2026-03-02",
            "quantity": "1",
        },
    )
    assert r.status_code == 302
    assert Activity.objects.get().observed == cast.other_teacher.person


def test_bulk_records_one_per_person(client, cast):
    client.force_login(cast.lead)
    r = client.get(BULK, {"kind": "group_activity"})
    assert "选中语文组" in r.content.decode()
    people = [cast.teacher.person.pk, cast.other_teacher.person.pk, cast.lead.person.pk]
    r = client.post(
        BULK,
        {
            "kind": "group_activity",
            "people": people,
            "date": "2026-03-04",
            "quantity": "1",
            "title": "集体备课：第三单元",
            "f_place": "302",
        },
    )
    assert r.status_code == 302
    rows = Activity.objects.all()
    assert sorted(a.person_id for a in rows) == sorted(people)
    assert {a.created_by for a in rows} == {cast.lead}
    assert {a.title for a in rows} == {"集体备课：第三单元"}
    assert {a.data["place"] for a in rows} == {"302"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"people": []}, "请至少选择一位教师"),
        ({"date": ""}, "这个字段是必填项"),
        ({"quantity": "-1"}, "数量必须大于0"),
    ],
)
def test_bulk_bad_input_writes_nothing(client, cast, data, message):
    client.force_login(cast.lead)
    base = {
        "kind": "group_activity",
        "people": [cast.teacher.person.pk],
        "date": "2026-03-04",
        "quantity": "1",
    }
    r = client.post(BULK, {**base, **data})
    assert r.status_code == 200 and message in r.content.decode()
    assert not Activity.objects.exists()


def test_bulk_refuses_a_person_out_of_reach_and_writes_nothing(client, cast):
    client.force_login(cast.lead)
    r = client.post(
        BULK,
        {
            "kind": "meeting",
            "date": "2026-03-04",
            "quantity": "1",
            "people": [cast.teacher.person.pk, cast.outsider.person.pk],
        },
    )
    assert r.status_code == 200 and "people" in r.context["form"].errors
    assert not Activity.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "leader", "district", "outsider"])
def test_bulk_is_for_leads_and_office(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(BULK, {"kind": "meeting"}).status_code == 403
