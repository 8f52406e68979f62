"""Logins for the people on the roster: open, reset, disable, enable; credential sheets.

A login's username comes from the person (``KESHI_LOGIN_USERNAME``: ``staff_no`` — the 工号, the
default —, ``org_staff_no`` — 单位代码-工号, for a district whose schools reuse numbers — or
``phone``). A new login gets a random initial password that must be changed at the first login
(keshi.accounts.middleware); an existing account with that username and no person is linked
instead, its password untouched. Opening is all-or-nothing: a person who cannot get a login
(no 工号, a username taken by someone else) stops the whole batch with every such person named.

Initial passwords exist only in the return value: the page keeps them in the office user's
session until the sheet is downloaded, and the command writes them to the file it is given.
Every action is a ``LoginEvent`` (who did what to whose login, when).
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from keshi.accounts.models import LoginEvent
from keshi.documents import xlsx
from keshi.documents.docx import DocBuilder
from keshi.org.models import Org, Person
from keshi.org.roster import RowError
from keshi.org.scoping import can_manage_org
from keshi.org.services import ImportReport, import_roster

Action = LoginEvent.Action
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off a paper slip


@dataclass(frozen=True)
class Credential:
    person_id: int
    name: str
    staff_no: str
    username: str
    password: str | None  # None: an existing account was linked, its password unchanged

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def initial_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(10))


def username_for(person: Person, scheme: str | None = None) -> str:
    scheme = scheme or settings.KESHI_LOGIN_USERNAME
    if scheme == "phone":
        return person.phone.strip()
    if scheme == "org_staff_no":
        return f"{person.org.code}-{person.staff_no}" if person.staff_no else ""
    return person.staff_no.strip()


def _check(by, org: Org) -> None:
    if by is not None and not can_manage_org(by, org):  # None: the command line
        raise PermissionDenied


def _log(user, person: Person, action: str, by) -> None:
    LoginEvent.objects.create(user=user, person=person, org=person.org, action=action, by=by)


@transaction.atomic
def open_logins(*, by, org: Org, people: Iterable[Person] | None = None) -> list[Credential]:
    """A login for each active person of ``org`` (or of ``people``) who has none."""
    _check(by, org)
    if people is None:
        people = Person.objects.filter(org=org, active=True, user__isnull=True)
    people = [p for p in people if p.user_id is None and p.org_id == org.pk]
    User = get_user_model()
    wanted = {p.pk: username_for(p) for p in people}
    taken = {
        u.username: u
        for u in User.objects.filter(username__in=[n for n in wanted.values() if n]).select_related(
            "person"
        )
    }
    errors, seen = [], {}
    for p in people:
        name = wanted[p.pk]
        holder = getattr(taken.get(name), "person", None)
        if not name:
            errors.append(_("%(person)s没有工号（或手机号），无法生成账号") % {"person": p.name})
        elif name in seen:
            errors.append(
                _("%(a)s与%(b)s的账号都会是“%(n)s”") % {"a": seen[name], "b": p.name, "n": name}
            )
        elif holder is not None:
            errors.append(
                _("账号“%(n)s”已属于%(holder)s（%(person)s）")
                % {"n": name, "holder": holder.name, "person": p.name}
            )
        seen.setdefault(name, p.name)
    if errors:
        raise ValidationError(errors)
    made = []
    for p in people:
        user = taken.get(wanted[p.pk])
        password = None
        if user is None:
            password = initial_password()
            user = User(username=wanted[p.pk], last_name=p.name)
            user.set_password(password)
            user.save()
        p.user = user
        p.save(update_fields=["user"])
        _log(user, p, Action.CREATED if password else Action.LINKED, by)
        made.append(Credential(p.pk, p.name, p.staff_no, user.username, password))
    return made


@transaction.atomic
def reset_password(*, by, person: Person) -> Credential:
    """A new initial password, to be changed at the next login; other sessions end with it."""
    _check(by, person.org)
    if person.user is None:
        raise ValidationError(_("%(person)s还没有账号") % {"person": person.name})
    password = initial_password()
    person.user.set_password(password)
    person.user.save(update_fields=["password"])
    _log(person.user, person, Action.RESET, by)
    return Credential(person.pk, person.name, person.staff_no, person.user.username, password)


@transaction.atomic
def set_login_active(*, by, person: Person, active: bool) -> None:
    """Disable (or enable again) the login of someone who left: their records stay."""
    _check(by, person.org)
    if person.user is None:
        raise ValidationError(_("%(person)s还没有账号") % {"person": person.name})
    if by is not None and person.user_id == by.pk and not active:
        raise ValidationError(_("不能停用自己的账号"))
    person.user.is_active = active
    person.user.save(update_fields=["is_active"])
    _log(person.user, person, Action.ENABLED if active else Action.DISABLED, by)


def import_roster_with_logins(
    *, by, org: Org, filename: str, data: bytes, create_groups: bool = False
) -> tuple[ImportReport, list[Credential]]:
    """The roster, then a login for everyone on it who has none: one transaction, so a person
    who cannot get a login leaves the roster unimported too (the reasons are its errors)."""
    with transaction.atomic():
        report = import_roster(
            org=org, filename=filename, data=data, create_groups=create_groups, user=by
        )
        if not report.written:
            return report, []
        numbers = [r.staff_no for r in report.rows if r.staff_no]
        people = Person.objects.filter(org=org, active=True, user__isnull=True)
        try:
            made = open_logins(by=by, org=org, people=people.filter(staff_no__in=numbers))
        except ValidationError as e:
            transaction.set_rollback(True)
            report.errors = [RowError(None, _("登录账号"), m) for m in e.messages]
            report.written = False
            return report, []
    return report, made


def record_password_change(user) -> None:
    person = Person.objects.filter(user=user).select_related("org").first()
    if person is not None:
        _log(user, person, Action.CHANGED, user)


def login_url() -> str:
    return f"{(settings.KESHI_SITE_URL or 'http://127.0.0.1:8000').rstrip('/')}/accounts/login/"


def credentials_xlsx(credentials: list[Credential], org: Org) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "账号"
    xlsx.append(sheet, [f"{org.name} 登录账号（初始密码首次登录后须修改）"])
    xlsx.append(sheet, ["姓名", "工号", "账号", "初始密码", "登录地址"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for c in credentials:
        password = c.password or "（沿用原密码）"
        xlsx.append(sheet, [c.name, c.staff_no, c.username, password, login_url()])
    for letter, width in zip("ABCDE", (10, 12, 16, 14, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    return xlsx.to_bytes(workbook)


def credentials_docx(credentials: list[Credential], org: Org) -> bytes:
    """One slip per person to cut out and hand over, with a QR code to the login page."""
    qr = io.BytesIO()
    segno.make(login_url(), error="m").save(qr, kind="png", scale=6, border=2)
    doc = DocBuilder()
    doc.title(f"{org.name} 登录账号", "首次登录后须修改初始密码；请妥善保管，勿转交他人")
    for c in credentials:
        doc.paragraph(f"{c.name}（工号 {c.staff_no or '—'}）", bold=True, indent=False)
        doc.paragraph(
            f"账号：{c.username}　　初始密码：{c.password or '（沿用原密码）'}", indent=False
        )
        doc.paragraph(f"登录地址：{login_url()}", indent=False)
        doc.picture(qr.getvalue(), width_cm=3.0)
        doc.paragraph(
            indent=False, text="✂ - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -"
        )
    return doc.to_bytes()
