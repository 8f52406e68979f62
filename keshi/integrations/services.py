"""Writes of the integrations app: the org's app settings, 测试连接, the address-book sync and
the 免登 login."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.integrations import sync
from keshi.integrations.clients import Client, PlatformError
from keshi.integrations.crypto import SecretUnreadable
from keshi.integrations.models import DepartmentLink, Integration, PlatformAccount, SyncRun
from keshi.org.models import Group, Membership, Org, Person


@dataclass(frozen=True)
class Check:
    step: str
    ok: bool
    detail: str


def test_connection(integration: Integration) -> list[Check]:
    """Each step of what keshi will do with the app, and exactly where it failed: the stored
    secret, the outbound allow-list and the token, then the address book (权限)."""
    checks: list[Check] = []
    try:
        client = Client.for_integration(integration)
    except SecretUnreadable as exc:
        return [Check(_("读取已保存的密钥"), False, str(exc))]
    try:
        client.token(refresh=True)
    except PlatformError as exc:
        return [Check(exc.step or _("获取 access_token"), False, str(exc))]
    checks.append(Check(_("获取 access_token"), True, _("成功")))
    try:
        departments = client.departments()
        checks.append(
            Check(_("读取部门列表"), True, _("%(n)d 个部门") % {"n": len(departments) - 1})
        )
        root = next((d for d in departments if d.parent is None), None)
        if root is not None:
            members = client.members(root.id)
            checks.append(
                Check(_("读取部门成员"), True, _("顶级部门 %(n)d 人") % {"n": len(members)})
            )
    except PlatformError as exc:
        checks.append(Check(exc.step, False, str(exc)))
    return checks


# ---- address-book sync ---------------------------------------------------------------------


def _local(org: Org, platform: str) -> sync.Local:
    links = {
        link.dept_id: (link.group_id, link.group.name)
        for link in DepartmentLink.objects.filter(org=org, platform=platform).select_related(
            "group"
        )
    }
    people = [
        sync.LocalPerson(p.pk, p.name, p.staff_no, p.phone, p.active)
        for p in Person.objects.filter(org=org)
    ]
    return sync.Local(
        links=links,
        groups=dict(Group.objects.filter(org=org).values_list("name", "pk")),
        accounts=dict(
            PlatformAccount.objects.filter(org=org, platform=platform).values_list(
                "userid", "person_id"
            )
        ),
        people=people,
        memberships=set(
            Membership.objects.current().filter(group__org=org).values_list("person_id", "group_id")
        ),
    )


def preview_sync(integration: Integration) -> sync.Plan:
    """Read the platform's address book and compare; writes nothing. PlatformError when the
    platform cannot be read."""
    client = Client.for_integration(integration)
    departments = client.departments()
    members = client.all_members(departments)
    return sync.plan(
        departments,
        members,
        _local(integration.org, integration.platform),
        match_by=integration.match_by,
    )


class SyncChanged(Exception):
    pass


def apply_sync(*, integration: Integration, fingerprint: str, by) -> SyncRun | None:
    """Apply the previewed plan, all or nothing. The address book is read again inside the
    transaction; when it differs from the preview (``fingerprint``) nothing is written and
    :class:`SyncChanged` asks for a new preview. None when there was nothing to change."""
    org, platform = integration.org, integration.platform
    with transaction.atomic():
        Org.objects.select_for_update().filter(pk=org.pk).first()  # one sync at a time
        plan = preview_sync(integration)
        if plan.fingerprint() != fingerprint:
            raise SyncChanged(_("通讯录在预览之后有变化，请重新预览后再确认。"))
        if plan.errors:
            raise SyncChanged(_("通讯录有需要先核对的问题，未做任何修改。"))
        if plan.is_empty:
            return None
        _apply(org, platform, plan, by)
        return SyncRun.objects.create(org=org, platform=platform, by=by, summary=plan.counts())


def _apply(org: Org, platform: str, plan: sync.Plan, by) -> None:
    reason = _("%(p)s通讯录同步") % {
        "p": dict(PlatformAccount._meta.get_field("platform").choices)[platform]
    }

    def stamp(instance):
        instance._history_user = by
        instance._change_reason = reason
        return instance

    groups: dict[str, Group] = {}
    for item in plan.groups_linked:
        groups[item["dept"]] = Group.objects.get(pk=item["group"], org=org)
        stamp(
            DepartmentLink(
                org=org, platform=platform, dept_id=item["dept"], group=groups[item["dept"]]
            )
        ).save()
    for item in plan.groups_renamed:
        group = stamp(Group.objects.get(pk=item["group"], org=org))
        group.name = item["new"]
        group.save(update_fields=["name"])
        groups[item["dept"]] = group
    for item in plan.groups_new:  # parents come first: the platform lists them top-down
        parent = groups.get(item["parent"]) if item["parent"] else None
        if parent is None and item["parent"]:
            link = DepartmentLink.objects.filter(
                org=org, platform=platform, dept_id=item["parent"]
            ).first()
            parent = link.group if link else None
        group = stamp(Group(org=org, name=item["name"], kind=Group.Kind.DEPARTMENT, parent=parent))
        group.save()
        stamp(DepartmentLink(org=org, platform=platform, dept_id=item["dept"], group=group)).save()
        groups[item["dept"]] = group
    people: dict[str, Person] = {}
    for item in plan.people_new:
        person = stamp(
            Person(org=org, name=item["name"], staff_no=item["staff_no"], phone=item["phone"])
        )
        person.save()
        people[item["userid"]] = person
        stamp(
            PlatformAccount(org=org, person=person, platform=platform, userid=item["userid"])
        ).save()
    for item in plan.people_linked:
        person = Person.objects.get(pk=item["person"], org=org)
        people[item["userid"]] = person
        stamp(
            PlatformAccount(org=org, person=person, platform=platform, userid=item["userid"])
        ).save()
    for item in plan.people_changed:
        person = stamp(people.get(item["userid"]) or Person.objects.get(pk=item["person"], org=org))
        for name, (_old, new) in item["changes"].items():
            setattr(person, name, new)
        person.save()
        people[item["userid"]] = person
    today = timezone.localdate()
    for item in plan.memberships_new:
        person = people.get(item["userid"]) or Person.objects.get(
            org=org, platform_accounts__platform=platform, platform_accounts__userid=item["userid"]
        )
        group = (
            groups.get(item["dept"])
            or DepartmentLink.objects.get(org=org, platform=platform, dept_id=item["dept"]).group
        )
        stamp(Membership(person=person, group=group, start=today)).save()
    for item in plan.people_left:
        person = stamp(Person.objects.get(pk=item["person"], org=org))
        person.active = False
        person.save(update_fields=["active"])


# ---- 免登 ----------------------------------------------------------------------------------


class LoginRefused(Exception):
    """Why the platform user cannot log in, worded for them."""


def person_for_code(integration: Integration, code: str, *, oauth: bool = False) -> Person:
    """The person behind a 免登 code (``oauth``: a code of DingTalk's new OAuth2 login):
    code → platform userid → the synced account."""
    client = Client.for_integration(integration)
    userid = client.user_by_oauth_code(code) if oauth else client.user_by_code(code)
    account = (
        PlatformAccount.objects.filter(
            org=integration.org, platform=integration.platform, userid=userid
        )
        .select_related("person__user")
        .first()
    )
    if account is None or not account.person.active:
        raise LoginRefused(
            _("你的%(p)s账号（%(u)s）还没有对应到本单位的人员。请联系教科室同步通讯录。")
            % {"p": integration.get_platform_display(), "u": userid}
        )
    person = account.person
    if person.user is None or not person.user.is_active:
        raise LoginRefused(
            _("“%(name)s”还没有开通登录账号（或已停用）。请联系教科室在“登录账号”中开通。")
            % {"name": person.name}
        )
    return person
