"""Ids and return addresses taken from a request, parsed once for every view.

Query strings and hidden fields are typed by whoever sends the request. Parsing them by hand
went wrong in the same three ways all over (issue #19): ``"²".isdigit()`` is true but
``int("²")`` fails, a non-numeric id handed to ``filter(pk=…)`` raises, and a number beyond a
signed 64-bit integer overflows SQLite. Every view reads an object id from the request through
``query_id`` and a ``?next=`` address through ``safe_next``; both answer "absent" to anything
they cannot use, so the page behaves as if the parameter had not been given.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

# Primary keys are BigAutoField: a signed 64-bit integer, never 0 or negative.
MAX_ID = 2**63 - 1
# Longer than any id: not even worth converting.
_MAX_DIGITS = len(str(MAX_ID))


def parse_id(value: object) -> int | None:
    """``value`` as an object id: ASCII digits only, 1 … 2⁶³−1; anything else is None.

    ``str.isdigit`` is not enough: it accepts superscripts and other scripts' digits."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not (0 < len(value) <= _MAX_DIGITS and value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def query_id(request: HttpRequest, name: str) -> int | None:
    """The id in query parameter ``name`` (or, on a POST, the form field of that name: pages
    carry the org or term of a filter along in a hidden field); None when absent or unusable."""
    return parse_id(request.GET.get(name) or request.POST.get(name))


def safe_next(request: HttpRequest, default: str) -> str:
    """``?next=`` (or the form's ``next``) when it is a path on this site, else ``default``.

    Only an absolute path is taken: ``redirect("abc")`` would look ``abc`` up as a URL name."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return default
