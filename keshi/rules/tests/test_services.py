"""Requirement and exemption services: validation in Chinese, nothing written on error,
history records the user; the audience preview answers through the engine."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from keshi.accounts.models import RoleGrant
from keshi.org.models import Membership
from keshi.org.tests.factories import (
    GroupFactory,
    MentorshipFactory,
    PersonFactory,
    UserFactory,
    grant,
)
from keshi.records.models import Activity, ActivityKind
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules import services
from keshi.rules.models import Exemption, Requirement
from keshi.rules.selectors_manage import audience_of, audience_preview, exemptions_for

pytestmark = pytest.mark.django_db


def new(cast, **overrides):
    values = {"name": "听课", "kinds": [kind("observation")], "threshold": 8} | overrides
    return services.create_requirement(org=cast.school, user=cast.office, **values)


def test_create_writes_fields_and_history_user(cast):
    req = new(
        cast,
        groups=[cast.group],
        group_role=Membership.Role.LEAD,
        source_text=" 组长每学期听课不少于50节 ",
        points=2,
    )
    req.refresh_from_db()
    assert req.org == cast.school and req.active
    assert list(req.kinds.all()) == [kind("observation")]
    assert list(req.groups.all()) == [cast.group]
    assert req.source_text == "组长每学期听课不少于50节"
    users = {h.history_user for h in req.history.all()}
    assert users == {cast.office}


BAD = [
    ({"threshold": 0}, "threshold", "数量必须大于 0"),
    ({"threshold": -3}, "threshold", "数量必须大于 0"),
    ({"kinds": []}, "kinds", "至少选择一种记录类型"),
    ({"name": "  "}, "name", "请填写名称"),
    ({"measure": Requirement.Measure.CHARS}, "measure", "听课/听评课 没有正文"),
    ({"item_min_chars": 800}, "item_min_chars", "只适用于有正文的记录类型"),
    ({"item_min_chars": 0}, "item_min_chars", "须大于 0"),
    (
        {"mentorship": Requirement.Mentorship.MENTEE_OBSERVES_MENTOR, "kinds": "reflection"},
        "mentorship",
        "没有被听课人",
    ),
    (
        {"teaching_years_min": 5, "teaching_years_max": 2},
        "teaching_years_max",
        "教龄上限不能小于下限",
    ),
    ({"age_min": 45, "age_max": 40}, "age_max", "年龄上限不能小于下限"),
    (
        {"period": Requirement.Period.DAY, "deadline": Requirement.Deadline.LAST_FRIDAY},
        "deadline",
        "最后一个星期五",
    ),
    ({"points": -1}, "points", "不能为负数"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD)
def test_bad_input_is_refused_and_nothing_is_written(cast, overrides, field, message):
    if overrides.get("kinds") == "reflection":
        overrides = overrides | {"kinds": [kind("reflection")]}
    with pytest.raises(ValidationError) as error:
        new(cast, **overrides)
    assert any(message in m for m in error.value.message_dict[field])
    assert not Requirement.objects.exists()
    assert not Requirement.history.exists()


def test_duplicate_name_foreign_group_and_foreign_kind_are_refused(cast):
    new(cast, name="听课")
    with pytest.raises(ValidationError) as error:
        new(cast, name="听课")
    assert "同名" in error.value.message_dict["name"][0]
    other_group = GroupFactory(org=cast.other_school, name="外校语文组")
    other_kind = ActivityKind.objects.create(org=cast.other_school, code="x", label="外校类型")
    with pytest.raises(ValidationError) as error:
        new(cast, name="新", groups=[other_group], kinds=[other_kind])
    assert "外校语文组" in error.value.message_dict["groups"][0]
    assert "外校类型" in error.value.message_dict["kinds"][0]
    assert Requirement.objects.count() == 1


def test_only_office_staff_of_the_org_may_write(cast):
    for user in (cast.leader, cast.district, cast.teacher, cast.lead, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.create_requirement(
                org=cast.school, user=user, name="x", kinds=[kind("observation")], threshold=1
            )
    other_office = UserFactory(username="other_office")
    grant(other_office, cast.other_school, RoleGrant.Role.OFFICE)
    req = new(cast)
    with pytest.raises(PermissionDenied):
        services.update_requirement(requirement=req, user=other_office, threshold=3)
    with pytest.raises(PermissionDenied):
        services.deactivate(requirement=req, user=cast.leader)
    assert not Requirement.objects.exclude(pk=req.pk).exists()


def test_update_changes_only_what_is_given_and_records_the_user(cast):
    req = new(cast, groups=[cast.group])
    admin = UserFactory(username="root2", is_superuser=True)
    services.update_requirement(requirement=req, user=admin, threshold=10, tags=[])
    req.refresh_from_db()
    assert req.threshold == 10 and list(req.groups.all()) == [cast.group]
    assert req.history.first().history_user == admin
    with pytest.raises(ValidationError):
        services.update_requirement(requirement=req, user=cast.office, threshold=0, name="改名")
    req.refresh_from_db()
    assert req.threshold == 10 and req.name == "听课"
    with pytest.raises(TypeError):
        services.update_requirement(requirement=req, user=cast.office, org=cast.other_school)


def test_copy_is_an_inactive_draft_with_a_free_name(cast):
    req = new(cast, groups=[cast.group], teaching_years_max=2)
    first = services.copy_requirement(requirement=req, user=cast.office)
    second = services.copy_requirement(requirement=req, user=cast.office)
    assert (first.name, second.name) == ("听课（副本）", "听课（副本）2")
    assert not first.active and first.teaching_years_max == 2
    assert list(first.groups.all()) == [cast.group]
    assert list(first.kinds.all()) == [kind("observation")]


def test_deactivate_and_delete_only_unused(cast, term):
    req = new(cast)
    services.deactivate(requirement=req, user=cast.office)
    req.refresh_from_db()
    assert not req.active
    assert not services.is_used(req)
    ActivityFactory(person=cast.teacher.person, date=date(2026, 9, 8))
    assert services.is_used(req)
    with pytest.raises(ValidationError):
        services.delete_requirement(requirement=req, user=cast.office)
    assert Requirement.objects.filter(pk=req.pk).exists()
    Activity.objects.all().delete()
    services.delete_requirement(requirement=req, user=cast.office)
    assert not Requirement.objects.filter(pk=req.pk).exists()
    assert Requirement.history.filter(history_type="-").get().history_user == cast.office


def test_a_requirement_with_an_exemption_is_used(cast):
    req = new(cast)
    services.add_exemption(
        user=cast.office,
        person=cast.teacher.person,
        requirement=req,
        start=date(2026, 9, 1),
        end=date(2026, 9, 30),
        reason="病假",
    )
    assert services.is_used(req)


def test_exemptions_add_validate_and_end(cast):
    me = cast.teacher.person
    req = new(cast)
    ex = services.add_exemption(
        user=cast.office, person=me, start=date(2026, 9, 1), end=date(2026, 12, 31), reason="产假"
    )
    assert ex.requirement is None and ex.history.get().history_user == cast.office
    bad = [
        ({"start": date(2026, 10, 1), "end": date(2026, 10, 5)}, "start"),  # overlaps 产假
        ({"person": cast.other_teacher.person, "end": date(2026, 1, 1)}, "end"),
        ({"person": cast.other_teacher.person, "reason": " "}, "reason"),
    ]
    for overrides, field in bad:
        values = {
            "person": me,
            "requirement": req,
            "start": date(2026, 9, 1),
            "end": date(2026, 9, 30),
            "reason": "病假",
        } | overrides
        with pytest.raises(ValidationError) as error:
            services.add_exemption(user=cast.office, **values)
        assert field in error.value.message_dict
    outsider_req = services.create_requirement(
        org=cast.other_school, user=None, name="外校", kinds=[kind("blog")], threshold=1
    )
    with pytest.raises(ValidationError) as error:
        services.add_exemption(
            user=cast.office,
            person=me,
            requirement=outsider_req,
            start=date(2027, 3, 1),
            end=date(2027, 3, 2),
            reason="外出学习",
        )
    assert "requirement" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.add_exemption(
            user=cast.leader, person=me, start=date(2027, 3, 1), end=date(2027, 3, 2), reason="x"
        )
    assert Exemption.objects.count() == 1
    with pytest.raises(ValidationError):
        services.end_exemption(exemption=ex, user=cast.office, on=date(2026, 8, 31))
    services.end_exemption(exemption=ex, user=cast.office, on=date(2026, 10, 31))
    ex.refresh_from_db()
    assert ex.end == date(2026, 10, 31)


def test_exemptions_for_is_scoped(cast):
    me, other = cast.teacher.person, cast.other_teacher.person
    for person in (me, other):
        services.add_exemption(
            user=cast.office,
            person=person,
            start=date(2026, 9, 1),
            end=date(2026, 9, 2),
            reason="病假",
        )
    assert exemptions_for(cast.teacher, me).count() == 1
    assert exemptions_for(cast.teacher, other).count() == 0
    assert exemptions_for(cast.lead, other).count() == 1  # the 语文组's lead
    assert exemptions_for(cast.outsider, me).count() == 0
    assert exemptions_for(cast.office, other).count() == 1


def test_audience_preview_uses_the_engine_and_writes_nothing(cast, term):
    novice = PersonFactory(org=cast.school, name="新老师", teaching_start=date(2025, 9, 1))
    at = date(2026, 10, 10)
    everyone = audience_preview(cast.office, org=cast.school, values={}, at=at)
    assert everyone.count == 4 and everyone.term == term
    # 教龄 is read at the term's first day: 2025-09-01 → 2026-09-01 is exactly 1 year.
    young = audience_preview(cast.office, org=cast.school, values={"teaching_years_max": 1}, at=at)
    assert young.names == ["新老师"]
    leads = audience_preview(
        cast.office,
        org=cast.school,
        values={"group_role": "lead", "groups": [cast.group], "kinds": [kind("observation")]},
        at=at,
    )
    assert leads.names == ["王组长"]
    MentorshipFactory(mentor=cast.lead.person, mentee=novice, start=date(2026, 9, 1))
    mentees = audience_preview(
        cast.office, org=cast.school, values={"mentorship": "mentee_observes_mentor"}, at=at
    )
    assert mentees.names == ["新老师"]
    assert not Requirement.objects.exists() and not Requirement.history.exists()


def test_audience_counts_exempt_people_and_names_only_what_the_user_may_read(cast, term):
    req = new(cast)
    services.add_exemption(
        user=cast.office,
        person=cast.teacher.person,
        start=date(2026, 9, 1),
        end=date(2027, 1, 22),
        reason="产假",
    )
    seen = audience_of(cast.office, req, at=date(2026, 10, 10))
    assert seen.count == 3 and seen.exempt == 1 and len(seen.names) == 3
    assert audience_of(cast.teacher, req, at=date(2026, 10, 10)).names == ["张老师"]
    assert audience_of(cast.office, req, at=date(2026, 7, 1)).term == term  # the next term
