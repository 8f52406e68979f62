from axes.backends import AxesStandaloneBackend


class WebLoginThrottle(AxesStandaloneBackend):
    """django-axes refuses ``authenticate()`` without a request; calls without one come from
    our own code (shell, tests, commands), never from a login form, so there is nothing to
    throttle. Every web login path (the login page, /admin/) passes the request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
