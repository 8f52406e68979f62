"""The research API with the cast: the same visibility as the pages — a draft (申报) only for its
people and staff, accepted projects for the whole org without funding or documents, 404 for
other schools."""

import pytest

from keshi.accounts.models import ApiToken
from keshi.research.tests.helpers import advance, project

pytestmark = pytest.mark.django_db


def get(client, user, url, **params):
    headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
    return client.get(url, params, headers=headers)


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {i["title"] for i in response.json()["items"]}


@pytest.fixture
def projects(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = project(cast, title="申报中的课题", funding=1000)
    accepted = project(cast, title="已立项课题", funding=5000, status_public=True)
    return draft, accepted


def test_list_by_role(client, cast, projects):
    url = "/api/v1/research/projects"
    both = {"申报中的课题", "已立项课题"}
    assert titles(get(client, cast.teacher, url)) == both  # leader of both
    assert titles(get(client, cast.office, url)) == both
    assert titles(get(client, cast.district, url)) == both
    # a colleague outside the project sees the accepted one only
    from keshi.org.tests.factories import PersonFactory, UserFactory

    colleague = UserFactory(username="colleague")
    PersonFactory(org=cast.school, name="周老师", user=colleague)
    assert titles(get(client, colleague, url)) == {"已立项课题"}
    assert titles(get(client, cast.outsider, url)) == set()
    assert titles(get(client, cast.teacher, url, status="declared")) == {"申报中的课题"}
    assert get(client, cast.teacher, url, level="galaxy").status_code == 422


def test_detail_hides_funding_and_documents_from_non_participants(client, cast, projects):
    draft, accepted = projects
    from keshi.org.tests.factories import PersonFactory, UserFactory

    colleague = UserFactory(username="colleague")
    PersonFactory(org=cast.school, name="周老师", user=colleague)
    mine = get(client, cast.teacher, f"/api/v1/research/projects/{accepted.pk}").json()
    assert float(mine["funding"]) == 5000
    assert mine["stages"][0]["documents"][0]["label"] == "申报书"
    assert {m["person"]["name"] for m in mine["members"]} == {"张老师", "李老师"}
    theirs = get(client, colleague, f"/api/v1/research/projects/{accepted.pk}").json()
    assert theirs["funding"] is None
    assert all(s["documents"] == [] for s in theirs["stages"])
    for user, pk in ((colleague, draft.pk), (cast.outsider, accepted.pk)):
        r = get(client, user, f"/api/v1/research/projects/{pk}")
        assert r.status_code == 404 and r.json()["detail"] == "未找到。"


def test_stages_in_order(client, cast, projects):
    _, accepted = projects
    advance(accepted, cast.office)
    body = get(client, cast.office, f"/api/v1/research/projects/{accepted.pk}").json()
    assert [(s["stage"], s["decision"]) for s in body["stages"]] == [
        ("declared", "passed"),
        ("approved", "passed"),
        ("opened", "pending"),
    ]
    assert body["status"] == "opened"
