"""Granting and revoking roles, by office staff, without /admin/.

Office staff of an org grant 科室管理员 and 学校领导（只读） on their org or an org below it, and
区级 on a district office; the person must belong to that org's tree and have a login. A grant
outside the orgs one manages is refused (``PermissionDenied``). 教研组长/备课组长 are not grants:
they are the lead roles of a group membership (:func:`set_group_role`).

Revoking ends a grant yesterday, so it stops at once and stays in the list and its history; a
grant that had not started yet is deleted (its history keeps it). Nobody revokes their own
科室管理员 role: another admin must, so an org cannot lock itself out by a slip.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.accounts.models import RoleGrant
from keshi.org.models import Group, Membership, Org, Person
from keshi.org.scoping import can_manage_org

Role = RoleGrant.Role


def grantable_roles(user, org: Org) -> list[str]:
    if not can_manage_org(user, org):
        return []
    roles = [Role.OFFICE, Role.LEADER]
    if org.kind == Org.Kind.DISTRICT:
        roles.append(Role.DISTRICT)
    return roles


def _check_dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise ValidationError({"end": _("结束日期早于起始日期。")})


@transaction.atomic
def grant_role(
    *,
    by,
    org: Org,
    person: Person,
    role: str,
    start: date | None = None,
    end: date | None = None,
) -> RoleGrant:
    """Grant ``role`` on ``org`` to ``person``'s login, or change the dates of that grant."""
    if not can_manage_org(by, org):
        raise PermissionDenied
    if role not in grantable_roles(by, org):
        raise ValidationError(
            {"role": _("该单位不能授予“%(role)s”。") % {"role": Role(role).label}}
        )
    if not person.org.path.startswith(org.path):
        raise ValidationError(
            {"person": _("%(name)s不属于%(org)s。") % {"name": person, "org": org}}
        )
    if person.user_id is None:
        raise ValidationError({"person": _("%(name)s还没有登录账号。") % {"name": person}})
    _check_dates(start, end)
    grant, _created = RoleGrant.every.get_or_create(user=person.user, org=org, role=role)
    grant.start, grant.end = start, end
    grant.save()
    return grant


@transaction.atomic
def revoke_role(*, by, grant: RoleGrant, today: date | None = None) -> RoleGrant | None:
    """End ``grant`` yesterday; ``None`` when it had not started and was deleted."""
    if not can_manage_org(by, grant.org):
        raise PermissionDenied
    if grant.user_id == by.pk and grant.role == Role.OFFICE:
        raise ValidationError(_("不能撤销自己的科室管理员角色，请由另一位管理员操作。"))
    yesterday = (today or timezone.localdate()) - timedelta(days=1)
    if grant.start and grant.start > yesterday:
        grant.delete()
        return None
    if grant.end is None or grant.end > yesterday:
        grant.end = yesterday
        grant.save(update_fields=["end"])
    return grant


@transaction.atomic
def set_group_role(
    *, by, group: Group, person: Person, role: str, start: date | None = None
) -> Membership:
    """Make ``person`` 组长, 副组长 or a plain member of ``group`` from ``start`` (default today).

    The current membership changes role in place when it began on or after ``start`` (a
    correction); otherwise it ends the day before and a new one begins, so the history shows
    who led the group when.
    """
    if not can_manage_org(by, group.org):
        raise PermissionDenied
    if person.org_id != group.org_id:
        raise ValidationError(
            {"person": _("%(name)s不属于%(org)s。") % {"name": person, "org": group.org}}
        )
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("角色不正确。")})
    start = start or timezone.localdate()
    current = Membership.objects.current(start).filter(group=group, person=person).first()
    if current is not None and current.role == role:
        return current
    if current is not None and (current.start is None or current.start < start):
        current.end = start - timedelta(days=1)
        current.save(update_fields=["end"])
        current = None
    if current is None:
        return Membership.objects.create(group=group, person=person, role=role, start=start)
    current.role = role
    current.save(update_fields=["role"])
    return current
