"""Hostile input on every page: nothing a browser can send may cause a server error (issue #19).

Built on the access matrix (``test_access_matrix``): the same routes, fillers and demo world,
as teacher, group lead, office staff, school leader and district staff. Every named page is
opened (GET) through a recording middleware that notes the query parameters the view reads
(``request.GET.get``, ``[]``, ``in``, ``getlist``) — so a parameter a view starts reading is
swept without anyone listing it — and the names of the page's GET form fields are added; its
POST forms and ``hx-post`` targets (and POST-only routes) become form targets. Then:

* GET: each page that reads parameters is requested once per value of HOSTILE, every
  parameter set to it, and once per parameter alone with each of HOSTILE_ALONE; parameters
  first read during those requests are swept the same way;
* POST: every form target is posted as each role, every field of its forms and every POST key
  its view reads set to one value of HOSTILE_POST per request — only HOSTILE_BEFORE_REFUSAL
  where the role is refused anyway (403/404), to catch a view that parses before it checks
  permission. The roles shown the form also post a plausible filling of it, as it is and with
  each number or date field set beyond its range in turn (a form failing on another field
  would never take the number to the database);
* path: every route with an integer parameter is opened with an id beyond 64 bits.

Each POST runs in a savepoint that is rolled back: a delete or a transition does not change
the world later requests see. Any response ≥ 500 fails (a 503 only where the page answers 503
without hostile input too: the archive PDF without LibreOffice); all failures are listed in one
message with the exception and the innermost keshi frame. About 7,400 requests, two minutes.
"""

from __future__ import annotations

import re
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import product
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.http import QueryDict
from django.urls import Resolver404, resolve, reverse

from keshi.tests.test_access_matrix import _client, all_fillers, build_world, routes

ROLES = ["teacher", "lead", "office", "leader", "district"]
HUGE = "99999999999999999999"  # beyond a signed 64-bit integer
LAST_DAY = "9999-12-31"  # one day more overflows
# Every parameter and field gets each of these (one request per value, all parameters at once).
HOSTILE = (
    "²",  # str.isdigit() says yes, int() says no
    "-1",
    HUGE,
    LAST_DAY,
    "\x00" + "字" * 1000,  # longer than any column; PostgreSQL refuses NUL in any text
)
# Forms also get these (a number field, NUL alone, an emptied field); a query string is swept
# without them to keep the sweep's time down: pages read them as "²" and an absent parameter.
HOSTILE_POST = (*HOSTILE, "1.5", "\x00", "")
# A role the form is refused to (403/404 with nothing posted) gets the ids a view might parse
# before it checks permission.
HOSTILE_BEFORE_REFUSAL = ("²", "-1", HUGE)
# And each query parameter alone, the others absent (once per page, by the first role that
# reads it): a parameter read only once another one is valid (``?org=demo&term=…``) would
# never be reached with all of them hostile.
HOSTILE_ALONE = ("²", HUGE)
# Never posted to: the client would lose its session.
NO_POST = {"logout"}
NO_POST_PREFIXES = ("/admin/", "/api/", "/i18n/", "/static/", "/media/")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
# What a person would type into an empty field of each input type.
PLAUSIBLE = {
    "number": "1",
    "date": "2026-03-09",
    "datetime-local": "2026-03-09T10:00",
    "time": "10:00",
    "month": "2026-03",
    "email": "a@example.com",
    "url": "https://example.com/",
}


class RecordingQueryDict(QueryDict):
    """A QueryDict that remembers every key a view asked for."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.asked: set[str] = set()

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key) -> bool:
        self.asked.add(key)
        return super().__contains__(key)

    def getlist(self, key, default=None):
        self.asked.add(key)
        return super().getlist(key, default)

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)


def _recording(original: QueryDict) -> RecordingQueryDict:
    copy = RecordingQueryDict(mutable=True, encoding=original.encoding)
    for key, values in original.lists():
        copy.setlist(key, values)
    copy._mutable = False
    return copy


def record_params(get_response: Callable) -> Callable:
    """Middleware (installed by this test only): record the GET and POST keys a view reads."""

    def middleware(request):
        request.GET = _recording(request.GET)
        if request.method == "POST":
            request.POST = _recording(request.POST)
        return get_response(request)

    return middleware


def _asked(response) -> tuple[set[str], set[str]]:
    request = response.wsgi_request
    post = getattr(request, "_post", None)
    return set(getattr(request.GET, "asked", ())), set(getattr(post, "asked", ()))


@dataclass
class Field:
    kind: str  # input type, "select" or "textarea"
    value: str | None = None  # what the page filled in or selected


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)


class FormParser(HTMLParser):
    """The forms of a page (method, action, fields with their kind and default) and the URLs
    of its ``hx-post`` attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.hx_posts: set[str] = set()
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if a.get("hx-post"):
            self.hx_posts.add(a["hx-post"])
        if tag == "form":
            self._form = Form((a.get("method") or "get").lower(), a.get("action", ""))
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            if self._select.value in (None, "") or "selected" in a:
                self._select.value = a.get("value", "")
        elif self._form is not None and a.get("name"):
            self._field(tag, a)

    def _field(self, tag: str, a: dict[str, str]) -> None:
        fields, name = self._form.fields, a["name"]
        if tag == "select":
            self._select = fields[name] = Field("select")
        elif tag == "textarea":
            self._textarea = fields[name] = Field("textarea", "")
        elif tag == "button":
            fields.setdefault(name, Field("button", a.get("value", "")))
        elif tag == "input" and (kind := a.get("type", "text").lower()) != "file":
            checkable = kind in ("checkbox", "radio")
            if not checkable or "checked" in a or name not in fields:
                value = a.get("value", "on" if checkable else "")
                fields[name] = Field(kind, value)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _page(response) -> FormParser:
    parser = FormParser()
    if "html" in response.get("Content-Type", ""):
        parser.feed(response.content.decode(errors="replace"))
    return parser


def _route_name(url: str) -> str | None:
    """The URL's route name when it may be posted to, else None."""
    path = urlsplit(url).path
    if not path.startswith("/") or path.startswith(NO_POST_PREFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return None if match.url_name in NO_POST else match.view_name


def _plausible(f: Field) -> str:
    if f.value:
        return f.value
    return PLAUSIBLE.get(f.kind, "测试" if f.kind in ("text", "textarea", "search") else "")


def _is_number(f: Field) -> bool:
    return f.kind == "number" or (
        f.kind in ("select", "hidden", "text") and (f.value or "").isdigit()
    )


def _is_date(f: Field) -> bool:
    return f.kind in ("date", "datetime-local", "month") or bool(_DATE.match(f.value or ""))


@dataclass
class Target:
    """Where forms post (one URL per route), the union of their fields and who saw them."""

    url: str
    fields: dict[str, Field] = field(default_factory=dict)
    shown_to: set[str] = field(default_factory=set)


def _where(response) -> str:
    """The exception and the innermost keshi frame it passed through."""
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return ""
    frames = [f for f in traceback.extract_tb(exc_info[2]) if "/keshi/" in f.filename]
    place = f" at {frames[-1].filename.split('/keshi/')[-1]}:{frames[-1].lineno}" if frames else ""
    return f" — {exc_info[0].__name__}: {str(exc_info[1])[:100]}{place}"


class Sweep:
    """One role's client, its request count and the failures it found."""

    def __init__(self, role: str, problems: list[str]) -> None:
        self.role = role
        self.client = _client(role)
        self.problems = problems
        self.count = 0

    def check(self, response, method: str, url: str, what: str, baseline: int = 0) -> None:
        self.count += 1
        status = response.status_code
        if status >= 500 and not (status == 503 and baseline == 503):
            self.problems.append(f"{status} {self.role} {method} {url} {what}{_where(response)}")

    def get(self, url: str, data: dict | None = None):
        return self.client.get(url, data)

    def post(self, url: str, data: dict):
        """POST in a savepoint that is rolled back; log in again if the session went with it."""
        before = self.client.cookies.get("sessionid")
        with transaction.atomic():
            response = self.client.post(url, data)
            transaction.set_rollback(True)
        after = self.client.cookies.get("sessionid")
        if (after and after.value) != (before and before.value):
            self.client = _client(self.role)
        return response


def _describe(params, value: str) -> str:
    return f"{sorted(params)}={value[:20]!r}"


def _collect(sweep: Sweep, url: str, response, targets: dict[str, Target]) -> set[str]:
    """Note the page's form targets; the names of its GET forms' fields are returned."""
    page, names = _page(response), set()
    for form in page.forms:
        if form.method == "get":
            names |= set(form.fields)
        elif name := _route_name(action := urljoin(url, form.action) if form.action else url):
            target = targets.setdefault(name, Target(action))
            target.shown_to.add(sweep.role)
            for key, f in form.fields.items():
                target.fields.setdefault(key, f)
    for hx in page.hx_posts:
        if name := _route_name(hx := urljoin(url, hx)):
            targets.setdefault(name, Target(hx))
    if response.status_code == 405 and (name := _route_name(url)):
        targets.setdefault(name, Target(url))
    return names


def _sweep_pages(
    sweep: Sweep, urls: list[str], targets: dict[str, Target], alone_done: set[tuple[str, str]]
) -> None:
    """GET every page, then its query parameters with hostile values; collect form targets.
    A parameter is swept alone by the first role that reads it (``alone_done``)."""
    for url in urls:
        response = sweep.get(url)
        sweep.check(response, "GET", url, "(as linked)", response.status_code)
        asked = _asked(response)[0] | _collect(sweep, url, response, targets)
        swept: set[str] = set()
        while asked - swept:
            params = sorted(asked - swept)
            swept |= asked
            for value in HOSTILE:
                r = sweep.get(url, dict.fromkeys(params, value))
                sweep.check(r, "GET", url, _describe(params, value), response.status_code)
                asked |= _asked(r)[0]
            alone = [p for p in params if (url, p) not in alone_done] if len(params) > 1 else []
            alone_done.update((url, p) for p in alone)
            for param, value in product(alone, HOSTILE_ALONE):
                r = sweep.get(url, {param: value})
                sweep.check(r, "GET", url, _describe([param], value), response.status_code)
                asked |= _asked(r)[0]


def _post(sweep: Sweep, target: Target) -> None:
    fields = {k: f for k, f in target.fields.items() if k != "csrfmiddlewaretoken"}
    url = target.url
    empty = sweep.post(url, {})
    sweep.check(empty, "POST", url, "(nothing)")
    if empty.status_code == 405:  # GET only: refused before anything reads the form
        return
    names = set(fields) | _asked(empty)[1]
    refused = empty.status_code in (403, 404)
    for value in HOSTILE_BEFORE_REFUSAL if refused else HOSTILE_POST:
        if names:
            r = sweep.post(url, dict.fromkeys(names, value))
            sweep.check(r, "POST", url, _describe(names, value), empty.status_code)
    if sweep.role not in target.shown_to:
        return
    filled = {k: _plausible(f) for k, f in fields.items()}
    sweep.check(sweep.post(url, filled), "POST", url, "(the form filled in)", empty.status_code)
    for key, f in fields.items():
        for test, value in ((_is_number, HUGE), (_is_date, LAST_DAY)):
            if test(f):
                r = sweep.post(url, {**filled, key: value})
                sweep.check(r, "POST", url, f"(filled in) {key}={value}", empty.status_code)


def _huge_path_urls(world, fillers) -> list[str]:
    urls = []
    for route, name, params in routes():
        ints = [p for p in params if f"<int:{p}>" in route]
        if ints and name in fillers:
            urls.append(reverse(name, kwargs={**fillers[name](world), **dict.fromkeys(ints, HUGE)}))
    return urls


@pytest.mark.slow
def test_no_server_error_on_hostile_input(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.record_params"]
    # The archive PDF runs LibreOffice for seconds per request: not what is swept here.
    monkeypatch.setattr("keshi.appraisal.exports.soffice", lambda: None)
    world = build_world()
    fillers = all_fillers()
    urls = [
        reverse(name, kwargs=fillers[name](world) if params else None)
        for _route, name, params in routes()
        if not params or name in fillers
    ]
    huge_paths = _huge_path_urls(world, fillers)
    problems: list[str] = []
    targets: dict[str, Target] = {}
    sweeps = [Sweep(role, problems) for role in ROLES]
    started = time.monotonic()
    alone_done: set[tuple[str, str]] = set()
    for sweep in sweeps:
        _sweep_pages(sweep, urls, targets, alone_done)
        for url in huge_paths:
            sweep.check(sweep.get(url), "GET", url, "(id beyond 64 bits)")
    for sweep in sweeps:
        for _name, target in sorted(targets.items()):
            _post(sweep, target)
    # Seen with -s: the sweep's size and time (budget: under three minutes per database).
    print(f"{sum(s.count for s in sweeps)} requests in {time.monotonic() - started:.0f} s")
    assert not problems, f"{len(problems)} server errors:\n" + "\n".join(sorted(problems))
