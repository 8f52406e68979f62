from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from keshi.appraisal.models import PointEntry, PointRule, Source
from keshi.appraisal.services import add_manual_entry, apply_rules
from keshi.records.models import Activity
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules.models import Requirement
from keshi.rules.tests.factories import RequirementFactory

pytestmark = pytest.mark.django_db
AFTER_TERM = date(2027, 2, 1)


def test_manual_entry_needs_office_and_reason(cast, term):
    person = cast.teacher.person
    with pytest.raises(ValidationError) as err:
        add_manual_entry(
            by=cast.office, person=person, day=date(2026, 10, 1), points=Decimal("1"), reason="  "
        )
    assert "reason" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        add_manual_entry(
            by=cast.lead, person=person, day=date(2026, 10, 1), points=Decimal("1"), reason="x"
        )
    assert PointEntry.objects.count() == 0
    entry = add_manual_entry(
        by=cast.office,
        person=person,
        day=date(2026, 10, 1),
        points=Decimal("-0.5"),
        reason="迟交材料",
    )
    assert entry.source == Source.MANUAL and entry.history.count() == 1


def test_record_rule_grants_once_per_record(cast, term):
    rule = PointRule.objects.create(
        org=cast.school,
        name="优秀反思",
        trigger=PointRule.Trigger.RECORD_APPROVED,
        kind=kind("reflection"),
        keyword="优秀",
        points=Decimal("0.1"),
    )
    teacher = cast.teacher.person
    good = ActivityFactory(
        person=teacher,
        kind=kind("reflection"),
        status=Activity.Status.APPROVED,
        review_comment="优秀",
        date=date(2026, 10, 9),
    )
    ActivityFactory(
        person=teacher,
        kind=kind("reflection"),
        status=Activity.Status.APPROVED,
        review_comment="合格",
        date=date(2026, 10, 10),
    )
    ActivityFactory(
        person=teacher,
        kind=kind("reflection"),
        status=Activity.Status.SUBMITTED,
        review_comment="优秀",
        date=date(2026, 10, 11),
    )
    call_command("appraisal", "apply", "--org", "demo", "--term", str(term.pk))
    entry = PointEntry.objects.get()
    assert (entry.person, entry.points, entry.rule, entry.source_id) == (
        teacher,
        Decimal("0.1"),
        rule,
        good.pk,
    )
    call_command("appraisal", "apply", "--org", "demo", "--term", str(term.pk))
    assert PointEntry.objects.count() == 1


def test_requirement_rules_at_term_end_are_idempotent(cast, term):
    req = RequirementFactory(
        org=cast.school,
        name="每学期反思",
        threshold=2,
        period=Requirement.Period.TERM,
        kinds=[kind("reflection")],
        points=Decimal("0.5"),
    )
    PointRule.objects.create(
        org=cast.school, name="达成", trigger=PointRule.Trigger.REQUIREMENT_MET
    )
    PointRule.objects.create(
        org=cast.school,
        name="未达成",
        points=Decimal("-0.2"),
        trigger=PointRule.Trigger.REQUIREMENT_MISSED,
    )
    for d in (date(2026, 9, 10), date(2026, 11, 10)):
        ActivityFactory(
            person=cast.teacher.person,
            kind=kind("reflection"),
            date=d,
            status=Activity.Status.SUBMITTED,
        )
    # Before the term is over nothing is judged.
    early = apply_rules(org=cast.school, term=term, today=date(2026, 12, 1))
    assert early.created == 0 and early.skipped
    first = apply_rules(org=cast.school, term=term, today=AFTER_TERM)
    points = dict(PointEntry.objects.values_list("person__name", "points"))
    assert points == {
        "张老师": Decimal("0.5"),
        "李老师": Decimal("-0.2"),
        "王组长": Decimal("-0.2"),
    }
    assert first.created == 3
    again = apply_rules(org=cast.school, term=term, today=AFTER_TERM)
    assert (again.created, again.existing) == (0, 3)
    assert PointEntry.objects.filter(source_id=req.pk).count() == 3
