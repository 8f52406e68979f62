"""The Django admin for requirements and exemptions is for superusers only."""

import pytest
from django.urls import reverse

from keshi.records.tests.factories import kind
from keshi.rules import services

pytestmark = pytest.mark.django_db


def test_superuser_uses_the_admin_and_office_staff_cannot(client, cast, admin_user):
    req = services.create_requirement(
        org=cast.school,
        user=None,
        name="组长听课",
        kinds=[kind("observation")],
        threshold=50,
        group_role="lead",
    )
    pages = [
        reverse("admin:rules_requirement_changelist"),
        reverse("admin:rules_requirement_add"),
        reverse("admin:rules_requirement_change", args=[req.pk]),
        reverse("admin:rules_exemption_changelist"),
        reverse("admin:rules_exemption_add"),
    ]
    client.force_login(admin_user)
    for url in pages:
        assert client.get(url).status_code == 200, url
    listing = client.get(pages[0]).content.decode()
    assert "组长每学期听课不少于50节" in listing
    assert 'class="selectfilter"' in client.get(pages[1]).content.decode()  # filter_horizontal
    cast.office.is_staff = True
    cast.office.save()
    client.force_login(cast.office)
    for url in pages:
        assert client.get(url).status_code in (302, 403), url
