"""账号 pages: who has a login, open logins for the roster, reset, disable; the credential
sheets. Office staff only (keshi.accounts.logins checks each action again)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, OuterRef, Subquery, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.accounts import logins
from keshi.accounts.filters import LoginFilter
from keshi.accounts.models import LoginEvent
from keshi.documents.http import DOCX, XLSX, download
from keshi.org.models import Org, Person
from keshi.org.scoping import manageable
from keshi.web.params import query_id

CREDENTIALS = "keshi_credentials"
PAGE_SIZE = 25


def _orgs(user):
    orgs = manageable(user, Org.objects.all()).order_by("path")
    if not orgs:
        raise PermissionDenied
    return orgs


def _people(user):
    """Active people with ``initial``: is their login's latest event an initial password
    (what ``must_change_password`` asks of one user)?"""
    last = LoginEvent.objects.filter(user=OuterRef("user")).values("action")[:1]
    return (
        manageable(user, Person.objects.filter(active=True).select_related("org", "user"))
        .annotate(last_action=Subquery(last))
        .annotate(
            initial=Case(
                When(last_action__in=LoginEvent.INITIAL_PASSWORD, then=True), default=False
            )
        )
    )


def _state(person) -> str:
    if person.user is None:
        return "none"
    if not person.user.is_active:
        return "disabled"
    return "initial" if person.initial else "active"


@login_required
def login_list(request):
    orgs = _orgs(request.user)
    filters = LoginFilter(request.GET, queryset=_people(request.user))
    page = Paginator(filters.qs.order_by("org__path", "name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for p in page:
        p.login_state = _state(p)
    without = manageable(request.user, Person.objects.filter(active=True, user__isnull=True))
    return render(
        request,
        "accounts/logins.html",
        {
            "page": page,
            "orgs": orgs,
            "filters": filters,
            "without": without.count(),
            "scheme": _scheme_label(),
        },
    )


def _scheme_label() -> str:
    return {"phone": _("手机号"), "org_staff_no": _("单位代码-工号")}.get(
        settings.KESHI_LOGIN_USERNAME, _("工号")
    )


def keep_credentials(request, org: Org, credentials: list[logins.Credential]) -> None:
    request.session[CREDENTIALS] = {"org": org.pk, "items": [c.as_dict() for c in credentials]}


@login_required
@require_POST
def login_open(request):
    org = get_object_or_404(_orgs(request.user), pk=query_id(request, "org"))
    try:
        made = logins.open_logins(by=request.user, org=org)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
        messages.error(request, _("未开通任何账号。请补全上述人员的工号后重试。"))
        return redirect("logins:list")
    if not made:
        messages.info(request, _("%(org)s的在职人员都已有账号。") % {"org": org.name})
        return redirect("logins:list")
    keep_credentials(request, org, made)
    return redirect("logins:credentials")


def _person(request, pk: int) -> Person:
    return get_object_or_404(_people(request.user), pk=pk)


@login_required
@require_POST
def login_reset(request, pk: int):
    person = _person(request, pk)
    try:
        credential = logins.reset_password(by=request.user, person=person)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
        return redirect("logins:list")
    keep_credentials(request, person.org, [credential])
    return redirect("logins:credentials")


@login_required
@require_POST
def login_active(request, pk: int):
    person = _person(request, pk)
    active = request.POST.get("active") == "1"
    try:
        logins.set_login_active(by=request.user, person=person, active=active)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        done = _("已启用%(name)s的账号。") if active else _("已停用%(name)s的账号，记录保留。")
        messages.success(request, done % {"name": person.name})
    return redirect("logins:list")


def _kept(request) -> tuple[Org, list[logins.Credential]]:
    kept = request.session.get(CREDENTIALS)
    if not kept:
        return None, []
    org = get_object_or_404(_orgs(request.user), pk=kept["org"])
    return org, [logins.Credential(**c) for c in kept["items"]]


@login_required
def credentials(request):
    if request.method == "POST":  # 完成: the initial passwords leave the session
        request.session.pop(CREDENTIALS, None)
        return redirect("logins:list")
    org, items = _kept(request)
    return render(request, "accounts/credentials.html", {"org": org, "items": items})


@login_required
def credentials_file(request, kind: str):
    org, items = _kept(request)
    if not items:
        messages.info(request, _("初始密码已清除；需要时请重置密码。"))
        return redirect("logins:list")
    if kind == "xlsx":
        return download(logins.credentials_xlsx(items, org), f"{org.name}-账号.xlsx", XLSX)
    return download(logins.credentials_docx(items, org), f"{org.name}-账号条.docx", DOCX)
