"""Ids, return addresses, integer bounds and NUL from a request (issue #19): the helpers in
keshi/web/params.py, bounds.py and middleware.py."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.http import QueryDict
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from keshi.org.models import Membership, Person
from keshi.web.bounds import MAX_FORM_INTEGER
from keshi.web.middleware import drop_nul
from keshi.web.params import MAX_ID, parse_id, query_id, safe_next

HUGE = 99999999999999999999
rf = RequestFactory()


@pytest.mark.parametrize(
    "value",
    [None, "", " ", "abc", "²", "１２", "٣", "-1", "+1", "0", "1.5", "1e5", "\x00", str(HUGE)],
)
def test_parse_id_refuses_what_is_not_an_id(value):
    assert parse_id(value) is None


@pytest.mark.parametrize("value,expected", [("1", 1), (" 42 ", 42), (str(MAX_ID), MAX_ID)])
def test_parse_id_reads_ascii_digits(value, expected):
    assert parse_id(value) == expected


@given(st.text(max_size=30))
def test_parse_id_never_raises_and_names_a_bigint_id(text):
    number = parse_id(text)
    assert number is None or 1 <= number <= MAX_ID


def test_query_id_reads_the_query_string_then_the_form():
    assert query_id(rf.get("/", {"org": "7"}), "org") == 7
    assert query_id(rf.get("/", {"org": "²"}), "org") is None
    assert query_id(rf.post("/?org=3", {"org": "5"}), "org") == 3
    assert query_id(rf.post("/", {"org": "5"}), "org") == 5
    assert query_id(rf.get("/"), "org") is None


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/records/?page=2", "/records/?page=2"),
        ("abc", "/inbox/"),  # redirect("abc") would look it up as a URL name
        ("-1", "/inbox/"),
        ("//evil.example/", "/inbox/"),
        ("https://evil.example/", "/inbox/"),
        ("", "/inbox/"),
    ],
)
def test_safe_next_takes_only_a_path_on_this_site(target, expected):
    assert safe_next(rf.post("/", {"next": target}), "/inbox/") == expected
    assert safe_next(rf.get("/", {"next": target}), "/inbox/") == expected


def test_drop_nul_cleans_query_and_form_before_the_view():
    seen = {}

    def view(request):
        seen["get"], seen["post"] = request.GET.copy(), request.POST.copy()
        return None

    drop_nul(view)(rf.post("/?q=a%00b&org=demo", {"kind": "\x00org", "x\x00": "1"}))
    assert seen["get"].dict() == {"q": "ab", "org": "demo"}
    assert seen["post"].dict() == {"kind": "org", "x": "1"}


def test_drop_nul_leaves_a_clean_request_alone():
    request = rf.get("/?q=abc")
    original = request.GET
    drop_nul(lambda r: None)(request)
    assert request.GET is original
    assert isinstance(request.GET, QueryDict)


# ---- keshi/web/bounds.py: lookups -----------------------------------------------------------


@pytest.mark.parametrize(
    "lookup",
    [
        {"pk": HUGE},
        {"pk__in": [HUGE]},
        {"pk__in": [HUGE, -HUGE]},
        {"org": HUGE},
        {"org_id": HUGE},
        {"org__in": [HUGE]},
        {"org_id__in": [HUGE]},
        {"memberships__group": HUGE},
        {"memberships__group__in": [HUGE]},
    ],
)
def test_an_id_beyond_64_bits_matches_no_row(cast, lookup):
    assert list(Person.objects.filter(**lookup)) == []


def test_out_of_range_ids_are_dropped_from_in_and_the_rest_still_match(cast):
    teacher = Person.objects.get(user=cast.teacher)
    assert list(Person.objects.filter(pk__in=[HUGE, teacher.pk])) == [teacher]
    assert teacher in Person.objects.filter(org__in=[HUGE, cast.school.pk])
    # exclude() of an impossible id excludes nothing.
    assert Person.objects.exclude(org=HUGE).count() == Person.objects.count()
    assert Membership.objects.exclude(group__in=[HUGE]).count() == Membership.objects.count()


def test_a_multi_select_with_an_id_beyond_64_bits_is_an_invalid_choice(cast):
    class PeopleForm(forms.Form):
        people = forms.ModelMultipleChoiceField(queryset=Person.objects.all())
        person = forms.ModelChoiceField(queryset=Person.objects.all())

    form = PeopleForm({"people": [str(HUGE)], "person": str(HUGE)})
    assert not form.is_valid()
    assert set(form.errors) == {"people", "person"}
    assert all(e.code == "invalid_choice" for e in form.errors.as_data()["people"])


# ---- keshi/web/bounds.py: form numbers ------------------------------------------------------


class Numbers(forms.Form):
    count = forms.IntegerField(required=False)
    amount = forms.DecimalField(required=False)
    ratio = forms.FloatField(required=False)


@pytest.mark.parametrize("name", ["count", "amount", "ratio"])
@pytest.mark.parametrize("value", [str(HUGE), str(MAX_FORM_INTEGER + 1), f"-{HUGE}"])
def test_a_form_number_beyond_an_integer_column_is_refused(name, value):
    form = Numbers({name: value})
    assert not form.is_valid()
    assert list(form.errors) == [name]


@pytest.mark.parametrize(
    "data,expected",
    [
        ({"count": str(MAX_FORM_INTEGER)}, {"count": MAX_FORM_INTEGER}),
        ({"amount": "12.5"}, {"amount": Decimal("12.5")}),
        ({"ratio": "-0.5"}, {"ratio": -0.5}),
        ({}, {}),
    ],
)
def test_form_numbers_within_range_pass(data, expected):
    form = Numbers(data)
    assert form.is_valid(), form.errors
    assert {k: v for k, v in form.cleaned_data.items() if v is not None} == expected


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-inf", "1e999"])
def test_not_a_number_stays_invalid_not_an_error(value):
    assert not Numbers({"amount": value, "ratio": value}).is_valid()
