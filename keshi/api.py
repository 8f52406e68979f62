"""The JSON API root (django-ninja). Each app contributes a router from its own ``api.py``.

Every error answers ``{"detail": "<中文说明>"}`` with a 4xx status; unknown or invisible rows are
404 (never 403, which would confirm they exist).
"""

import pydantic
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError

from keshi.accounts.api import router as accounts_router
from keshi.accounts.auth import api_auth
from keshi.appraisal.api import router as appraisal_router
from keshi.calendar.api import router as calendar_router
from keshi.calendar.closing import TermClosed
from keshi.contests.api import router as contests_router
from keshi.cover.api import router as cover_router
from keshi.dispatch.api import router as dispatch_router
from keshi.exams.api import router as exams_router
from keshi.org.api import router as org_router
from keshi.records.api import router as records_router
from keshi.research.api import router as research_router
from keshi.rules.api import router as rules_router
from keshi.safety.api import router as safety_router
from keshi.weekly.api import router as weekly_router

api = NinjaAPI(
    title="keshi API",
    version="1",
    description=(
        "科室工作计划系统接口。认证：`Authorization: Bearer <token>`"
        "（`keshi create-token USERNAME`）。分页：`?page=1&page_size=50`，返回 "
        '`{"items": [...], "count": N}`。错误：`{"detail": "…"}`。'
    ),
    urls_namespace="api",
    auth=api_auth,
    # The docs page uses ninja's bundled Swagger UI only when "ninja" is an installed app;
    # otherwise ninja would load it from a CDN, so the page is switched off.
    docs_url="/docs" if "ninja" in settings.INSTALLED_APPS else None,
)
api.add_router("/", org_router)
api.add_router("/", calendar_router)
api.add_router("/", accounts_router)
for _router in (
    research_router,
    contests_router,
    appraisal_router,
    dispatch_router,
    cover_router,
    weekly_router,
    exams_router,
    rules_router,
    records_router,
    safety_router,
):
    api.add_router("/", _router)


def _detail(request, message: str, status: int, **extra):
    return api.create_response(request, {"detail": message, **extra}, status=status)


def _location(loc) -> str:
    # ninja prefixes the source ("query", "path", "body") and the parameter-model name.
    parts = [str(p) for p in loc if p not in ("payload",)]
    return ".".join(parts)


@api.exception_handler(RequestValidationError)
def request_invalid(request, exc: RequestValidationError):
    errors = [
        {"loc": _location(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")}
        for e in exc.errors
    ]
    fields = "、".join(dict.fromkeys(e["loc"] for e in errors if e["loc"]))
    message = _("请求参数不合法：%(fields)s。") % {"fields": fields or _("请求体")}
    return _detail(request, message, 422, errors=errors)


@api.exception_handler(DjangoValidationError)
def data_invalid(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        message = "；".join(m for msgs in errors.values() for m in msgs)
        return _detail(request, message, 422, errors=errors)
    return _detail(request, "；".join(exc.messages), 422)


@api.exception_handler(TermClosed)
def term_closed(request, exc: TermClosed):
    return _detail(request, "；".join(exc.messages), 409)


@api.exception_handler(IntegrityError)
def conflict(request, exc: IntegrityError):
    return _detail(request, _("与已有数据冲突，未保存。"), 409)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return _detail(request, _("未找到。"), 404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc: PermissionDenied):
    return _detail(request, str(exc) or _("没有权限。"), 403)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc: AuthenticationError):
    return _detail(request, _("未认证：请提供有效的令牌（Authorization: Bearer <令牌>）。"), 401)


# ninja's own messages, for the Chinese-first clients.
_NINJA_MESSAGES = {
    "Cannot parse request body": _lazy("请求体无法解析（应为 JSON）。"),
    "CSRF check Failed": _lazy("CSRF 校验失败：会话请求需要 CSRF 令牌。"),
    "Too many requests.": _lazy("请求过于频繁。"),
}


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    message = str(exc)
    for prefix, translated in _NINJA_MESSAGES.items():
        if message.startswith(prefix):
            message = str(translated)
            break
    return _detail(request, message, exc.status_code)


@api.exception_handler(ValueError)
@api.exception_handler(DataError)
def bad_value(request, exc: Exception):
    if isinstance(exc, pydantic.ValidationError):
        raise exc  # our own output failed its schema: a bug, not a bad request
    return _detail(request, _("参数值不正确。"), 400)
