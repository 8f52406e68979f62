"""An initial password (from 开通账号 or 重置密码) must be changed before anything else.

The flag is set in the session at login (one query then, none per request) and cleared when the
password is changed; until then every page but the password page, logout and static files
redirects there. The API (bearer tokens, no session) is not affected.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from keshi.accounts.models import must_change_password

SESSION_KEY = "keshi_change_password"


def flag_initial_password(sender, request, user, **kwargs) -> None:
    """At login (the ``user_logged_in`` signal): is the password an initial one?"""
    if request is not None and must_change_password(user):
        request.session[SESSION_KEY] = True


class PasswordChangeRequired:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY) and not self._allowed(request.path):
            messages.info(request, _("这是初始密码，请先设置自己的新密码。"))
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        open_paths = (reverse("password_change"), reverse("logout"), "/i18n/", "/healthz")
        return path.startswith(open_paths) or path.startswith(settings.STATIC_URL)
