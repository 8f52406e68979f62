"""keshi's WSGI application with every URL conf and view module imported up front.

Served with ``gunicorn --preload``, the imports (scipy through datasketch, matplotlib…) happen
once in the master before it forks, instead of in each worker on its first request, where under
load they outlast the worker timeout.
"""

from django.urls import get_resolver

from keshi.wsgi import application

get_resolver().url_patterns  # noqa: B018 -- imports every urls.py and the views they name

__all__ = ["application"]
