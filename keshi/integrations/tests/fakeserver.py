"""A local stand-in for the DingTalk and WeCom server APIs (http.server on 127.0.0.1, random
port), implementing the endpoints keshi calls with their documented answers and error codes.
The real client code runs against it unchanged: only ``KESHI_DINGTALK_API`` /
``KESHI_WECOM_API`` point here (and the address is put on ``KESHI_WEBHOOK_HOSTS``).

Failure switches, each for the next N calls of a path (``fail(path, kind, times=1)``):
``expired`` (DingTalk 42001 / WeCom 42001), ``ratelimit`` (DingTalk 90018 / WeCom 45009),
``timeout`` (answers after the client gave up). Unknown login codes and unknown users answer
the platforms' own codes (40078 / 40029, 60121 / 60111); recipients listed in ``invalid``
come back as DingTalk ``invalid_user_id_list`` / WeCom ``invaliduser`` (partial delivery).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

DINGTALK_SECRET = ("dingkey", "dingsecret")
WECOM_SECRET = ("wwcorp", "wecomsecret")
EXPIRED = {"dingtalk": 42001, "wecom": 42001}
RATE_LIMIT = {"dingtalk": 90018, "wecom": 45009}


@dataclass
class User:
    userid: str
    name: str
    mobile: str = ""
    job_number: str = ""
    depts: tuple[int, ...] = (1,)


@dataclass
class State:
    departments: dict[int, tuple[str, int]] = field(default_factory=dict)  # id → (name, parent)
    users: dict[str, User] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)  # login code → userid
    oauth_codes: dict[str, str] = field(default_factory=dict)  # new OAuth2 authCode → userid
    invalid: set[str] = field(default_factory=set)  # recipients the platform cannot reach
    tokens: set[str] = field(default_factory=set)
    failures: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    calls: list[tuple[str, dict]] = field(default_factory=list)  # (path, body or query)
    tasks: dict[int, list[str]] = field(default_factory=dict)  # DingTalk task → recipients
    sent: list[tuple[str, list[str], dict]] = field(default_factory=list)  # (platform, to, msg)
    delay_s: float = 3.0  # how long a "timeout" answer takes
    pending_polls: int = 0  # getsendprogress answers "still sending" this many times first


class FakePlatforms:
    def __init__(self) -> None:
        self.state = State()
        self._ids = itertools.count(1000)
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"fake": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakePlatforms:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ---- test controls ---------------------------------------------------------------------

    def fail(self, path: str, kind: str, times: int = 1) -> None:
        self.state.failures[path] += [kind] * times

    def expire_tokens(self) -> None:
        """Every token issued so far stops working (as after 7200 s)."""
        self.state.tokens.clear()

    def calls_to(self, path: str) -> list[dict]:
        return [body for p, body in self.state.calls if p == path]

    # ---- behaviour -------------------------------------------------------------------------

    def next_id(self) -> int:
        return next(self._ids)

    def handle(self, path: str, query: dict, body: dict) -> dict:
        platform = "wecom" if path.startswith("/cgi-bin/") else "dingtalk"
        with self._lock:
            self.state.calls.append((path, body or query))
            failures = self.state.failures.get(path)
            failure = failures.pop(0) if failures else None
        if failure == "timeout":
            time.sleep(self.state.delay_s)
        if failure == "ratelimit":
            return {"errcode": RATE_LIMIT[platform], "errmsg": "api freq out of limit"}
        if path in ("/gettoken", "/cgi-bin/gettoken"):
            return self.token(platform, query)
        if failure == "expired" or query.get("access_token") not in self.state.tokens:
            return {"errcode": EXPIRED[platform], "errmsg": "access_token expired"}
        route = ROUTES.get(path)
        if route is None:
            return {"errcode": 404, "errmsg": f"no such api {path}"}
        return route(self, query, body)

    def token(self, platform: str, query: dict) -> dict:
        if platform == "dingtalk":
            ok = (query.get("appkey"), query.get("appsecret")) == DINGTALK_SECRET
            if not ok:
                return {"errcode": 40089, "errmsg": "invalid appkey or appsecret"}
        else:
            if query.get("corpid") != WECOM_SECRET[0]:
                return {"errcode": 40013, "errmsg": "invalid corpid"}
            if query.get("corpsecret") != WECOM_SECRET[1]:
                return {"errcode": 40001, "errmsg": "invalid credential"}
        token = f"{platform}-token-{self.next_id()}"
        self.state.tokens.add(token)
        return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}

    # DingTalk, new API (api.dingtalk.com): OAuth2 login ---------------------------------------

    def handle_new(self, path: str, headers, body: dict) -> tuple[int, dict]:
        with self._lock:
            self.state.calls.append((path, body))
        if path == "/v1.0/oauth2/userAccessToken":
            if (body.get("clientId"), body.get("clientSecret")) != DINGTALK_SECRET:
                return 400, {
                    "code": "invalidClientIdOrSecret",
                    "message": "无效的clientId或clientSecret",
                }
            userid = self.state.oauth_codes.pop(body.get("code", ""), None)  # one use
            if userid is None:
                return 400, {"code": "invalidAuthCode", "message": "authCode 无效或已过期"}
            return 200, {"accessToken": f"user-token-{userid}", "expireIn": 7200}
        if path == "/v1.0/contact/users/me":
            token = headers.get("x-acs-dingtalk-access-token", "")
            if not token.startswith("user-token-"):
                return 401, {"code": "InvalidAuthentication", "message": "不合法的access_token"}
            userid = token.removeprefix("user-token-")
            return 200, {"unionId": f"union-{userid}", "nick": userid}
        return 404, {"code": "notFound", "message": path}

    def dt_by_unionid(self, query, body) -> dict:
        userid = str(body.get("unionid", "")).removeprefix("union-")
        if userid not in self.state.users:
            return {"errcode": 60121, "errmsg": "找不到该用户"}
        return {"errcode": 0, "errmsg": "ok", "result": {"contact_type": 0, "userid": userid}}

    # DingTalk -------------------------------------------------------------------------------

    def dt_userinfo(self, query, body) -> dict:
        userid = self.state.codes.get(body.get("code", ""))
        if userid is None:
            return {"errcode": 40078, "errmsg": "不存在的临时授权码"}
        return {"errcode": 0, "errmsg": "ok", "result": {"userid": userid, "name": ""}}

    def dt_send(self, query, body) -> dict:
        to = [u for u in str(body.get("userid_list", "")).split(",") if u]
        if not to or len(to) > 100:
            return {"errcode": 40035, "errmsg": "userid_list 超过 100 人或为空"}
        task = self.next_id()
        self.state.tasks[task] = to
        self.state.sent.append(("dingtalk", to, body.get("msg") or {}))
        return {"errcode": 0, "errmsg": "ok", "task_id": task, "request_id": f"r{task}"}

    def dt_progress(self, query, body) -> dict:
        if int(body.get("task_id", 0)) not in self.state.tasks:
            return {"errcode": 40000, "errmsg": "task not found"}
        if self.state.pending_polls > 0:  # still delivering (status 1) for this many polls
            self.state.pending_polls -= 1
            return {"errcode": 0, "progress": {"progress_in_percent": 40, "status": 1}}
        return {"errcode": 0, "progress": {"progress_in_percent": 100, "status": 2}}

    def dt_result(self, query, body) -> dict:
        to = self.state.tasks.get(int(body.get("task_id", 0)))
        if to is None:
            return {"errcode": 40000, "errmsg": "task not found"}
        bad = [u for u in to if u in self.state.invalid or u not in self.state.users]
        return {
            "errcode": 0,
            "send_result": {
                "invalid_user_id_list": bad,
                "forbidden_user_id_list": [],
                "failed_user_id_list": [],
                "read_user_id_list": [],
                "unread_user_id_list": [u for u in to if u not in bad],
            },
        }

    def dt_listsub(self, query, body) -> dict:
        parent = int(body.get("dept_id", 1))
        children = [
            {"dept_id": d, "name": name, "parent_id": p}
            for d, (name, p) in sorted(self.state.departments.items())
            if p == parent
        ]
        return {"errcode": 0, "result": children}

    def dt_users(self, query, body) -> dict:
        dept, cursor, size = int(body["dept_id"]), int(body.get("cursor", 0)), int(body["size"])
        if size > 100:
            return {"errcode": 40035, "errmsg": "size 最大 100"}
        members = [u for u in self.state.users.values() if dept in u.depts]
        page = members[cursor : cursor + size]
        more = cursor + size < len(members)
        return {
            "errcode": 0,
            "result": {
                "has_more": more,
                "next_cursor": cursor + size if more else None,
                "list": [
                    {
                        "userid": u.userid,
                        "name": u.name,
                        "mobile": u.mobile,
                        "job_number": u.job_number,
                        "dept_id_list": list(u.depts),
                        "active": True,
                    }
                    for u in page
                ],
            },
        }

    # WeCom ----------------------------------------------------------------------------------

    def wc_userinfo(self, query, body) -> dict:
        userid = self.state.codes.get(query.get("code", ""))
        if userid is None:
            return {"errcode": 40029, "errmsg": "invalid code"}
        return {"errcode": 0, "errmsg": "ok", "userid": userid, "user_ticket": "t"}

    def wc_send(self, query, body) -> dict:
        to = [u for u in str(body.get("touser", "")).split("|") if u]
        if len(to) > 1000:
            return {"errcode": 40058, "errmsg": "touser 超过 1000 人"}
        bad = [u for u in to if u in self.state.invalid or u not in self.state.users]
        if to and len(bad) == len(to):
            return {"errcode": 81013, "errmsg": "user & party & tag all invalid"}
        self.state.sent.append(("wecom", [u for u in to if u not in bad], body))
        return {
            "errcode": 0,
            "errmsg": "ok",
            "invaliduser": "|".join(bad),
            "msgid": f"msg{self.next_id()}",
        }

    def wc_departments(self, query, body) -> dict:
        depts = [{"id": 1, "name": "本单位", "parentid": 0}] + [
            {"id": d, "name": name, "parentid": p}
            for d, (name, p) in sorted(self.state.departments.items())
        ]
        return {"errcode": 0, "department": depts}

    def wc_users(self, query, body) -> dict:
        dept = int(query.get("department_id", 1))
        return {
            "errcode": 0,
            "userlist": [
                {
                    "userid": u.userid,
                    "name": u.name,
                    "mobile": u.mobile,
                    "department": list(u.depts),
                    "status": 1,
                }
                for u in self.state.users.values()
                if dept in u.depts
            ],
        }


ROUTES = {
    "/topapi/v2/user/getuserinfo": FakePlatforms.dt_userinfo,
    "/topapi/user/getbyunionid": FakePlatforms.dt_by_unionid,
    "/topapi/message/corpconversation/asyncsend_v2": FakePlatforms.dt_send,
    "/topapi/message/corpconversation/getsendprogress": FakePlatforms.dt_progress,
    "/topapi/message/corpconversation/getsendresult": FakePlatforms.dt_result,
    "/topapi/v2/department/listsub": FakePlatforms.dt_listsub,
    "/topapi/v2/user/list": FakePlatforms.dt_users,
    "/cgi-bin/auth/getuserinfo": FakePlatforms.wc_userinfo,
    "/cgi-bin/message/send": FakePlatforms.wc_send,
    "/cgi-bin/department/list": FakePlatforms.wc_departments,
    "/cgi-bin/user/list": FakePlatforms.wc_users,
}


class _Handler(BaseHTTPRequestHandler):
    fake: FakePlatforms

    def log_message(self, *args) -> None:  # quiet
        pass

    def _answer(self, body: dict | None) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        status = 200
        if parts.path.startswith("/v1.0/"):  # DingTalk's new API: errors are HTTP 4xx
            status, answer = self.fake.handle_new(parts.path, self.headers, body or {})
        else:
            answer = self.fake.handle(parts.path, query, body or {})
        raw = json.dumps(answer, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
            pass

    def do_GET(self) -> None:
        self._answer(None)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        self._answer(body if isinstance(body, dict) else {})


def _serve_org(code: str, port: int) -> None:  # pragma: no cover — a manual demo aid
    """Serve an existing org's groups and people as the platforms' address book: department
    per group, userid ``u<工号>``, login code ``code-<工号>`` (docs/integrations.md)."""
    import django

    django.setup()
    from keshi.org.models import Group, Membership, Person

    fake = FakePlatforms()
    fake.server.server_close()
    fake.server = ThreadingHTTPServer(("127.0.0.1", port), type("H", (_Handler,), {"fake": fake}))
    groups = {g.pk: 100 + i for i, g in enumerate(Group.objects.filter(org__code=code))}
    for g in Group.objects.filter(pk__in=groups):
        fake.state.departments[groups[g.pk]] = (g.name, groups.get(g.parent_id, 1))
    member_of: dict[int, list[int]] = defaultdict(list)
    for person_id, group_id in (
        Membership.objects.current()
        .filter(group_id__in=groups)
        .values_list("person_id", "group_id")
    ):
        member_of[person_id].append(groups[group_id])
    for p in Person.objects.filter(org__code=code, active=True).exclude(staff_no=""):
        userid = f"u{p.staff_no}"
        depts = tuple(member_of.get(p.pk) or [1])
        fake.state.users[userid] = User(userid, p.name, p.phone, p.staff_no, depts)
        fake.state.codes[f"code-{p.staff_no}"] = userid
    print(f"{len(fake.state.users)} members, {len(groups)} departments on http://127.0.0.1:{port}")
    print(f"DingTalk AppKey/AppSecret: {DINGTALK_SECRET}; WeCom corpid/secret: {WECOM_SECRET}")
    fake.server.serve_forever()


if __name__ == "__main__":  # pragma: no cover
    import argparse
    import os

    parser = argparse.ArgumentParser(description="本地模拟钉钉/企业微信接口（演示用）")
    parser.add_argument("--org", default="demo")
    parser.add_argument("--port", type=int, default=8199)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keshi.settings")
    _serve_org(args.org, args.port)
