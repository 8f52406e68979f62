"""The list component: ListFilterSet drops what it cannot use, {% filter_bar %} renders any
filter form, list pages show one card per row on a phone (the CSS hook) and keep their URLs."""

import pytest
from django.http import QueryDict
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from keshi.org.models import Org
from keshi.org.selectors import readable_orgs
from keshi.records.tests.factories import kind
from keshi.rules import selectors_manage
from keshi.rules.filters import RequirementFilter
from keshi.rules.models import Requirement
from keshi.rules.tests.factories import RequirementFactory

pytestmark = pytest.mark.django_db


def _filter(cast, query: str) -> RequirementFilter:
    user = cast.office
    return RequirementFilter(
        QueryDict(query),
        queryset=selectors_manage.requirements_list(user),
        orgs=readable_orgs(user),
        kinds=selectors_manage.kinds_for(cast.school),
    )


@pytest.fixture
def rules(cast):
    reading = RequirementFactory(org=cast.school, name="甲项要求", kinds=[kind("reflection")])
    weekly = RequirementFactory(
        org=cast.school, name="每周听课", period=Requirement.Period.WEEK, active=False
    )
    return reading, weekly


@pytest.mark.parametrize("bad", ["²", "9" * 30, "-1", "abc", "0"])
def test_an_unusable_id_is_dropped_not_fatal(cast, rules, bad):
    filters = _filter(cast, f"kind={bad}&period=week")
    assert list(filters.qs) == [rules[1]]  # the period still applies, the id is ignored
    assert not filters.form.errors


def test_an_invalid_choice_is_dropped_and_the_others_apply(cast, rules):
    filters = _filter(cast, "period=fortnight-ish&q=甲项")
    assert list(filters.qs) == [rules[0]]
    assert filters.filtered


def test_filters_combine_and_unfiltered_is_everything_readable(cast, rules):
    assert set(_filter(cast, "").qs) == set(rules) and not _filter(cast, "").filtered
    assert list(_filter(cast, "active=0").qs) == [rules[1]]
    assert list(_filter(cast, f"kind={kind('reflection').pk}").qs) == [rules[0]]


def test_another_schools_org_is_not_a_choice(cast, rules):
    other = Org.objects.get(code="other")
    RequirementFactory(org=other, name="外校要求")
    filters = _filter(cast, f"org={other.pk}")
    assert "外校要求" not in {r.name for r in filters.qs}


def test_filter_bar_renders_labels_keeps_the_sort_and_offers_clear(cast, rules):
    request = RequestFactory().get("/requirements/?q=甲项&sort=-name")
    filters = _filter(cast, "q=甲项&sort=-name")
    html = Template("{% load lists %}{% filter_bar filters clear_url='/requirements/' %}").render(
        Context({"filters": filters, "request": request})
    )
    assert 'name="q"' in html and 'value="甲项"' in html and "搜索" in html
    assert '<input type="hidden" name="sort" value="-name">' in html
    assert 'href="/requirements/"' in html and "清除筛选" in html
    assert "form-select form-select-sm" in html  # widgets styled once, for every page


def test_list_pages_render_as_the_component(client, cast, rules):
    client.force_login(cast.office)
    for url in (reverse("requirements:list"), reverse("org:people"), reverse("records:list")):
        body = client.get(url + "?q=").content.decode()
        assert 'class="card card-body bg-body-tertiary mb-3 py-2 filter-bar"' in body, url
    body = client.get(reverse("requirements:list")).content.decode()
    assert "list-cards" in body and "list-table" in body and "web/lists.js" in body  # base.html


def test_the_old_query_parameters_still_filter(client, cast, rules):
    client.force_login(cast.office)
    body = client.get(reverse("requirements:list") + "?period=week&active=0").content.decode()
    assert "每周听课" in body and "甲项要求" not in body
    assert 'value="week" selected' in body
