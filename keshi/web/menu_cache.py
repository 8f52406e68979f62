"""The main menu, kept per user and language between requests (#27: building it asked the
database five or six questions on every page).

A menu depends on the user's grants, memberships and person, their org's kind, whether they have
a 整改 or an observation task, and which indicators they may read. Any save or delete of those
rows (``SOURCES``) changes one shared generation stamp, which every cached menu carries: a menu
of an older generation is built again. ``queryset.update()`` and ``bulk_create`` send no signal,
so a menu also expires after ``SECONDS`` whatever happens. One cache read per page instead.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

GENERATION = "keshi:menu:generation"
SECONDS = 300
SOURCES = (
    "accounts.RoleGrant",
    "org.Org",
    "org.Person",
    "org.Membership",
    "checks.Rectification",
    "records.ObservationAssignment",
    "indicators.Indicator",
)


def cached(user, build: Callable[[object], list]) -> list:
    key = f"keshi:menu:{user.pk}:{get_language()}"
    found = cache.get_many([key, GENERATION])
    generation = found.get(GENERATION)
    if generation is not None and found.get(key, (None,))[0] == generation:
        return found[key][1]
    if generation is None:
        cache.add(GENERATION, secrets.token_hex(8), None)
        generation = cache.get(GENERATION)
    items = build(user)
    cache.set(key, (generation, items), SECONDS)
    return items


def changed(**kwargs) -> None:
    cache.set(GENERATION, secrets.token_hex(8), None)


def install() -> None:
    for label in SOURCES:
        model = apps.get_model(label)
        for signal in (post_save, post_delete):
            signal.connect(changed, sender=model, dispatch_uid=f"menu:{label}:{signal}")
