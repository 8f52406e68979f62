"""The server APIs of DingTalk (钉钉) and WeCom (企业微信), through ``requests``.

Both platforms answer HTTP 200 with ``{"errcode": 0, ...}`` on success and a non-zero
``errcode`` otherwise. What a client does about it:

* the access token (``gettoken``, valid 7200 s) is kept in the Django cache until shortly
  before it expires, shared by every process; on an expired/invalid-token code it is fetched
  again once and the call repeated;
* on a rate-limit code the call is repeated after :data:`BACKOFF_S` seconds in turn;
* recipients are sent in batches within the documented limits (DingTalk ``userid_list`` ≤ 100
  per ``asyncsend_v2``, WeCom ``touser`` ≤ 1000 per ``message/send``) — batching is the
  caller's (``keshi.integrations.notices``), one call per batch, so that each call is logged.

The base URL comes from ``KESHI_DINGTALK_API`` / ``KESHI_WECOM_API`` and must be on the
outbound allow-list ``KESHI_WEBHOOK_HOSTS``; the tests point it at a local server
(``keshi/integrations/tests/fakeserver.py``) and nothing else changes.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from keshi.notify import webhooks
from keshi.notify.services import webhook_hosts

TIMEOUT_S = 10
BACKOFF_S = (1.0, 4.0, 15.0)
TOKEN_MARGIN_S = 300  # refresh a little before the platform's expiry


class PlatformError(Exception):
    """A failed call, worded for the office: which step, the platform's code and message."""

    def __init__(self, message: str, *, errcode: int | None = None, step: str = "") -> None:
        super().__init__(message)
        self.errcode = errcode
        self.step = step

    def __str__(self) -> str:
        text = super().__str__()
        return f"{self.step}：{text}" if self.step else text


class UnknownUser(PlatformError):
    """The login code names nobody in the org (expired, used twice, or an outside user)."""


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    parent: str | None  # None for the top department (the whole org)


@dataclass(frozen=True)
class Member:
    userid: str
    name: str
    mobile: str
    job_number: str
    dept_ids: tuple[str, ...]
    active: bool = True


@dataclass(frozen=True)
class Card:
    """A work notification: a title, markdown/plain text, and a link into keshi."""

    title: str
    text: str
    markdown: str
    url: str


@dataclass(frozen=True)
class Delivery:
    task_id: str  # DingTalk task_id, WeCom msgid
    invalid: tuple[str, ...] = ()  # recipients the platform reports as unknown/unreachable


class Client:
    platform = ""
    batch_size = 0
    expired_codes: frozenset[int] = frozenset()
    rate_limit_codes: frozenset[int] = frozenset()
    unknown_user_codes: frozenset[int] = frozenset()
    setting = ""
    default_base = ""

    def __init__(
        self,
        *,
        corp_id: str,
        app_key: str,
        secret: str,
        agent_id: str,
        base_url: str | None = None,
        timeout: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.corp_id, self.app_key, self.secret, self.agent_id = corp_id, app_key, secret, agent_id
        self.base_url = (
            base_url or getattr(settings, self.setting, "") or self.default_base
        ).rstrip("/")
        self.timeout = timeout or getattr(settings, "KESHI_WEBHOOK_TIMEOUT", TIMEOUT_S)
        self.sleep = sleep
        self.calls = 0  # HTTP requests made, token requests included (tests count them)

    @classmethod
    def for_integration(cls, integration, **kwargs) -> Client:
        klass = DingTalkClient if integration.platform == "dingtalk" else WeComClient
        return klass(
            corp_id=integration.corp_id,
            app_key=integration.app_key,
            secret=integration.secret,
            agent_id=integration.agent_id,
            **kwargs,
        )

    # ---- HTTP ------------------------------------------------------------------------------

    def _http(
        self, method: str, path: str, *, params=None, json=None, headers=None, step: str
    ) -> dict:
        url = path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"
        try:
            webhooks.check_url(url, webhook_hosts())
        except webhooks.WebhookError as exc:
            raise PlatformError(str(exc), step=step) from exc
        self.calls += 1
        try:
            response = requests.request(
                method,
                url,
                params=params,
                json=json,
                headers=headers,
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.Timeout as exc:
            raise PlatformError(
                _("连接 %(host)s 超时（%(s)s 秒）") % {"host": self.base_url, "s": self.timeout},
                step=step,
            ) from exc
        except requests.RequestException as exc:
            raise PlatformError(
                _("无法连接 %(host)s：%(e)s") % {"host": self.base_url, "e": exc}, step=step
            ) from exc
        if response.status_code != 200:
            raise PlatformError(_refusal(response), errcode=response.status_code, step=step)
        try:
            answer = response.json()
        except ValueError as exc:
            raise PlatformError(
                _("无法解析的应答：%(t)s") % {"t": response.text[:200]}, step=step
            ) from exc
        if not isinstance(answer, dict):
            raise PlatformError(_("无法解析的应答：%(t)s") % {"t": response.text[:200]}, step=step)
        return answer

    def _cache_key(self) -> str:
        ident = hashlib.sha256(
            f"{self.base_url}|{self.corp_id}|{self.app_key}".encode()
        ).hexdigest()
        return f"keshi:integrations:token:{self.platform}:{ident[:32]}"

    def token(self, *, refresh: bool = False) -> str:
        key = self._cache_key()
        if not refresh:
            cached = cache.get(key)
            if cached:
                return cached
        step = _("获取 access_token")
        answer = self._http("GET", self.token_path, params=self.token_params(), step=step)
        code = answer.get("errcode", 0)
        if code != 0 or not answer.get("access_token"):
            raise PlatformError(
                f"errcode {code}: {answer.get('errmsg', '')}{self.hint(code)}",
                errcode=code,
                step=step,
            )
        expires = int(answer.get("expires_in") or 7200)
        cache.set(key, answer["access_token"], max(expires - TOKEN_MARGIN_S, 60))
        return answer["access_token"]

    def call(self, method: str, path: str, *, step: str, params=None, json=None) -> dict:
        """One API call with a valid token: refreshed once on an expired-token code, retried
        after :data:`BACKOFF_S` on a rate-limit code; :class:`PlatformError` otherwise."""
        refreshed = False
        attempt = 0
        while True:
            token = self.token(refresh=refreshed)
            answer = self._http(
                method, path, params={"access_token": token, **(params or {})}, json=json, step=step
            )
            code = answer.get("errcode", 0)
            if code == 0:
                return answer
            if code in self.expired_codes and not refreshed:
                refreshed = True
                continue
            if code in self.rate_limit_codes and attempt < len(BACKOFF_S):
                self.sleep(BACKOFF_S[attempt])
                attempt += 1
                continue
            error = UnknownUser if code in self.unknown_user_codes else PlatformError
            raise error(
                f"errcode {code}: {answer.get('errmsg', '')}{self.hint(code)}",
                errcode=code,
                step=step,
            )

    def hint(self, code: int) -> str:
        hints = {
            **{c: _("（接口调用太频繁，稍后再试）") for c in self.rate_limit_codes},
            **self.hints,
        }
        return hints.get(code, "")

    hints: dict[int, str] = {}
    token_path = ""

    def token_params(self) -> dict:
        raise NotImplementedError

    # ---- what keshi needs ------------------------------------------------------------------

    def user_by_code(self, code: str) -> str:
        raise NotImplementedError

    def send(self, userids: list[str], card: Card) -> Delivery:
        raise NotImplementedError

    def departments(self) -> list[Department]:
        raise NotImplementedError

    def members(self, dept_id: str) -> list[Member]:
        raise NotImplementedError

    def all_members(self, departments: list[Department]) -> list[Member]:
        """Every member once, with every department they are in."""
        found: dict[str, Member] = {}
        for dept in departments:
            for m in self.members(dept.id):
                if m.userid in found:
                    old = found[m.userid]
                    ids = tuple(dict.fromkeys(old.dept_ids + m.dept_ids))
                    m = Member(m.userid, m.name, m.mobile, m.job_number, ids, m.active)
                found[m.userid] = m
        return list(found.values())


def _refusal(response) -> str:
    """An HTTP error as text, with the platform's own message where it sent one (DingTalk's
    new API answers errors as 4xx with ``{"code", "message"}``)."""
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if isinstance(answer, dict) and answer.get("message"):
        return f"HTTP {response.status_code} {answer.get('code', '')}: {answer['message']}"
    return f"HTTP {response.status_code}"


NEW_API = "https://api.dingtalk.com"  # DingTalk's new server API (OAuth2 login)


class DingTalkClient(Client):
    """钉钉企业内部应用（服务端 API，旧版 oapi.dingtalk.com；登录用新版 api.dingtalk.com）."""

    platform = "dingtalk"
    batch_size = 100  # asyncsend_v2: userid_list 最多 100 人
    expired_codes = frozenset({40014, 42001, 88})
    rate_limit_codes = frozenset({90002, 90006, 90018})
    unknown_user_codes = frozenset({40078, 60121})
    setting = "KESHI_DINGTALK_API"
    default_base = "https://oapi.dingtalk.com"
    token_path = "/gettoken"
    root_dept = "1"
    hints = {
        40089: "（AppKey 或 AppSecret 不正确）",
        40078: "（免登授权码无效或已使用）",
        60121: "（找不到该用户）",
        60011: "（应用没有调用该接口的权限，请在开发者后台申请）",
    }

    def token_params(self) -> dict:
        return {"appkey": self.app_key, "appsecret": self.secret}

    def user_by_code(self, code: str) -> str:
        answer = self.call(
            "POST", "/topapi/v2/user/getuserinfo", json={"code": code}, step=_("用免登码取用户")
        )
        userid = (answer.get("result") or {}).get("userid")
        if not userid:
            raise UnknownUser(_("不是本企业的成员"), step=_("用免登码取用户"))
        return userid

    def user_by_oauth_code(self, auth_code: str) -> str:
        """新版 OAuth2 登录（扫码登录；钉钉内打开网页时免登）: authCode → the user's token
        (api.dingtalk.com) → unionId → the userid in this corp (oapi)."""
        step = _("用登录授权码取用户")
        new_api = (getattr(settings, "KESHI_DINGTALK_NEW_API", "") or NEW_API).rstrip("/")
        body = {
            "clientId": self.app_key,
            "clientSecret": self.secret,
            "code": auth_code,
            "grantType": "authorization_code",
        }
        try:
            answer = self._http(
                "POST", f"{new_api}/v1.0/oauth2/userAccessToken", json=body, step=step
            )
        except PlatformError as exc:
            if exc.errcode == 400:  # an authCode unknown, used or expired
                raise UnknownUser(exc.args[0], errcode=400, step=step) from exc  # step once
            raise
        me = self._http(
            "GET",
            f"{new_api}/v1.0/contact/users/me",
            headers={"x-acs-dingtalk-access-token": answer.get("accessToken", "")},
            step=step,
        )
        found = self.call(
            "POST", "/topapi/user/getbyunionid", json={"unionid": me.get("unionId", "")}, step=step
        )
        userid = (found.get("result") or {}).get("userid")
        if not userid:
            raise UnknownUser(_("不是本企业的成员"), step=step)
        return userid

    def send(self, userids: list[str], card: Card) -> Delivery:
        if card.url:
            msg = {
                "msgtype": "action_card",
                "action_card": {
                    "title": card.title,
                    "markdown": webhooks.truncate(card.markdown),
                    "single_title": _("查看详情"),
                    "single_url": card.url,
                },
            }
        else:
            msg = {"msgtype": "markdown", "markdown": {"title": card.title, "text": card.markdown}}
        answer = self.call(
            "POST",
            "/topapi/message/corpconversation/asyncsend_v2",
            json={"agent_id": self.agent_id, "userid_list": ",".join(userids), "msg": msg},
            step=_("发送工作通知"),
        )
        return Delivery(task_id=str(answer.get("task_id", "")))

    def send_result(self, task_id: str) -> tuple[bool, tuple[str, ...]]:
        """(finished, invalid userids) of an asyncsend_v2 task: getsendprogress, then
        getsendresult once it is done. Invalid = unknown, forbidden or failed."""
        body = {"agent_id": self.agent_id, "task_id": int(task_id)}
        progress = self.call(
            "POST",
            "/topapi/message/corpconversation/getsendprogress",
            json=body,
            step=_("查询发送进度"),
        )
        if (progress.get("progress") or {}).get("status") != 2:
            return False, ()
        result = (
            self.call(
                "POST",
                "/topapi/message/corpconversation/getsendresult",
                json=body,
                step=_("查询发送结果"),
            ).get("send_result")
            or {}
        )
        invalid = []
        for name in ("invalid_user_id_list", "forbidden_user_id_list", "failed_user_id_list"):
            invalid += [u for u in result.get(name) or [] if u not in invalid]
        return True, tuple(invalid)

    def departments(self) -> list[Department]:
        found: list[Department] = []
        frontier = [self.root_dept]
        while frontier:
            parent = frontier.pop(0)
            answer = self.call(
                "POST",
                "/topapi/v2/department/listsub",
                json={"dept_id": int(parent)},
                step=_("读取部门列表"),
            )
            for d in answer.get("result") or []:
                dept = Department(str(d["dept_id"]), d["name"], str(d.get("parent_id") or parent))
                found.append(dept)
                frontier.append(dept.id)
        return [Department(self.root_dept, "", None), *found]

    def members(self, dept_id: str) -> list[Member]:
        members, cursor = [], 0
        while True:
            answer = self.call(
                "POST",
                "/topapi/v2/user/list",
                json={"dept_id": int(dept_id), "cursor": cursor, "size": 100},
                step=_("读取部门成员"),
            )
            result = answer.get("result") or {}
            for u in result.get("list") or []:
                members.append(
                    Member(
                        userid=u["userid"],
                        name=u.get("name", ""),
                        mobile=u.get("mobile", "") or "",
                        job_number=u.get("job_number", "") or "",
                        dept_ids=tuple(str(i) for i in u.get("dept_id_list") or [dept_id]),
                        active=u.get("active", True) is not False,
                    )
                )
            if not result.get("has_more"):
                return members
            cursor = result.get("next_cursor")


class WeComClient(Client):
    """企业微信自建应用（qyapi.weixin.qq.com）."""

    platform = "wecom"
    batch_size = 1000  # message/send: touser 最多 1000 人
    expired_codes = frozenset({40014, 42001, 40001})
    rate_limit_codes = frozenset({45009, 45011, 45033})
    unknown_user_codes = frozenset({40029, 60111, 46004})
    setting = "KESHI_WECOM_API"
    default_base = "https://qyapi.weixin.qq.com"
    token_path = "/cgi-bin/gettoken"
    hints = {
        40013: "（企业 ID 不正确）",
        40001: "（Secret 不正确）",
        40029: "（免登授权码无效或已使用）",
        60111: "（找不到该用户）",
        60011: "（应用没有该接口或通讯录的权限，请在管理后台设置可见范围）",
        81013: "（接收人全部无效）",
    }

    def token_params(self) -> dict:
        return {"corpid": self.corp_id, "corpsecret": self.secret}

    def user_by_code(self, code: str) -> str:
        answer = self.call(
            "GET", "/cgi-bin/auth/getuserinfo", params={"code": code}, step=_("用免登码取用户")
        )
        userid = answer.get("userid") or answer.get("UserId")
        if not userid:  # an openid: a WeChat user outside the org
            raise UnknownUser(_("不是本企业的成员"), step=_("用免登码取用户"))
        return userid

    def send(self, userids: list[str], card: Card) -> Delivery:
        if card.url:
            body = {
                "msgtype": "textcard",
                "textcard": {
                    "title": webhooks.truncate(card.title, 128),
                    "description": webhooks.truncate(card.text, 512),
                    "url": card.url,
                    "btntxt": _("查看详情"),
                },
            }
        else:
            body = {"msgtype": "text", "text": {"content": webhooks.truncate(card.text, 2048)}}
        body.update({"touser": "|".join(userids), "agentid": int(self.agent_id)})
        try:
            answer = self.call("POST", "/cgi-bin/message/send", json=body, step=_("发送应用消息"))
        except PlatformError as exc:
            if exc.errcode == 81013:  # every recipient invalid: a delivery to nobody
                return Delivery(task_id="", invalid=tuple(userids))
            raise
        invalid = tuple(u for u in (answer.get("invaliduser") or "").split("|") if u)
        return Delivery(task_id=str(answer.get("msgid", "")), invalid=invalid)

    def departments(self) -> list[Department]:
        answer = self.call("GET", "/cgi-bin/department/list", step=_("读取部门列表"))
        out = []
        for d in answer.get("department") or []:
            parent = str(d.get("parentid") or "")
            out.append(Department(str(d["id"]), d["name"], None if parent in ("", "0") else parent))
        return out

    def members(self, dept_id: str) -> list[Member]:
        answer = self.call(
            "GET", "/cgi-bin/user/list", params={"department_id": dept_id}, step=_("读取部门成员")
        )
        return [
            Member(
                userid=u["userid"],
                name=u.get("name", ""),
                mobile=u.get("mobile", "") or "",
                job_number=u["userid"],  # WeCom has no 工号 field: schools use the 工号 as userid
                dept_ids=tuple(str(i) for i in u.get("department") or [dept_id]),
                active=u.get("status", 1) in (1, 4),  # 1 已激活 4 未激活; 2 已禁用
            )
            for u in answer.get("userlist") or []
        ]
