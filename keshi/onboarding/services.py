"""The first run: an empty database becomes one org with its office admin and its school year
(a hospital: its 年度, the calendar year holding today, one term covering it).

Used by ``keshi setup`` and by the first-run page; both refuse once any org exists, so the page
cannot be used to plant a second tenant or a second admin later. No superuser is created: the
admin is office staff (科室管理员) of the new org, like every other office account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.accounts.models import RoleGrant
from keshi.calendar.models import SchoolYear
from keshi.calendar.services import create_school_year, year_of
from keshi.org.models import Org

KINDS = (Org.Kind.SCHOOL, Org.Kind.DISTRICT, Org.Kind.HOSPITAL, Org.Kind.KINDERGARTEN)


@dataclass(frozen=True)
class FirstRun:
    org: Org
    admin: object  # the User
    school_year: SchoolYear


def is_set_up() -> bool:
    return Org.objects.exists()


def school_year_of(day: date) -> int:
    """The start year of the 学年 (1 September – 31 August) that contains ``day``."""
    return day.year if day.month >= 9 else day.year - 1


@transaction.atomic
def set_up(
    *,
    kind: str,
    name: str,
    code: str,
    admin_username: str,
    password: str,
    admin_name: str = "",
    start_year: int | None = None,
) -> FirstRun:
    """Raises ``ValidationError`` keyed by field (Chinese messages); writes nothing then."""
    if is_set_up():
        raise ValidationError(_("系统已完成初始设置（已有单位）。请用已有的管理员账号登录。"))
    if kind not in KINDS:
        raise ValidationError({"kind": _("单位类型只能是学校、幼儿园、区教科室或医院。")})
    org = Org(kind=kind, name=name.strip(), code=code.strip())
    org.full_clean()
    admin = _admin(admin_username.strip(), password, admin_name.strip())
    org.save()
    admin.save()
    RoleGrant.objects.create(user=admin, org=org, role=RoleGrant.Role.OFFICE)
    year = create_school_year(org=org, start_year=start_year or year_of(org, timezone.localdate()))
    return FirstRun(org=org, admin=admin, school_year=year)


def _admin(username: str, password: str, full_name: str):
    User = get_user_model()
    user = User(username=username, last_name=full_name)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as e:
        messages = e.message_dict.get("username", e.messages)
        raise ValidationError({"admin_username": messages}) from None
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise ValidationError({"password": e.messages}) from None
    user.set_password(password)
    return user
