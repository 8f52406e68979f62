from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_ip_address
from axes.utils import reset
from django.contrib.auth import authenticate


class WebLoginThrottle(AxesStandaloneBackend):
    """django-axes refuses ``authenticate()`` without a request; calls without one come from
    our own code (shell, tests, commands), never from a login form, so there is nothing to
    throttle. Every web login path (the login page, /admin/, the old password on the password
    page) passes the request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def check_password(request, user, password: str) -> bool:
    """``user``'s own password, checked the way a login is: a wrong one counts as a failed
    login for that username and address, a locked pair is refused (AxesMiddleware answers 429
    with the lockout page), a right one clears the count as a login does."""
    username = user.get_username()
    found = authenticate(request, username=username, password=password)
    if found is None or found.pk != user.pk:
        return False
    reset(ip=get_client_ip_address(request), username=username)
    return True
