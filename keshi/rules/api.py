"""API for requirements (``/api/v1/requirements``) and a group's standing on the requirements
owed by groups (``/api/v1/groups/{id}/standing``).

The same rules as the pages: office staff, leaders, the district and group leads read the
requirements of the orgs they can see (a teacher gets 403 — their tasks are on 我的任务);
only office staff create or change them, through keshi.rules.services, whose Chinese field
errors come back as 422. A group's standing is for those who read its org and its leads.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from keshi.calendar.selectors import current_term, home_org
from keshi.checks.models import Inspection
from keshi.org.api import Id, Pages, SearchText
from keshi.org.models import Group, Membership, Org, Tag
from keshi.org.scoping import scope_for, visible
from keshi.rules import selectors_groups, services
from keshi.rules.describe import describe, rule_of
from keshi.rules.models import Requirement
from keshi.rules.selectors_manage import kinds_for, requirements_list

router = Router(tags=["requirements"])
R = Requirement

Owner = Literal[tuple(R.Owner.values)]
HolderRole = Literal[tuple(R.HolderRole.values)]
Source = Literal[tuple(R.Source.values)]
GroupKind = Literal[tuple(Group.Kind.values)]
InspectionKind = Literal[tuple(Inspection.Kind.values)]
Measure = Literal[tuple(R.Measure.values)]
Comparator = Literal[tuple(R.Comparator.values)]
Period = Literal[tuple(R.Period.values)]
Deadline = Literal[tuple(R.Deadline.values)]
GroupRole = Literal[tuple(Membership.Role.values)]
Mentorship = Literal[tuple(R.Mentorship.values)]
Blank = Literal[""]
Count = Annotated[int, Field(ge=0, le=100_000)]


class KindCapOut(Schema):
    kind: str = Field(description="记录类型代码")
    limit: Decimal = Field(description="每个周期内这类记录最多计入的量（按要求的计量方式）")


class KindCapIn(Schema):
    kind: SearchText = Field(description="记录类型代码，须是本要求统计的记录类型之一")
    limit: Annotated[Decimal, Field(gt=0, le=Decimal("99999999"))]


class RequirementOut(Schema):
    id: int
    org: str = Field(description="单位代码")
    name: str
    sentence: str = Field(description="计划式的表述，如 每个教研组每周教研活动不少于1次")
    active: bool
    owner: Owner = Field(description="person 每人 / group 按组 / role 按角色")
    owner_group_kind: GroupKind | Blank
    owner_role: HolderRole | Blank
    source: Source = Field(description="records 工作记录 / inspections 作为检查人完成的检查")
    inspection_kind: InspectionKind | Blank
    kinds: list[str] = Field(description="记录类型代码")
    measure: Measure
    item_min_chars: int | None
    comparator: Comparator
    threshold: Decimal
    period: Period
    deadline: Deadline
    groups: list[int]
    group_role: GroupRole | Blank
    tags: list[str]
    teaching_years_min: int | None
    teaching_years_max: int | None
    age_min: int | None
    age_max: int | None
    mentorship: Mentorship
    effective_from: date | None = Field(description="生效日期：此前已结束的周期不考核")
    points: Decimal
    kind_caps: list[KindCapOut] = Field(
        description="其中某类记录每个周期最多计入多少，如 其中读书心得最多计1篇"
    )

    @staticmethod
    def resolve_org(obj: Requirement) -> str:
        return obj.org.code

    @staticmethod
    def resolve_sentence(obj: Requirement) -> str:
        return describe(rule_of(obj))

    @staticmethod
    def resolve_kinds(obj: Requirement) -> list[str]:
        return [k.code for k in obj.kinds.all()]

    @staticmethod
    def resolve_groups(obj: Requirement) -> list[int]:
        return [g.pk for g in obj.groups.all()]

    @staticmethod
    def resolve_tags(obj: Requirement) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_kind_caps(obj: Requirement) -> list[dict]:
        return [{"kind": c.kind.code, "limit": c.limit} for c in obj.kind_caps.all()]


class RequirementIn(Schema):
    """Fields left out keep their default (create) or their value (update)."""

    name: Annotated[str, Field(max_length=100)] | None = None
    source_text: Annotated[str, Field(max_length=2000)] | None = None
    owner: Owner | None = None
    owner_group_kind: GroupKind | Blank | None = None
    owner_role: HolderRole | Blank | None = None
    source: Source | None = None
    inspection_kind: InspectionKind | Blank | None = None
    kinds: Annotated[list[SearchText], Field(max_length=50)] | None = None
    measure: Measure | None = None
    item_min_chars: Count | None = None
    comparator: Comparator | None = None
    threshold: Annotated[Decimal, Field(gt=0, le=Decimal("99999999"))] | None = None
    period: Period | None = None
    deadline: Deadline | None = None
    groups: Annotated[list[Id], Field(max_length=500)] | None = None
    group_role: GroupRole | Blank | None = None
    tags: Annotated[list[Id], Field(max_length=200)] | None = None
    teaching_years_min: Count | None = None
    teaching_years_max: Count | None = None
    age_min: Count | None = None
    age_max: Count | None = None
    mentorship: Mentorship | None = None
    effective_from: date | None = Field(
        None, description="生效日期；新建时不填为今天（此前已结束的周期不考核）"
    )
    points: Annotated[Decimal, Field(ge=0, le=Decimal("9999"))] | None = None
    active: bool | None = None
    kind_caps: Annotated[list[KindCapIn], Field(max_length=10)] | None = Field(
        None, description="计入上限，整体替换；[] 为取消全部上限，不填为不变"
    )


class StandingOut(Schema):
    requirement_id: int
    name: str
    period_start: date
    period_end: date
    due: date
    value: Decimal
    target: Decimal
    status: str = Field(description="met / on_track / behind / missed / not_due / exempt")


class GroupStandingOut(Schema):
    group_id: int
    at: date
    term: str | None
    requirements: list[StandingOut]


NOT_NULL = (
    "name",
    "source_text",
    "owner",
    "source",
    "measure",
    "comparator",
    "threshold",
    "period",
    "deadline",
    "points",
    "active",
)
BLANKABLE = ("owner_group_kind", "owner_role", "inspection_kind", "group_role", "mentorship")


def _require_reader(user) -> None:
    scope = scope_for(user)
    if not (scope.is_admin or scope.read_paths or scope.lead_group_ids):
        raise PermissionDenied(_("只有教科室、学校领导、区教科室和组长可以查看量化要求。"))


def _rows(user):
    return requirements_list(user).prefetch_related("kinds", "groups", "tags", "kind_caps__kind")


def _values(org: Org, payload: RequirementIn) -> dict:
    """The payload as keshi.rules.services takes it (kinds by code, groups and tags by id)."""
    values = payload.dict(exclude_unset=True)
    for field in NOT_NULL:  # null means "leave as it is"
        if field in values and values[field] is None:
            del values[field]
    for field in BLANKABLE:  # null means "none"
        if field in values and values[field] is None:
            values[field] = ""
    errors: dict[str, list[str]] = {}
    if "kinds" in values:
        codes = list(dict.fromkeys(values["kinds"] or []))
        found = {k.code: k for k in kinds_for(org).filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            errors["kinds"] = [_("未知的记录类型：%(k)s。") % {"k": "、".join(unknown)}]
        values["kinds"] = [found[c] for c in codes if c in found]
    if "groups" in values:
        ids = values["groups"] or []
        found = {g.pk: g for g in Group.objects.filter(pk__in=ids, org=org)}
        if len(found) < len(set(ids)):
            errors["groups"] = [_("组不属于本单位。")]
        values["groups"] = list(found.values())
    if "tags" in values:
        values["tags"] = list(Tag.objects.filter(pk__in=values["tags"] or []))
    if "kind_caps" in values:
        caps = values["kind_caps"] or []
        codes = [c["kind"] for c in caps]
        found = {k.code: k for k in kinds_for(org).filter(code__in=codes)}
        unknown = [c for c in dict.fromkeys(codes) if c not in found]
        if unknown:
            errors["kind_caps"] = [_("未知的记录类型：%(k)s。") % {"k": "、".join(unknown)}]
        values["kind_caps"] = [(found[c["kind"]], c["limit"]) for c in caps if c["kind"] in found]
    if errors:
        raise ValidationError(errors)
    return values


@router.get("/requirements", response=list[RequirementOut], summary="量化要求")
@paginate(Pages)
def list_requirements(
    request,
    org: Annotated[SearchText | None, Query(description="单位代码（含下级单位）")] = None,
    owner: Owner | None = None,
    active: bool | None = None,
):
    _require_reader(request.auth)
    rows = _rows(request.auth)
    if org:
        found = visible(request.auth, Org.objects.filter(code=org)).first()
        rows = rows.filter(org__path__startswith=found.path) if found else rows.none()
    if owner:
        rows = rows.filter(owner=owner)
    if active is not None:
        rows = rows.filter(active=active)
    return rows


@router.get("/requirements/{requirement_id}", response=RequirementOut, summary="量化要求详情")
def get_requirement(request, requirement_id: Id):
    _require_reader(request.auth)
    return get_object_or_404(_rows(request.auth), pk=requirement_id)


@router.post("/requirements", response={201: RequirementOut}, summary="新建量化要求（教科室）")
def post_requirement(
    request,
    payload: RequirementIn,
    org: Annotated[SearchText | None, Query(description="单位代码；默认本人所在单位")] = None,
):
    user = request.auth
    if org:
        target = get_object_or_404(visible(user, Org.objects.all()), code=org)
    else:
        target = home_org(user)
        if target is None:
            raise PermissionDenied(_("请用 ?org= 指定单位。"))
    values = _values(target, payload)
    values.setdefault("name", "")
    values.setdefault("kinds", [])
    values.setdefault("effective_from", services.default_effective_from())
    if values.get("threshold") is None:
        raise ValidationError({"threshold": [_("请填写数量。")]})
    created = services.create_requirement(org=target, user=user, **values)
    return HttpStatus(201, get_object_or_404(_rows(user), pk=created.pk))


@router.patch(
    "/requirements/{requirement_id}", response=RequirementOut, summary="修改量化要求（教科室）"
)
def patch_requirement(request, requirement_id: Id, payload: RequirementIn):
    user = request.auth
    requirement = get_object_or_404(
        visible(user, Requirement.objects.select_related("org")), pk=requirement_id
    )
    values = _values(requirement.org, payload)
    services.update_requirement(requirement=requirement, user=user, **values)
    return get_object_or_404(_rows(user), pk=requirement_id)


@router.get(
    "/groups/{group_id}/standing",
    response=GroupStandingOut,
    tags=["groups"],
    summary="本组考核：按组考核的量化要求的本期完成情况",
)
def group_standing(request, group_id: Id):
    user = request.auth
    group = get_object_or_404(visible(user, Group.objects.select_related("org")), pk=group_id)
    if not selectors_groups.may_read_standing(user, group):
        raise PermissionDenied(_("本组考核仅组长、教科室和学校领导可见。"))
    at = timezone.localdate()
    term = current_term(group.org, at)
    tasks = selectors_groups.group_tasks(user, group=group, term=term, at=at) if term else []
    return {
        "group_id": group.pk,
        "at": at,
        "term": str(term) if term else None,
        "requirements": [
            {
                "requirement_id": t.requirement.pk,
                "name": t.requirement.name,
                "period_start": t.cell.period.start,
                "period_end": t.cell.period.end,
                "due": t.cell.due,
                "value": t.cell.value,
                "target": t.cell.target,
                "status": t.cell.status.value,
            }
            for t in tasks
        ],
    }
