import pytest
from django.urls import reverse

from keshi.org.tests.factories import OrgFactory, PersonFactory
from keshi.web.tests.pages import get

URL = reverse("org:tree")


def tree_names(response) -> list[str]:
    out = []

    def walk(nodes, depth):
        for n in nodes:
            out.append("  " * depth + n.counts.org.name)
            walk(n.children, depth + 1)

    walk(response.context["roots"], 0)
    return out


@pytest.mark.parametrize("who", ["teacher", "lead", "outsider"])
def test_teachers_and_leads_get_403(client, cast, who):
    assert get(client, getattr(cast, who), URL).status_code == 403


@pytest.mark.parametrize("who", ["office", "leader"])
def test_school_roles_see_their_school_only(client, cast, who):
    r = get(client, getattr(cast, who), URL)
    assert r.status_code == 200
    assert tree_names(r) == ["示范中学"]
    assert "另一所中学" not in r.content.decode()


def test_district_sees_the_tree_with_counts(client, cast):
    PersonFactory(org=cast.other_school, name="外校二", active=False)
    r = get(client, cast.district, URL)
    assert tree_names(r) == ["示范区教科室", "  示范中学", "  另一所中学"]
    counts = {n.counts.org.name: n.counts for n in r.context["roots"][0].children}
    assert (counts["示范中学"].active, counts["示范中学"].groups) == (3, 1)
    assert (counts["另一所中学"].people, counts["另一所中学"].active) == (2, 1)


def test_admin_sees_every_org(client, cast, admin_user):
    OrgFactory(code="hospital", name="区人民医院")
    r = get(client, admin_user, URL)
    assert "区人民医院" in tree_names(r)


def test_hostile_org_name_escaped(client, cast):
    cast.school.name = "<script>alert(1)</script>"
    cast.school.save()
    body = get(client, cast.district, URL).content.decode()
    assert "<script>alert(1)" not in body
