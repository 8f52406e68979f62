"""The demo hospital: its plan's targets became indicators with a year of figures, some missed,
one missed two months in a row; the same on every run."""

from datetime import date

from django.contrib.auth import authenticate

from keshi.calendar.models import SchoolYear
from keshi.calendar.selectors import current_term
from keshi.demo.services import PASSWORD, load_demo
from keshi.demo.tests.snapshot import TODAY
from keshi.indicators import alerts
from keshi.indicators.models import Actual, Indicator
from keshi.indicators.selectors import readable_indicators, reporting, rows_for
from keshi.org.models import Membership, Org, Person
from keshi.plans.models import Plan, Suggestion


def _figures():
    return sorted(
        Actual.objects.values_list(
            "indicator__name", "year", "month", "value", "numerator", "denominator", "entered_at"
        )
    )


def test_hospital_org_department_and_logins(loaded):
    org = Org.objects.get(code="hospital")
    assert org.kind == Org.Kind.HOSPITAL and org.parent.code == "district"
    head = Person.objects.get(user__username="neuro")
    assert Membership.objects.filter(person=head, group__name="神经内科", role="lead").exists()
    assert Membership.objects.filter(group__name="神经内科", group__org=org).count() >= 4
    for username in ("neuro", "hospital_office"):
        assert authenticate(username=username, password=PASSWORD)
    assert {lg.username for lg in loaded.logins} >= {"neuro", "hospital_office"}


def test_the_hospital_works_in_the_calendar_year_of_today(loaded):
    [year] = SchoolYear.objects.filter(org__code="hospital")
    assert (year.start, year.end) == (date(TODAY.year, 1, 1), date(TODAY.year, 12, 31))
    [term] = year.terms.all()
    assert (term.start, term.end) == (year.start, year.end) and str(term) == f"{TODAY.year}年度"
    assert Plan.objects.get(org__code="hospital").school_year == year
    assert current_term(year.org, TODAY) == term


def test_plan_targets_became_indicators(loaded):
    plan = Plan.objects.get(org__code="hospital")
    assert [s.title for s in plan.sections.all()] == [
        "一、指导思想",
        "二、工作目标",
        "三、主要工作",
    ]
    targets = plan.suggestions.filter(kind=Suggestion.Kind.TARGET)
    assert targets.count() == 5 and not targets.exclude(status="accepted").exists()
    names = set(Indicator.objects.filter(org=plan.org).values_list("name", flat=True))
    assert names == {"床位使用率", "平均住院日", "患者满意度", "门诊人次", "抗菌药物使用率"}
    visits = Indicator.objects.get(org=plan.org, name="门诊人次")
    assert visits.growth == 20 and visits.unit == "人次"


def test_a_year_of_figures_some_missed_and_an_alert(loaded):
    inds = list(Indicator.objects.filter(org__code="hospital"))
    rows = {r.indicator.name: r for r in rows_for(inds, TODAY.year, TODAY)}
    assert all(len([j for j in r.months if j.actual is not None]) >= 9 for r in rows.values())
    assert all(r.missed >= 1 for r in rows.values())
    stay = [j.status for j in rows["平均住院日"].months[8:10]]
    assert stay == ["missed", "missed"]
    rep = next(iter(reporting(inds, TODAY.year, TODAY).values()))
    assert rep.expected == 50 and rep.entered == 49 and 0 < rep.on_time < rep.entered
    raised = alerts.due_alerts(inds, TODAY)
    assert [(i.name, latest.period.key) for i, _, latest in raised] == [("平均住院日", "2026-10")]


def test_scoping_on_the_hospital(loaded):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    hospital = Indicator.objects.filter(org__code="hospital")
    for username, sees in (("neuro", 5), ("hospital_office", 5), ("district", 5), ("office", 0),
                           ("teacher", 0)):  # fmt: skip
        user = User.objects.get(username=username)
        assert readable_indicators(user).filter(pk__in=hospital).count() == sees, username


def test_rerun_writes_nothing_and_figures_are_deterministic(loaded):
    before = _figures()
    again = load_demo(today=TODAY)
    assert not again.created and not again.updated
    assert _figures() == before
    later = date(2026, 12, 20)  # a later day adds November, changes nothing already there
    load_demo(today=later)
    after = _figures()
    assert set(before) < set(after)
