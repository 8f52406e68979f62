"""keshi's WSGI application, with every URL conf and view module imported up front.

Served with ``gunicorn --preload``, those imports (scipy through datasketch, matplotlib…)
happen once in the master before it forks, instead of in each worker on its first request,
where under load they outlast the worker timeout.

Then everything imported so far is frozen out of the cyclic garbage collector's reach
(``gc.freeze()``): those objects live as long as the process, and without the freeze every
full collection walks them again — 6 % of a dashboard request's time, 2 % after (measured
over the load test's request mix). Forked workers also keep sharing those pages.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keshi.settings")
application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402 -- needs the settings configured above

get_resolver().url_patterns  # noqa: B018 -- imports every urls.py and the views they name
gc.freeze()
