"""Pages: the org's DingTalk/WeCom app (office staff), the address-book sync (office staff), a
person's own notice preference, and the 免登 entry."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.integrations import selectors, services
from keshi.integrations.clients import PlatformError, UnknownUser
from keshi.integrations.crypto import SecretUnreadable
from keshi.integrations.forms import IntegrationForm, PreferenceForm
from keshi.integrations.models import Integration, Platform
from keshi.org.models import Org
from keshi.web.params import safe_next


def _managed_org(request) -> tuple[Org, list[Org]]:
    orgs = list(selectors.managed_orgs(request.user))
    if not orgs:
        raise PermissionDenied
    code = request.GET.get("org") or request.POST.get("org")
    if not code:
        return orgs[0], orgs
    for org in orgs:
        if org.code == code:
            return org, orgs
    raise Http404


def _settings_url(org: Org) -> str:
    return f"{reverse('integrations:settings')}?org={org.code}"


def _configured(org: Org) -> Integration:
    integration = selectors.integration_for(org)
    if integration is None:
        raise Http404
    return integration


@login_required
def settings_page(request):
    org, orgs = _managed_org(request)
    integration = selectors.integration_for(org) or Integration(org=org)
    form = IntegrationForm(request.POST or None, instance=integration)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("应用设置已保存。"))
        return redirect(_settings_url(org))
    return render(
        request,
        "integrations/settings.html",
        {
            "org": org,
            "orgs": orgs,
            "form": form,
            "integration": integration if integration.pk else None,
            "sends": selectors.recent_sends(request.user, org),
            "syncs": selectors.recent_syncs(request.user, org),
            "linked": selectors.linked_count(org, integration.platform) if integration.pk else 0,
            "checks": None,
        },
    )


@login_required
@require_POST
def test_connection(request):
    org, orgs = _managed_org(request)
    integration = _configured(org)
    checks = services.test_connection(integration)
    if all(c.ok for c in checks):
        messages.success(request, _("连接正常。"))
    else:
        messages.error(request, _("测试连接失败，见下方各步骤。"))
    return render(
        request,
        "integrations/settings.html",
        {
            "org": org,
            "orgs": orgs,
            "form": IntegrationForm(instance=integration),
            "integration": integration,
            "sends": selectors.recent_sends(request.user, org),
            "syncs": selectors.recent_syncs(request.user, org),
            "linked": selectors.linked_count(org, integration.platform),
            "checks": checks,
        },
    )


@login_required
def sync_page(request):
    """GET: the preview; POST: apply what was previewed."""
    org, _orgs = _managed_org(request)
    integration = _configured(org)
    if request.method == "POST":
        try:
            run = services.apply_sync(
                integration=integration,
                fingerprint=request.POST.get("fingerprint", ""),
                by=request.user,
            )
        except services.SyncChanged as exc:
            messages.error(request, str(exc))
            return redirect(f"{reverse('integrations:sync')}?org={org.code}")
        except (PlatformError, SecretUnreadable) as exc:
            messages.error(request, _("读取通讯录失败，未做任何修改：%(e)s") % {"e": exc})
            return redirect(_settings_url(org))
        if run is None:
            messages.info(request, _("通讯录与本单位一致，没有需要修改的内容。"))
        else:
            messages.success(request, _("通讯录已同步。"))
        return redirect(_settings_url(org))
    try:
        plan = services.preview_sync(integration)
        error = ""
    except (PlatformError, SecretUnreadable) as exc:
        plan, error = None, str(exc)
    return render(
        request,
        "integrations/sync.html",
        {"org": org, "integration": integration, "plan": plan, "error": error},
    )


@login_required
def preference(request):
    accounts = list(selectors.own_accounts(request.user))
    if not accounts:
        raise Http404
    form = PreferenceForm(  # an unticked box posts nothing: bind on POST, not on data
        request.POST if request.method == "POST" else None,
        initial={"receive_notices": accounts[0].receive_notices},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for account in accounts:
                account.receive_notices = form.cleaned_data["receive_notices"]
                account.save(update_fields=["receive_notices"])
        messages.success(request, _("已保存。"))
        return redirect("integrations:preference")
    return render(request, "integrations/preference.html", {"form": form, "accounts": accounts})


def _login_integration(request, platform: str) -> Integration | None:
    code = request.GET.get("org", "")
    qs = Integration.objects.filter(platform=platform, active=True).select_related("org")
    if code:
        return qs.filter(org__code=code).first()
    found = list(qs[:2])
    return found[0] if len(found) == 1 else None


STATE_KEY = "integrations_login_state"
WECOM_OAUTH = "https://open.weixin.qq.com/connect/oauth2/authorize"
WECOM_SSO = "https://login.work.weixin.qq.com/wwlogin/sso/login"


DINGTALK_OAUTH = "https://login.dingtalk.com/oauth2/auth"


def _authorize_url(request, integration: Integration) -> str:
    """Where a login without a code goes first; it comes back here with a code and our
    ``state`` (kept in the session).

    WeCom: inside the app, OAuth2 网页授权 (snsapi_base, silent); ``?scan=1`` from a browser,
    企业微信扫码登录. DingTalk: the new OAuth2 login (login.dingtalk.com), which logs in
    without asking inside the DingTalk client and shows a QR code in a browser; it comes
    back with ``authCode``."""
    state = secrets.token_urlsafe(16)
    request.session[STATE_KEY] = state
    back = f"{request.path}?{urlencode({'org': integration.org.code})}"
    if request.GET.get("next"):
        back += "&" + urlencode({"next": safe_next(request, "/")})
    site = getattr(settings, "KESHI_SITE_URL", "").rstrip("/")
    redirect_uri = f"{site}{back}" if site else request.build_absolute_uri(back)
    if integration.platform == Platform.DINGTALK:
        query = {
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "client_id": integration.app_key,
            "scope": "openid",
            "state": state,
            "prompt": "consent",
        }
        return f"{DINGTALK_OAUTH}?{urlencode(query)}"
    if request.GET.get("scan"):
        query = {
            "login_type": "CorpApp",
            "appid": integration.corp_id,
            "agentid": integration.agent_id,
            "redirect_uri": redirect_uri,
            "state": state,
        }
        return f"{WECOM_SSO}?{urlencode(query)}"
    query = {
        "appid": integration.corp_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": "snsapi_base",
        "state": state,
        "agentid": integration.agent_id,
    }
    return f"{WECOM_OAUTH}?{urlencode(query)}#wechat_redirect"


def platform_login(request, platform: str):
    """免登 and 扫码登录: opened from the workbench with ``?code=`` (and ``?org=`` when several
    orgs use the platform), or back from the platform's OAuth2 login with a code and our state:
    code → userid → person → login. Without a code: off to the OAuth2 login. Anything else is
    a page saying why, never a 200 login (the access matrix checks that anonymous never gets a
    200 page here)."""
    label = Platform(platform).label
    code = request.GET.get("code", "").strip()
    integration = _login_integration(request, platform)

    def refuse(message: str, status: int):
        return render(
            request,
            "integrations/login_refused.html",
            {"platform": label, "message": message},
            status=status,
        )

    if integration is None:
        return refuse(
            _("本系统还没有配置%(p)s应用，或地址中缺少单位代码（?org=）。") % {"p": label}, 404
        )
    auth_code = request.GET.get("authCode", "").strip()  # DingTalk's new OAuth2 login
    if not code and not auth_code:
        return redirect(_authorize_url(request, integration))
    state = request.GET.get("state")
    # A workbench link may carry a bare ``code``; whatever went through OAuth2 carries our state.
    if (state is not None or auth_code) and state != request.session.pop(STATE_KEY, None):
        return refuse(_("登录请求已过期或不是从本站发起的，请重新打开。"), 403)
    try:
        person = services.person_for_code(integration, auth_code or code, oauth=bool(auth_code))
    except UnknownUser:
        return refuse(_("免登授权码无效或已过期，请从%(p)s工作台重新打开。") % {"p": label}, 403)
    except services.LoginRefused as exc:
        return refuse(str(exc), 403)
    except (PlatformError, SecretUnreadable) as exc:
        return refuse(_("暂时无法连接%(p)s：%(e)s") % {"p": label, "e": exc}, 502)
    login(request, person.user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
