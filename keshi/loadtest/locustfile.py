"""The load scenario: teachers, 教研组长 and office staff of many schools, logged in through the
login form, reading their dashboards and recording observations; /healthz in the same run as
the baseline.

Run by ``keshi bench load`` (``keshi.loadtest.bench``), which passes through the environment:
``KESHI_LOAD_LOGINS`` (JSON from ``keshi.loadtest.scale.build``), ``KESHI_LOAD_SAMPLES`` (where
every response time is written at the end), ``KESHI_LOAD_WAIT`` ("min,max" think time in
seconds), ``KESHI_LOAD_DURATION`` (seconds measured). Timing starts once every user has logged in
and lasts ``KESHI_LOAD_DURATION``: the password hashing of 200 logins (PBKDF2, deliberately slow)
is not what the dashboards are measured against.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time
from datetime import date

import gevent
from locust import FastHttpUser, between, events, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ERROR = re.compile(r"(?:invalid-feedback|alert-danger)[^>]*>\s*(?:<div>)?([^<]+)")
PASSWORD = "demo1234"
LOGIN_TRIES = 5
WAIT = tuple(float(x) for x in os.environ.get("KESHI_LOAD_WAIT", "1,4").split(","))
DURATION = float(os.environ.get("KESHI_LOAD_DURATION", "60"))

NAMES = {
    "home": "dashboard: 首页",
    "my_tasks": "dashboard: 我的任务",
    "office_matrix": "dashboard: 教科室矩阵",
    "group_matrix": "dashboard: 教研组矩阵",
    "form_get": "form: 登记听课 GET",
    "form_post": "form: 登记听课 POST",
    "healthz": "baseline: /healthz",
    "login": "login",
}


def _schools() -> list[dict]:
    path = os.environ.get("KESHI_LOAD_LOGINS")
    if not path:
        return []
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _spread(schools: list[dict], key: str) -> itertools.cycle:
    """Round-robin over schools first, so the first users already span many schools."""
    lists = [s[key] for s in schools if s[key]]
    mixed = [x for row in itertools.zip_longest(*lists) for x in row if x is not None]
    return itertools.cycle(mixed or [None])


SCHOOLS = _schools()
OFFICE = _spread(SCHOOLS, "office")
LEADS = _spread(SCHOOLS, "leads")
TEACHERS = _spread(SCHOOLS, "teachers")

samples: dict[str, list[float]] = {}
failures: dict[str, int] = {}
window = {"start": time.time(), "stop": None}


@events.request.add_listener
def _record(request_type, name, response_time, exception=None, **kwargs) -> None:
    samples.setdefault(name, []).append(response_time)
    if exception is not None:
        failures[name] = failures.get(name, 0) + 1


state = {"environment": None, "logged_in": 0}


@events.init.add_listener
def _init(environment, **kwargs) -> None:
    state["environment"] = environment


def _after_login() -> None:
    """Once every user has logged in, start the clock and stop ``DURATION`` seconds later."""
    state["logged_in"] += 1
    environment = state["environment"]
    if state["logged_in"] != environment.parsed_options.num_users:
        return
    window["ramp_requests"] = sum(len(v) for v in samples.values())
    window["ramp_failures"] = sum(failures.values())
    samples.clear()
    failures.clear()
    window["start"] = time.time()
    gevent.spawn_later(DURATION, environment.runner.quit)


@events.test_stop.add_listener
def _dump(**kwargs) -> None:
    window["stop"] = time.time()
    path = os.environ.get("KESHI_LOAD_SAMPLES")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"window": window, "samples": samples, "failures": failures}, f)


class KeshiUser(FastHttpUser):
    abstract = True
    wait_time = between(*WAIT)

    def page(self, url: str, key: str, expect: int = 200) -> str:
        with self.client.get(
            url, name=NAMES[key], allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != expect:
                response.failure(f"HTTP {response.status_code}")
                return ""
            response.success()
            return response.text or ""

    def post(self, url: str, data: dict, key: str) -> None:
        with self.client.post(
            url, data=data, name=NAMES[key], allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                error = ERROR.search(response.text or "")
                shown = error.group(1).strip() if error else ""
                response.failure(f"HTTP {response.status_code}, expected a redirect {shown}")
            else:
                response.success()

    def log_in(self, username: str) -> None:
        """Through the login form; retried (a failed try is counted) until it works, so that
        no user goes on without a session when logins crowd the server at the start."""
        for _ in range(LOGIN_TRIES):
            if self._try_login(username):
                break
        _after_login()

    def _try_login(self, username: str) -> bool:
        form = self.page("/accounts/login/", "login")
        token = CSRF.search(form)
        if not token:
            return False
        data = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
        with self.client.post(
            "/accounts/login/",
            data=data,
            name=NAMES["login"],
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302 and "login" not in response.headers.get("Location", ""):
                response.success()
                return True
            response.failure(f"login of {username} failed: HTTP {response.status_code}")
            return False

    @task(1)
    def healthz(self) -> None:
        self.page("/healthz", "healthz")


class Teacher(KeshiUser):
    weight = 6

    def on_start(self) -> None:
        self.username, self.colleague = next(TEACHERS)
        self.log_in(self.username)

    @task(1)
    def home(self) -> None:
        self.page("/", "home")

    @task(2)
    def my_tasks(self) -> None:
        self.page("/tasks/", "my_tasks")

    @task(1)
    def record_observation(self) -> None:
        form = self.page("/records/new/?kind=observation", "form_get")
        token = CSRF.search(form)
        if not token:
            return
        self.post(
            "/records/new/?kind=observation",
            {
                "csrfmiddlewaretoken": token.group(1),
                "kind": "observation",
                "date": date.today().isoformat(),
                "quantity": "1",
                "observed": str(self.colleague),
                "f_class_name": "七年级（3）班",
                "f_subject": "语文",
                "f_topic": "《春》",
                "f_lesson_no": "2",
                "f_comments": "目标明确，学生参与度高。",
            },
            "form_post",
        )


class Lead(KeshiUser):
    weight = 2

    def on_start(self) -> None:
        self.username, self.group_id = next(LEADS)
        self.log_in(self.username)

    @task(1)
    def home(self) -> None:
        self.page("/", "home")

    @task(3)
    def group_matrix(self) -> None:
        self.page(f"/compliance/?group={self.group_id}", "group_matrix")

    @task(1)
    def my_tasks(self) -> None:
        self.page("/tasks/", "my_tasks")


class Office(KeshiUser):
    weight = 1

    def on_start(self) -> None:
        self.username = next(OFFICE)
        self.log_in(self.username)

    @task(1)
    def home(self) -> None:
        self.page("/", "home")

    @task(3)
    def office_matrix(self) -> None:
        self.page("/compliance/", "office_matrix")
