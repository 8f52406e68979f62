"""The 课题 list on the list component with its FilterSet: search, level, status, pages,
hostile parameters dropped rather than fatal."""

import pytest
from django.urls import reverse

from keshi.research.tests.helpers import project

pytestmark = pytest.mark.django_db
INDEX = reverse("research:index")


def titles(response) -> list[str]:
    return [p.title for p in response.context["page"].object_list]


@pytest.fixture
def many(cast):
    made = [project(cast, title=f"阅读教学研究{i:02d}") for i in range(21)]
    project(cast, title="作业设计研究", level="district")
    return made


def test_search_level_status_and_pages(client, cast, many):
    client.force_login(cast.office)
    first = client.get(INDEX)
    assert first.status_code == 200 and 'id="projects-table"' in first.content.decode()
    assert first.context["page"].paginator.count == 22
    assert titles(client.get(INDEX, {"q": "阅读教学研究07"})) == ["阅读教学研究07"]
    assert len(titles(client.get(INDEX, {"q": "张老师"}))) == 20  # the leader's name, page 1
    assert titles(client.get(INDEX, {"level": "district"})) == ["作业设计研究"]
    status = many[0].status
    assert client.get(INDEX, {"status": status}).context["page"].paginator.count == 22
    assert client.get(INDEX, {"q": "没有这个课题"}).context["filters"].filtered


@pytest.mark.parametrize("params", [{"level": "²"}, {"status": "\x00" * 3}, {"q": "字" * 500}])
def test_hostile_values_are_dropped(client, cast, many, params):
    client.force_login(cast.office)
    response = client.get(INDEX, params)
    assert response.status_code == 200
    assert response.context["page"].paginator.count in (0, 22)


def test_new_tech_offers_its_own_statuses(client, cast):
    client.force_login(cast.office)
    research = dict(client.get(INDEX).context["filters"].form.fields["status"].choices)
    new_tech = dict(
        client.get(INDEX, {"kind": "new_tech"}).context["filters"].form.fields["status"].choices
    )
    assert research.keys() != new_tech.keys()
