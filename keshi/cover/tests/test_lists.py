"""外出/请假 on the list component: roles, pages, search, empty states, hostile params."""

from datetime import date

import pytest
from django.urls import reverse

from keshi.cover import services
from keshi.cover.models import Absence

pytestmark = pytest.mark.django_db
URL = reverse("cover:absences")
DAY = date(2025, 11, 3)


def titles(response) -> list[str]:
    return [a.title for a in response.context["page"].object_list]


@pytest.fixture
def many(cast, people):
    for i in range(31):
        services.set_absences(
            person=people["teacher"],
            reference=f"dispatch:{100 + i}",
            title=f"外出培训{i:02d}",
            spans=[(DAY, "am", DAY, "pm")],
            by=None,
        )
    services.set_absences(
        person=people["outsider"],
        reference="dispatch:9",
        title="外校培训",
        spans=[(DAY, "am", DAY, "pm")],
        by=None,
    )


def test_paginates_and_search_narrows(client, cast, many):
    client.force_login(cast.office)
    first = client.get(URL)
    assert first.status_code == 200 and 'id="absences-table"' in first.content.decode()
    assert first.context["page"].paginator.count == 31
    assert first.context["page"].paginator.num_pages == 2
    assert titles(client.get(URL, {"q": "外出培训07"})) == ["外出培训07"]
    assert titles(client.get(URL, {"reference": "dispatch:105"})) == ["外出培训05"]
    kinds = {a.kind for a in client.get(URL, {"kind": "training"}).context["page"].object_list}
    assert kinds <= {Absence.Kind.TRAINING}


def test_roles_keep_their_scope(client, cast, many):
    client.force_login(cast.teacher)
    assert client.get(URL).context["page"].paginator.count == 31
    client.force_login(cast.other_teacher)
    assert titles(client.get(URL, {"q": "外出"})) == []
    client.force_login(cast.office)
    assert titles(client.get(URL, {"q": "外校"})) == []


def test_empty_states(client, cast, people):
    client.force_login(cast.office)
    body = client.get(URL).content.decode()
    assert "还没有外出/请假记录" in body and reverse("cover:absence_new") in body
    assert "没有符合条件的外出/请假" in client.get(URL, {"q": "无"}).content.decode()


@pytest.mark.parametrize(
    "params", [{"page": "x"}, {"kind": "zzz"}, {"org": "²"}, {"page": "9" * 30}]
)
def test_hostile_parameters_are_ignored(client, cast, many, params):
    client.force_login(cast.office)
    response = client.get(URL, params)
    assert response.status_code == 200 and response.context["page"].paginator.count == 31
