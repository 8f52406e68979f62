"""API for orgs, groups and people (``/api/v1/orgs``, ``/groups``, ``/people``, ``/me``).

Every queryset goes through :func:`keshi.org.scoping.visible` (read) or ``manageable`` (write);
a row the caller may not see answers 404, exactly like a row that does not exist.
"""

from datetime import date
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status
from pydantic import BeforeValidator, StringConstraints

from keshi.documents.text import strip_control_chars
from keshi.org import selectors
from keshi.org.models import Group, Membership, Mentorship, Org, Person, Tag
from keshi.org.scoping import can_manage_org, manageable, scope_for, visible
from keshi.web.params import MAX_ID

router = Router()

# A larger id is simply "not found" but would overflow the driver (the pages' bound too).
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def _printable(value: object) -> object:
    # Control characters (NUL, which PostgreSQL refuses, and those no export can hold) are
    # dropped before the length and whitespace rules see the text, as the forms do.
    return strip_control_chars(value) if isinstance(value, str) else value


def text(max_length: int, min_length: int = 0):
    """The type of every text an API client sends (body and query): see keshi.documents.text."""
    return Annotated[
        str,
        BeforeValidator(_printable),
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
    ]


SearchText = text(100)
TagName = text(50, min_length=1)
# Plain literals: each TextChoices is called "Kind"/"Role", which would collide in the OpenAPI.
OrgKind = Literal[tuple(Org.Kind.values)]
GroupKind = Literal[tuple(Group.Kind.values)]
MemberRole = Literal[tuple(Membership.Role.values)]
Gender = Literal[tuple(Person.Gender.values)]


class Pages(PageNumberPagination):
    """``?page=1&page_size=50`` (at most 200) → ``{"items": [...], "count": total}``."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int | None = Field(None, ge=1, le=200)

    def __init__(self, **kwargs) -> None:
        super().__init__(page_size=50, max_page_size=200, **kwargs)


# ---------------------------------------------------------------- schemas


class OrgOut(Schema):
    id: int
    code: str
    name: str
    kind: OrgKind
    parent: str | None = Field(None, description="上级单位代码")

    @staticmethod
    def resolve_parent(obj: Org) -> str | None:
        return obj.parent.code if obj.parent_id else None


class GroupOut(Schema):
    id: int
    org: str = Field(description="单位代码")
    name: str
    kind: GroupKind
    parent_id: int | None
    subject: str

    @staticmethod
    def resolve_org(obj: Group) -> str:
        return obj.org.code


class GroupMemberOut(Schema):
    person_id: int
    name: str
    role: MemberRole
    start: date | None
    end: date | None


class GroupDetail(GroupOut):
    members: list[GroupMemberOut] = Field(description="当前成员（仅限调用者可见的人员）")


class PersonOut(Schema):
    id: int
    org: str = Field(description="单位代码")
    staff_no: str
    name: str
    gender: str
    subject: str
    title: str
    position: str
    active: bool
    tags: list[str]

    @staticmethod
    def resolve_org(obj: Person) -> str:
        return obj.org.code

    @staticmethod
    def resolve_tags(obj: Person) -> list[str]:
        return [t.name for t in obj.tags.all()]


class MembershipOut(Schema):
    group_id: int
    group: str
    role: MemberRole
    start: date | None
    end: date | None

    @staticmethod
    def resolve_group(obj: Membership) -> str:
        return obj.group.name


class PersonRef(Schema):
    id: int
    name: str


class MentorshipOut(Schema):
    id: int
    mentor: PersonRef
    mentee: PersonRef
    start: date | None
    end: date | None


class PersonDetail(PersonOut):
    birth_date: date | None
    work_start: date | None
    teaching_start: date | None
    phone: str
    at: date = Field(description="计算周岁与教龄的参考日期")
    age: int | None = Field(description="周岁")
    teaching_years: int | None = Field(description="教龄（整年）")
    memberships: list[MembershipOut]
    mentorships: list[MentorshipOut]

    # ``obj`` is a Person prepared by person_detail().
    @staticmethod
    def resolve_age(obj: Person) -> int | None:
        return obj.age(obj.at)

    @staticmethod
    def resolve_teaching_years(obj: Person) -> int | None:
        return obj.teaching_years(obj.at)

    @staticmethod
    def resolve_memberships(obj: Person) -> list[Membership]:
        return obj.visible_memberships

    @staticmethod
    def resolve_mentorships(obj: Person) -> list[Mentorship]:
        return obj.visible_mentorships


class PersonPatch(Schema):
    phone: text(30) | None = None
    title: text(50) | None = None
    subject: text(50) | None = None
    tags: list[TagName] | None = Field(None, max_length=30)
    active: bool | None = None


class PersonIn(Schema):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "org": "demo",
                    "name": "陈老师",
                    "staff_no": "T2025001",
                    "gender": "F",
                    "birth_date": "1998-03-15",
                    "teaching_start": "2022-09-01",
                    "subject": "语文",
                    "tags": ["新教师"],
                }
            ]
        }
    }

    org: text(40, min_length=1) = Field(description="单位代码")
    name: text(50, min_length=1)
    staff_no: text(40) = ""
    gender: Gender | None = None
    birth_date: date | None = None
    work_start: date | None = None
    teaching_start: date | None = None
    subject: text(50) = ""
    title: text(50) = ""
    position: text(50) = ""
    phone: text(30) = ""
    tags: list[TagName] = Field([], max_length=30)
    active: bool = True


class MeOut(Schema):
    username: str
    roles: list[str] = Field(description="office / leader / district / lead / teacher / admin")
    person: PersonDetail | None


# ---------------------------------------------------------------- reads


@router.get("/orgs", response=list[OrgOut], tags=["orgs"], summary="可见的单位")
def list_orgs(request):
    return visible(request.auth, Org.objects.select_related("parent"))


@router.get("/orgs/{code}", response=OrgOut, tags=["orgs"], summary="单位详情")
def get_org(request, code: SearchText):
    return get_object_or_404(visible(request.auth, Org.objects.select_related("parent")), code=code)


def _visible_org(user, code: str | None) -> Org | None:
    return visible(user, Org.objects.all()).filter(code=code).first() if code else None


@router.get("/groups", response=list[GroupOut], tags=["groups"], summary="可见的组")
@paginate(Pages)
def list_groups(
    request,
    org: Annotated[SearchText | None, Query(description="单位代码（含下级单位）")] = None,
    kind: GroupKind | None = None,
    q: Annotated[SearchText | None, Query(description="名称或学科")] = None,
):
    scope_org = _visible_org(request.auth, org)
    if org and scope_org is None:
        return Group.objects.none()
    return selectors.groups_list(request.auth, q=q or "", kind=kind or "", org=scope_org)


@router.get("/groups/{group_id}", response=GroupDetail, tags=["groups"], summary="组详情与成员")
def get_group(request, group_id: Id):
    group = get_object_or_404(
        visible(request.auth, Group.objects.select_related("org")), pk=group_id
    )
    group.members = [
        GroupMemberOut(
            person_id=m.person_id, name=m.person.name, role=m.role, start=m.start, end=m.end
        )
        for m in selectors.group_members(request.auth, group)
    ]
    return group


def _people(user):
    return visible(user, Person.objects.select_related("org").prefetch_related("tags"))


@router.get("/people", response=list[PersonOut], tags=["people"], summary="可见的人员")
@paginate(Pages)
def list_people(
    request,
    org: Annotated[SearchText | None, Query(description="单位代码（含下级单位）")] = None,
    group: Annotated[int | None, Query(ge=1, le=MAX_ID, description="组 id（含下属组）")] = None,
    q: Annotated[SearchText | None, Query(description="姓名、工号、学科或手机号")] = None,
    active: bool | None = None,
):
    user = request.auth
    scope_org = _visible_org(user, org)
    scope_group = visible(user, Group.objects.all()).filter(pk=group).first() if group else None
    if (org and scope_org is None) or (group and scope_group is None):
        return Person.objects.none()
    return selectors.people_list(user, q=q or "", org=scope_org, group=scope_group, active=active)


def person_detail(user, person: Person, at: date | None = None) -> Person:
    """``person`` annotated for :class:`PersonDetail`: reference date, visible relations."""
    person.at = at or timezone.localdate()
    person.visible_memberships = list(selectors.person_groups(user, person))
    person.visible_mentorships = list(selectors.person_mentorships(user, person))
    return person


@router.get("/people/{person_id}", response=PersonDetail, tags=["people"], summary="人员详情")
def get_person(
    request,
    person_id: Id,
    at: Annotated[date | None, Query(description="参考日期，默认今天")] = None,
):
    person = get_object_or_404(_people(request.auth), pk=person_id)
    return person_detail(request.auth, person, at)


@router.get("/me", response=MeOut, tags=["me"], summary="当前账号")
def me(request):
    user = request.auth
    scope = scope_for(user)
    person = _people(user).filter(pk=scope.person_id).first() if scope.person_id else None
    return {
        "username": user.get_username(),
        "roles": sorted(scope.roles),
        "person": person_detail(user, person) if person else None,
    }


# ---------------------------------------------------------------- writes
# TODO(lead): move update_person/create_person to keshi/org/services.py when it exists.


def _check_dates(person: Person) -> None:
    today = timezone.localdate()
    errors = {
        field: _("日期不能晚于今天。")
        for field in ("birth_date", "work_start", "teaching_start")
        if getattr(person, field) and getattr(person, field) > today
    }
    if errors:
        raise ValidationError(errors)


def _set_tags(person: Person, names: list[str]) -> None:
    person.tags.set([Tag.objects.get_or_create(name=n)[0] for n in dict.fromkeys(names)])


@transaction.atomic
def update_person(*, user, person: Person, changes: dict) -> Person:
    """Office staff change any offered field; a teacher may change only their own phone."""
    if not manageable(user, Person.objects.filter(pk=person.pk)).exists():
        if person.pk != scope_for(user).person_id:
            raise PermissionDenied(_("没有修改该人员的权限。"))
        if set(changes) - {"phone"}:
            raise PermissionDenied(_("教师只能修改自己的手机号。"))
    tags = changes.pop("tags", None)
    for field, value in changes.items():
        setattr(person, field, value)
    person.full_clean()
    person.save()
    if tags is not None:
        _set_tags(person, tags)
    return person


@transaction.atomic
def create_person(*, user, data: dict) -> Person:
    org = visible(user, Org.objects.all()).filter(code=data.pop("org")).first()
    if org is None or not can_manage_org(user, org):
        raise PermissionDenied(_("没有在该单位添加人员的权限。"))
    tags = data.pop("tags", [])
    data["gender"] = data.get("gender") or ""
    person = Person(org=org, **data)
    _check_dates(person)
    if person.staff_no and Person.objects.filter(org=org, staff_no=person.staff_no).exists():
        raise ValidationError({"staff_no": _("本单位已有工号 %(no)s。") % {"no": person.staff_no}})
    person.full_clean()
    person.save()
    _set_tags(person, tags)
    return person


@router.patch("/people/{person_id}", response=PersonDetail, tags=["people"], summary="修改人员")
def patch_person(request, person_id: Id, payload: PersonPatch):
    person = get_object_or_404(_people(request.auth), pk=person_id)
    # null means "leave as is", like an absent field.
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    update_person(user=request.auth, person=person, changes=changes)
    return person_detail(request.auth, _people(request.auth).get(pk=person.pk))


@router.post("/people", response={201: PersonDetail}, tags=["people"], summary="新增人员")
def post_person(request, payload: PersonIn):
    person = create_person(user=request.auth, data=payload.dict())
    return Status(201, person_detail(request.auth, _people(request.auth).get(pk=person.pk)))
