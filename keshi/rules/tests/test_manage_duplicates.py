"""The duplicates check on hand-made rules: saving an exact duplicate of a live rule asks for
仍然保存 first; an overlap is saved and told in a note."""

import pytest
from django.urls import reverse

from keshi.rules.models import Requirement
from keshi.rules.tests.test_manage_views import form_data, make

pytestmark = pytest.mark.django_db


@pytest.fixture
def existing(cast):
    return make(cast, name="新教师听课（原有）", teaching_years_max=2)


def test_an_exact_duplicate_asks_before_saving(client, cast, existing):
    client.force_login(cast.office)
    url = reverse("requirements:new")
    response = client.post(url, form_data())
    assert response.status_code == 200
    body = response.content.decode()
    assert "与现有规则完全相同" in body and "新教师听课（原有）" in body and "仍然保存" in body
    assert Requirement.objects.filter(org=cast.school).count() == 1
    response = client.post(url, form_data(confirm_duplicate="1"))
    assert response.status_code == 302
    assert Requirement.objects.filter(org=cast.school).count() == 2


def test_an_overlap_is_saved_with_a_note(client, cast, existing):
    client.force_login(cast.office)
    response = client.post(reverse("requirements:new"), form_data(threshold="20"), follow=True)
    assert Requirement.objects.filter(org=cast.school, name="新教师听课").exists()
    notes = [str(m) for m in response.context["messages"]]
    assert any(
        "与现有规则“新教师听课（原有）”重叠" in n and "数量不同：现有 15 节，新规则 20 节" in n
        for n in notes
    )


def test_editing_a_rule_does_not_match_itself_but_finds_its_twin(client, cast, existing):
    client.force_login(cast.office)
    url = reverse("requirements:edit", args=[existing.pk])
    data = form_data(name=existing.name)
    assert client.post(url, data).status_code == 302  # itself is no duplicate
    twin = make(cast, name="双胞胎", teaching_years_max=2, active=False)
    response = client.post(reverse("requirements:edit", args=[twin.pk]), form_data(name="双胞胎"))
    assert response.status_code == 200 and "仍然保存" in response.content.decode()
    twin.refresh_from_db()
    assert twin.active is False  # nothing written


def test_a_disabled_rule_is_not_checked(client, cast, existing):
    client.force_login(cast.office)
    data = form_data()
    data.pop("active")
    assert client.post(reverse("requirements:new"), data).status_code == 302
