"""Term pickers open on the current term (#22 item 4), not on "---------"."""

from datetime import date

import pytest
from django import forms
from django.utils import timezone

from keshi.calendar.models import Term
from keshi.calendar.services import create_school_year
from keshi.web.forms import default_to_current_term

pytestmark = pytest.mark.django_db


def _field(queryset) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(queryset)
    default_to_current_term(field)
    return field


def test_the_term_holding_today_else_the_latest_begun(cast):
    today = timezone.localdate()
    year = create_school_year(org=cast.school, start_year=today.year - 1)
    later = create_school_year(org=cast.school, start_year=today.year)
    terms = Term.objects.filter(school_year__org=cast.school)
    holding = terms.filter(start__lte=today, end__gte=today).first()
    assert holding is not None, "the default school year's terms cover every day but holidays"
    assert _field(terms).initial == holding.pk
    past = terms.filter(end__lt=today)
    assert _field(past).initial == past.order_by("-start").first().pk
    assert _field(Term.objects.filter(school_year=later, start__gt=today)).initial is None
    assert year.terms.exists()


def test_a_forms_own_initial_wins(cast):
    create_school_year(org=cast.school, start_year=2026, first_start=date(2026, 9, 1))
    field = forms.ModelChoiceField(Term.objects.all(), initial=-1)
    default_to_current_term(field)
    assert field.initial == -1
