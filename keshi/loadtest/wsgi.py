"""keshi's WSGI application with a floor beside it for ``keshi bench pages``: ``/__bare__`` is
answered by a Django view called straight from the WSGI request — no middleware, no URL
resolving, no database — what any Django page costs at the least on this machine."""

from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse

from keshi.wsgi import application as keshi

BARE = "/__bare__"


def bare(request) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def application(environ, start_response):
    if environ.get("PATH_INFO") != BARE:
        return keshi(environ, start_response)
    response = bare(WSGIRequest(environ))
    start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
    return [response.content]
