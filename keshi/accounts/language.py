"""The language keshi speaks to each user (#22 item 7): Chinese unless they chose English.

Django's ``LocaleMiddleware`` would follow the browser's Accept-Language, so a teacher whose
phone is set to English would suddenly get English pages. keshi speaks ``LANGUAGE_CODE``
(简体中文) to everyone, and another language only to a user who picked it: the choice is kept
in ``Preference`` (for every device), copied into the session at login (no query per request),
and in a cookie for the login page before anyone is signed in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from keshi.accounts.models import Preference
from keshi.org.words import using

SESSION_KEY = "keshi_language"


def supported(code: str | None) -> str | None:
    return code if code in dict(settings.LANGUAGES) else None


def language_of(user_id: int | None) -> str:
    """The language to speak to a user outside their request (notifications, e-mails)."""
    return languages_of([user_id]).get(user_id) or settings.LANGUAGE_CODE


def remember_language(sender, request, user, **kwargs) -> None:
    """At login (``user_logged_in``): the user's chosen language into the session."""
    if request is not None:
        request.session[SESSION_KEY] = language_of(user.pk)


class UserLanguage:
    """In place of ``LocaleMiddleware``: the session's language, else the cookie's, else
    ``LANGUAGE_CODE`` — never the browser's Accept-Language."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        code = (
            supported(session.get(SESSION_KEY) if session is not None else None)
            or supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
            or settings.LANGUAGE_CODE
        )
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        translation.deactivate()
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language (POST ``language``, ``next``): kept for the user, the session and the
    browser; an unknown language changes nothing."""
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    code = supported(request.POST.get("language"))
    if code is None:
        return response
    if request.user.is_authenticated:
        Preference.objects.update_or_create(user=request.user, defaults={"language": code})
        request.session[SESSION_KEY] = code
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def languages_of(user_ids) -> dict[int, str]:
    """``language_of`` for many users in one query; users who never chose are left out."""
    ids = [pk for pk in user_ids if pk is not None]
    if not ids:
        return {}
    return {
        pk: code
        for pk, code in Preference.objects.filter(user_id__in=ids).values_list(
            "user_id", "language"
        )
        if supported(code)
    }


@contextmanager
def speaking(language: str | None, org=None) -> Iterator[None]:
    """Text made inside is in ``language`` (default ``LANGUAGE_CODE``) and ``org``'s words:
    for what one person receives outside their own request (reminders, e-mails)."""
    with translation.override(language or settings.LANGUAGE_CODE), using(org):
        yield
