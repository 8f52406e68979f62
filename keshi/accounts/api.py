"""API for role grants (``/api/v1/role-grants``): what the 角色授权 page does, for scripts.

Only office staff see and change grants, of the orgs they manage; another org's grant is 404.
"""

from datetime import date
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from keshi.accounts import grants
from keshi.accounts.models import RoleGrant
from keshi.org.api import MAX_ID, Id, Pages, SearchText
from keshi.org.models import Org, Person
from keshi.org.scoping import manageable

router = Router(tags=["role-grants"])
GrantRole = Literal[tuple(RoleGrant.Role.values)]


class RoleGrantOut(Schema):
    id: int
    username: str = Field(description="账号")
    person_id: int | None = Field(description="账号关联的人员 id")
    org: str = Field(description="单位代码")
    role: GrantRole
    start: date | None
    end: date | None
    in_force: bool = Field(description="今天是否生效")

    @staticmethod
    def resolve_username(obj: RoleGrant) -> str:
        return obj.user.username

    @staticmethod
    def resolve_person_id(obj: RoleGrant) -> int | None:
        person = getattr(obj.user, "person", None)
        return person.pk if person else None

    @staticmethod
    def resolve_org(obj: RoleGrant) -> str:
        return obj.org.code


class RoleGrantIn(Schema):
    org: SearchText = Field(description="单位代码")
    person_id: int = Field(ge=1, le=MAX_ID)
    role: GrantRole
    start: date | None = None
    end: date | None = None


def _grants(user):
    return manageable(user, RoleGrant.every.select_related("user__person", "org"))


@router.get("/role-grants", response=list[RoleGrantOut], summary="可管理的角色授权")
@paginate(Pages)
def list_grants(
    request,
    org: Annotated[SearchText | None, Query(description="单位代码")] = None,
    in_force: Annotated[bool | None, Query(description="只看今天生效的")] = None,
):
    rows = _grants(request.auth)
    if org:
        rows = rows.filter(org__code=org)
    if in_force:
        rows = rows.filter(pk__in=RoleGrant.objects.values("pk"))
    return rows.order_by("org__path", "role", "user__username", "pk")


@router.post("/role-grants", response={201: RoleGrantOut}, summary="授予角色")
def post_grant(request, payload: RoleGrantIn):
    user = request.auth
    org = get_object_or_404(manageable(user, Org.objects.all()), code=payload.org)
    person = get_object_or_404(manageable(user, Person.objects.all()), pk=payload.person_id)
    grant = grants.grant_role(
        by=user, org=org, person=person, role=payload.role, start=payload.start, end=payload.end
    )
    return Status(201, grant)


@router.post(
    "/role-grants/{grant_id}/revoke",
    response={200: RoleGrantOut, 204: None},
    summary="撤销角色（204：尚未生效的授权被删除）",
)
def revoke_grant(request, grant_id: Id):
    grant = get_object_or_404(_grants(request.auth), pk=grant_id)
    ended = grants.revoke_role(by=request.auth, grant=grant)
    return Status(204, None) if ended is None else ended
