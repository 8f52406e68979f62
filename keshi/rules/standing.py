"""The dashboards' compliance results, kept in Django's cache one person at a time.

我的任务, the matrices and the schools comparison are read far more often than the records
behind them change, and a teacher's standing depends only on their own records and facts
(memberships, tags, mentorships, exemptions, dates) plus what the whole org shares
(requirements, groups, kinds, the calendar). So each person's cells are cached under a key
that carries two version tokens:

* the person's own, renewed when anything of theirs changes (:func:`changed` with their id);
* a global one, renewed when anything shared changes (:func:`changed` with no id) and on
  every ``migrate``; seeders that write in bulk (demo data, the load test's schools) renew it
  too, since bulk writes send no signals.

A token is renewed only once the write is committed (``on_commit``), so another process can
never cache what a transaction later rolls back, nor keep what it read before the commit;
until then the writing thread itself bypasses the cache for the people it touched. The
signal handlers in :mod:`keshi.rules.signals` call :func:`changed`. The date asked about
(``at``) is part of the key: a new day starts from fresh entries.

If the cache backend fails, the engine answers directly and the failure is logged.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
from collections.abc import Iterable
from datetime import date

from django.core.cache import cache
from django.db import transaction

from keshi.calendar.models import Term
from keshi.org.models import Person
from keshi.rules import engine
from keshi.rules.engine import Compliance
from keshi.rules.models import Requirement

log = logging.getLogger(__name__)

EVERYONE = 0  # in the pending set: something shared changed
GLOBAL_KEY = "keshi:standing:global"
PERSON_KEY = "keshi:standing:person:{}"
TTL = 2 * 24 * 3600  # entries are per day (``at``); versions never expire
_local = threading.local()


def _pending() -> set[int]:
    if not hasattr(_local, "pending"):
        _local.pending = set()
    return _local.pending


def changed(*person_ids: int) -> None:
    """Record that these people's standing (no ids: everyone's) may have changed."""
    _pending().update(person_ids or (EVERYONE,))
    transaction.on_commit(publish)


def publish() -> None:
    """Renew the version tokens of everything changed in the committed transaction."""
    ids, _local.pending = _pending(), set()
    if not ids:
        return
    tokens = {PERSON_KEY.format(pid): _token() for pid in ids if pid != EVERYONE}
    if EVERYONE in ids:
        tokens[GLOBAL_KEY] = _token()
    try:
        cache.set_many(tokens, None)
    except Exception:  # the cache is down: readers fall back to the engine too
        log.exception("compliance cache: could not renew %d version tokens", len(tokens))


def forget_all() -> None:
    """Make every cached result stale (after bulk writes that send no signals)."""
    _pending().add(EVERYONE)
    publish()


def evaluate(
    *,
    term: Term,
    at: date,
    people: Iterable[Person],
    requirements: Iterable[Requirement],
    history: bool,
) -> Compliance:
    """What :func:`keshi.rules.engine.evaluate` answers, from the cache where it can."""
    people = list(people)
    ids = sorted(r.pk for r in requirements)
    pending = _pending()
    if not people or not ids or EVERYONE in pending:
        return engine.evaluate(
            term=term, at=at, people=people, requirements=requirements, history=history
        )
    try:
        versions = _versions(people)
        digest = hashlib.blake2b(",".join(map(str, ids)).encode(), digest_size=8).hexdigest()
        shared = f"keshi:standing:{versions[GLOBAL_KEY]}:{digest}"
        keys = {
            p.pk: f"{shared}:{term.pk}:{at:%Y%m%d}:{int(history)}:{versions[p.pk]}:{p.pk}"
            for p in people
        }
        found = cache.get_many([shared, *keys.values()])
    except Exception:
        log.exception("compliance cache: read failed, evaluating directly")
        return engine.evaluate(
            term=term, at=at, people=people, requirements=requirements, history=history
        )
    reqs = found.get(shared)
    if reqs is None:
        reqs = engine.load_requirements(requirements)
        _put({shared: reqs})
    result = Compliance(term=term, at=at, requirements=reqs, people=people)
    missing = []
    for p in people:
        cells = found.get(keys[p.pk]) if p.pk not in pending else None
        if cells is None:
            missing.append(p)
        else:
            result.cells.update(((p.pk, rid), c) for rid, c in cells.items())
    if missing:
        fresh = engine.evaluate_loaded(
            term=term, at=at, people=missing, requirements=reqs, history=history
        )
        result.cells.update(fresh.cells)
        entries = {keys[p.pk]: {} for p in missing if p.pk not in pending}
        for (pid, rid), cells in fresh.cells.items():
            if keys[pid] in entries:
                entries[keys[pid]][rid] = cells
        _put(entries)
    return result


def _versions(people: list[Person]) -> dict:
    """The global token under GLOBAL_KEY, each person's under their id."""
    keys = {GLOBAL_KEY: GLOBAL_KEY} | {p.pk: PERSON_KEY.format(p.pk) for p in people}
    found = cache.get_many(list(keys.values()))
    new = {key: _token() for key in keys.values() if key not in found}
    if new:  # a version never seen (or evicted): start one, so nothing older can match
        cache.set_many(new, None)
        found |= new
    return {name: found[key] for name, key in keys.items()}


def _put(entries: dict) -> None:
    try:
        cache.set_many(entries, TTL)
    except Exception:
        log.exception("compliance cache: could not store %d entries", len(entries))


def _token() -> str:
    return secrets.token_hex(6)
