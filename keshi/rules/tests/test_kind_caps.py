"""Caps inside a rule (其中读书心得最多计1篇): within each period the records of one kind count
toward the rule at most up to the cap — per period, never across periods — in the rule's own
measure. Term: 2026-09-01 .. 2027-01-22."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules import services
from keshi.rules.describe import describe, rule_of
from keshi.rules.engine import evaluate
from keshi.rules.models import KindCap, Requirement
from keshi.rules.selectors import cell_detail, my_tasks
from keshi.rules.status import Status
from keshi.rules.tests.test_api import URL, call
from keshi.web.tests.pages import get

pytestmark = pytest.mark.django_db
AT = date(2026, 11, 26)


def reflection_rule(cast, *, threshold=3, period=Requirement.Period.MONTH, limit=1, **extra):
    return services.create_requirement(
        org=cast.school,
        user=cast.office,
        name="教学反思",
        kinds=[kind("reflection"), kind("reading")],
        threshold=threshold,
        period=period,
        kind_caps=[(kind("reading"), limit)],
        **extra,
    )


def cells_by_start(term, rule, person, at=AT):
    result = evaluate(term=term, at=at, requirements=[rule])
    return {c.period.start: c for c in result.periods(person.pk, rule.pk)}


def record(person, code, day, **fields):
    return ActivityFactory(person=person, kind=kind(code), date=day, **fields)


def test_a_capped_kind_counts_at_most_the_cap_in_each_period(cast, term):
    rule = reflection_rule(cast)
    me = cast.teacher.person
    for day in (date(2026, 10, 8), date(2026, 10, 15), date(2026, 10, 22)):
        record(me, "reading", day)
    record(me, "reflection", date(2026, 10, 9))
    record(me, "reading", date(2026, 11, 3))  # November: its own cap
    cells = cells_by_start(term, rule, me)
    assert cells[date(2026, 10, 1)].value == 2  # 1 reflection + 1 of 3 readings
    assert cells[date(2026, 10, 1)].status is Status.MISSED
    assert cells[date(2026, 11, 1)].value == 1  # October's surplus does not carry over
    assert cells[date(2026, 9, 1)].value == 0


def test_without_caps_every_record_counts(cast, term):
    rule = reflection_rule(cast)
    services.update_requirement(requirement=rule, user=cast.office, kind_caps=[])
    me = cast.teacher.person
    for day in (date(2026, 10, 8), date(2026, 10, 15), date(2026, 10, 22)):
        record(me, "reading", day)
    assert cells_by_start(term, rule, me)[date(2026, 10, 1)].value == 3
    assert not KindCap.objects.filter(requirement=rule).exists()


def test_a_term_cap_on_quantity_caps_the_summed_hours(cast, term):
    """网络培训学时最多折算20学时 — and other training kinds stay uncapped."""
    rule = services.create_requirement(
        org=cast.school,
        user=cast.office,
        name="培训学时",
        kinds=[kind("training"), kind("meeting")],
        measure=Requirement.Measure.QUANTITY,
        threshold=40,
        kind_caps=[(kind("training"), Decimal("20"))],
    )
    me = cast.teacher.person
    record(me, "training", date(2026, 9, 10), quantity=Decimal("12.5"))
    record(me, "training", date(2026, 10, 10), quantity=Decimal("12.5"))
    record(me, "meeting", date(2026, 10, 11), quantity=Decimal("3"))
    cell = cells_by_start(term, rule, me)[term.start]
    assert cell.value == Decimal("23")  # min(25, 20) + 3


def test_a_cap_applies_after_the_per_item_minimum(cast, term):
    rule = reflection_rule(cast, item_min_chars=800)
    me = cast.teacher.person
    record(me, "reading", date(2026, 10, 8), chars=300)  # too short: never counts
    record(me, "reading", date(2026, 10, 9), chars=900)
    record(me, "reflection", date(2026, 10, 10), chars=900)
    assert cells_by_start(term, rule, me)[date(2026, 10, 1)].value == 2


def test_a_cap_on_a_kind_outside_the_rule_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        services.create_requirement(
            org=cast.school,
            user=cast.office,
            name="听课",
            kinds=[kind("observation")],
            threshold=15,
            kind_caps=[(kind("reading"), 1)],
        )
    assert "不在其中" in str(error.value.message_dict["kind_caps"])
    assert not Requirement.objects.filter(name="听课").exists()


def test_narrowing_the_kinds_past_a_cap_is_refused(cast):
    rule = reflection_rule(cast)
    with pytest.raises(ValidationError) as error:
        services.update_requirement(requirement=rule, user=cast.office, kinds=[kind("reflection")])
    assert "kind_caps" in error.value.message_dict
    assert set(rule.kinds.values_list("code", flat=True)) == {"reflection", "reading"}


def test_a_zero_or_doubled_cap_is_refused(cast):
    for caps, word in (
        ([(kind("reading"), 0)], "大于 0"),
        ([(kind("reading"), 1), (kind("reading"), 2)], "只能设一个"),
    ):
        with pytest.raises(ValidationError) as error:
            services.create_requirement(
                org=cast.school,
                user=cast.office,
                name="反思",
                kinds=[kind("reflection"), kind("reading")],
                threshold=3,
                kind_caps=caps,
            )
        assert word in str(error.value.message_dict["kind_caps"])


def test_changing_a_cap_is_in_the_history(cast):
    rule = reflection_rule(cast)
    services.update_requirement(
        requirement=rule, user=cast.office, kind_caps=[(kind("reading"), 2)]
    )
    cap = rule.kind_caps.get()
    assert cap.limit == 2
    assert [h.limit for h in cap.history.order_by("history_date")] == [1, 2]
    assert cap.history.latest().history_user == cast.office
    copy = services.copy_requirement(requirement=rule, user=cast.office)
    assert [(c.kind.code, c.limit) for c in copy.kind_caps.all()] == [("reading", 2)]


def test_the_sentence_names_the_cap(cast):
    rule = reflection_rule(cast, threshold=10, period=Requirement.Period.TERM)
    rule = Requirement.objects.prefetch_related("kinds", "kind_caps__kind").get(pk=rule.pk)
    assert describe(rule_of(rule)) == "每学期教学反思或读书笔记不少于10篇，其中读书笔记最多计1篇"


def test_my_tasks_and_the_cell_explain_what_the_cap_left_out(client, cast, term):
    rule = reflection_rule(cast, threshold=4)
    me = cast.teacher.person
    for day in (date(2026, 11, 3), date(2026, 11, 10), date(2026, 11, 17)):
        record(me, "reading", day)
    line = "读书笔记最多计 1 篇（本期已计 1 篇，另有 2 篇未计入）"
    tasks = my_tasks(cast.teacher, person=me, term=term, at=AT)
    assert [t.cap_lines for t in tasks.items if t.requirement.pk == rule.pk] == [[line]]
    detail = cell_detail(cast.office, person=me, requirement=rule, term=term, at=AT)
    assert detail.caps == [line]
    assert [r.reason for r in detail.records].count("超出上限（最多计1篇）") == 2
    r = get(client, cast.office, reverse("rules:my_tasks"), person=me.pk, at=AT.isoformat())
    assert line in r.content.decode()
    r = get(
        client,
        cast.office,
        reverse("rules:compliance_cell"),
        org=cast.school.pk,
        term=term.pk,
        at=AT.isoformat(),
        person=me.pk,
        requirement=rule.pk,
    )
    body = r.content.decode()
    assert line in body and "超出上限" in body


def test_the_form_adds_and_removes_caps(client, cast):
    rule = reflection_rule(cast)
    url = reverse("requirements:edit", args=[rule.pk])
    r = get(client, cast.office, url)
    assert r.status_code == 200 and "其中…最多计入" in r.content.decode()
    form = r.context["form"]
    assert form.initial["cap_kind_1"] == kind("reading").pk
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and not isinstance(v, list) and k != "source_text"
    }
    data |= {
        "kinds": [kind("reflection").pk, kind("reading").pk],
        "source_text": "",
        "cap_kind_1": kind("reading").pk,
        "cap_limit_1": "2",
        "cap_kind_2": kind("observation").pk,  # not a kind of the rule
        "cap_limit_2": "1",
        "active": "on",
    }
    client.force_login(cast.office)
    r = client.post(url, data)
    assert r.status_code == 200
    assert "不在其中" in r.content.decode()
    assert rule.kind_caps.get().limit == 1
    data.pop("cap_kind_2"), data.pop("cap_limit_2")
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert rule.kind_caps.get().limit == 2
    data["cap_kind_1"], data["cap_limit_1"] = "", ""
    assert client.post(url, data).status_code == 302
    assert not rule.kind_caps.exists()


def test_a_teacher_cannot_open_the_form(client, cast):
    rule = reflection_rule(cast)
    r = get(client, cast.teacher, reverse("requirements:edit", args=[rule.pk]))
    assert r.status_code in (403, 404)


BODY = {
    "name": "教学反思",
    "kinds": ["reflection", "reading"],
    "threshold": 10,
    "period": "term",
    "kind_caps": [{"kind": "reading", "limit": 1}],
}


def test_api_roundtrip(client, cast):
    r = call(client, cast.office, "post", URL, BODY, org="demo")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["kind_caps"] == [{"kind": "reading", "limit": "1.00"}]
    assert body["sentence"].endswith("其中读书笔记最多计1篇")
    url = f"{URL}/{body['id']}"
    r = call(client, cast.office, "patch", url, {"kind_caps": [{"kind": "reading", "limit": 3}]})
    assert r.status_code == 200 and r.json()["kind_caps"][0]["limit"] == "3.00"
    r = call(client, cast.office, "patch", url, {"name": "教学反思2"})
    assert r.json()["kind_caps"][0]["limit"] == "3.00"  # left out: unchanged
    r = call(client, cast.office, "patch", url, {"kind_caps": []})
    assert r.status_code == 200 and r.json()["kind_caps"] == []
    assert call(client, cast.office, "get", url).json()["kind_caps"] == []


@pytest.mark.parametrize(
    ("caps", "word"),
    [
        ([{"kind": "nonsense", "limit": 1}], "未知的记录类型"),
        ([{"kind": "observation", "limit": 1}], "不在其中"),
        ([{"kind": "reading", "limit": 0}], ""),
        ([{"kind": "reading", "limit": -2}], ""),
        ([{"kind": "reading"}], ""),
    ],
)
def test_api_refuses_bad_caps(client, cast, caps, word):
    r = call(client, cast.office, "post", URL, BODY | {"kind_caps": caps}, org="demo")
    assert 400 <= r.status_code < 500, r.content
    assert word in json.dumps(r.json(), ensure_ascii=False)
    assert not Requirement.objects.filter(name="教学反思").exists()


def test_a_teacher_cannot_set_caps_through_the_api(client, cast):
    rule = reflection_rule(cast)
    r = call(client, cast.teacher, "patch", f"{URL}/{rule.pk}", {"kind_caps": []})
    assert r.status_code in (403, 404)
    assert rule.kind_caps.count() == 1


def test_the_trend_chart_applies_the_cap_as_the_engine_does(cast, term):
    from keshi.rules.selectors import trend

    rule = reflection_rule(cast, threshold=4)
    me = cast.teacher.person
    for day in (date(2026, 10, 6), date(2026, 10, 13), date(2026, 10, 20)):
        record(me, "reading", day)
    record(me, "reflection", date(2026, 10, 7))
    october = cells_by_start(term, rule, me)[date(2026, 10, 1)]
    assert october.value == 2 and october.status is Status.MISSED  # uncapped, 4 would meet
    (line,) = trend(cast.office, term=term, at=AT, people=[me], requirements=[rule])
    assert {p.end: p.share for p in line.points}[date(2026, 10, 31)] == 0.0
