"""Where a request's time goes, as a ``Server-Timing`` header (KESHI_SERVER_TIMING=1 only).

``Outer`` runs first and ``Inner`` last among the middleware, so ``total`` is the whole of the
app's work, ``view`` what the view itself took (its templates and queries included) and the
difference the middleware's. ``sql`` sums the queries of the request (``desc`` holds their
number), ``tpl`` the top-level template renders. Read by ``keshi bench pages``; a browser's
developer tools show it too.
"""

from __future__ import annotations

import time
from contextvars import ContextVar

from django.db import connections
from django.template.backends.django import Template

_times: ContextVar[dict | None] = ContextVar("server_timing", default=None)


def _add(key: str, seconds: float) -> None:
    if (times := _times.get()) is not None:
        times[key] = times.get(key, 0.0) + seconds


class Outer:
    def __init__(self, get_response) -> None:
        self.get_response = get_response
        instrument_templates()

    def __call__(self, request):
        times = {"queries": 0}
        token = _times.set(times)
        started = time.perf_counter()
        try:
            with _counting_queries(times):
                response = self.get_response(request)
        finally:
            _times.reset(token)
        times["total"] = time.perf_counter() - started
        response["Server-Timing"] = header(times)
        return response


class Inner:
    """Calls the view itself, timed: every other middleware's process_view has run by now."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        started = time.perf_counter()
        try:
            return view(request, *args, **kwargs)
        finally:
            _add("view", time.perf_counter() - started)


class _counting_queries:
    def __init__(self, times: dict) -> None:
        self.times = times
        self.wrappers = []

    def __enter__(self):
        for connection in connections.all(initialized_only=False):
            wrapper = connection.execute_wrapper(self._query)
            wrapper.__enter__()
            self.wrappers.append(wrapper)

    def __exit__(self, *exc) -> None:
        for wrapper in reversed(self.wrappers):
            wrapper.__exit__(*exc)

    def _query(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.times["queries"] += 1
            _add("sql", time.perf_counter() - started)


def header(times: dict) -> str:
    total, view = times["total"], times.get("view", 0.0)
    parts = {"total": total, "mw": total - view, "view": view}
    parts |= {"tpl": times.get("tpl", 0.0), "sql": times.get("sql", 0.0)}
    shown = [f"{name};dur={seconds * 1000:.2f}" for name, seconds in parts.items()]
    shown[-1] += f';desc="{times["queries"]}"'
    return ", ".join(shown)


def instrument_templates() -> None:
    """Time every render of a template the backend hands out (render(), TemplateResponse)."""
    if getattr(Template.render, "timed", False):
        return
    plain = Template.render

    def render(self, context=None, request=None):
        started = time.perf_counter()
        try:
            return plain(self, context, request)
        finally:
            _add("tpl", time.perf_counter() - started)

    render.timed = True
    Template.render = render
