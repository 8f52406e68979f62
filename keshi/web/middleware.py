"""Request parameters without NUL (issue #19).

PostgreSQL text cannot hold U+0000: a query parameter or hidden field that a view reads by hand
and filters on (``?q=``, ``?org=CODE``, ``?status=``) made a DataError, a server error, on
``%00`` — on every list page at once. The forms already drop control characters from what they
store (``keshi.web.forms``); this drops NUL from the keys and values of ``request.GET`` and
``request.POST`` before any view reads them, as the forms would have. Only NUL: other control
characters are harmless in a filter, and where text is stored the forms drop them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict

NUL = "\x00"


def _without_nul(data: QueryDict) -> QueryDict | None:
    """A copy of ``data`` without NUL, or None when there is none to drop."""
    if not any(NUL in key or any(NUL in v for v in values) for key, values in data.lists()):
        return None
    clean = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        clean.setlist(key.replace(NUL, ""), [v.replace(NUL, "") for v in values])
    clean._mutable = False
    return clean


def drop_nul(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        if (clean := _without_nul(request.GET)) is not None:
            request.GET = clean
        if request.method == "POST" and (clean := _without_nul(request.POST)) is not None:
            request.POST = clean
        return get_response(request)

    return middleware
