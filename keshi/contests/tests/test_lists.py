"""The 评比 list on the list component: roles, pages, search, empty state, hostile params."""

import pytest
from django.urls import reverse

from keshi.contests.models import Contest
from keshi.contests.tests.factories import contest, rubric

pytestmark = pytest.mark.django_db
INDEX = reverse("contests:index")


def titles(response) -> list[str]:
    return [c.title for c in response.context["page"].object_list]


@pytest.fixture
def many(cast):
    form = rubric(cast.school)
    made = [contest(cast, title=f"论文评比{i:02d}", rubric=form) for i in range(31)]
    contest(cast, title="优质课评比", kind=Contest.Kind.LESSON, rubric=form)
    return made


def test_paginates_and_search_narrows(client, cast, many):
    client.force_login(cast.teacher)
    first = client.get(INDEX)
    assert first.status_code == 200 and 'id="contests-table"' in first.content.decode()
    assert first.context["page"].paginator.num_pages == 2
    assert client.get(INDEX, {"page": 2}).context["page"].number == 2
    assert titles(client.get(INDEX, {"q": "论文评比07"})) == ["论文评比07"]
    assert titles(client.get(INDEX, {"kind": "lesson"})) == ["优质课评比"]
    assert client.get(INDEX, {"phase": "signup"}).context["page"].paginator.count == 32


def test_roles_see_their_org_only(client, cast, many):
    for user in (cast.teacher, cast.lead, cast.office, cast.leader):
        client.force_login(user)
        assert client.get(INDEX).context["page"].paginator.count == 32
    client.force_login(cast.outsider)
    response = client.get(INDEX, {"q": "论文"})
    assert response.status_code == 200 and titles(response) == []


def test_empty_states_say_what_to_do(client, cast):
    client.force_login(cast.office)
    body = client.get(INDEX).content.decode()
    assert "还没有评比" in body and reverse("contests:new") in body
    client.force_login(cast.teacher)
    assert "教科室发布评比后会显示在这里" in client.get(INDEX).content.decode()
    assert "没有符合条件的评比" in client.get(INDEX, {"q": "无此评比"}).content.decode()


@pytest.mark.parametrize(
    "params",
    [{"page": "x"}, {"phase": "zzz"}, {"kind": "zzz"}, {"org": "²"}, {"page": "9" * 30}],
)
def test_hostile_parameters_are_ignored(client, cast, params):
    form = rubric(cast.school)
    contest(cast, title="论文评比", rubric=form)
    client.force_login(cast.teacher)
    response = client.get(INDEX, params)
    assert response.status_code == 200 and titles(response) == ["论文评比"]
