"""The schema of a throw-away database (a test database, a benchmark's scratch database) built
straight from the models instead of by replaying the migrations.

``migrate`` on an empty database replays some fifty migrations, and each of their ~190
CreateModel operations re-renders every model related to User (their historical twins
included): about a minute of CPU, paid by every test process and every benchmark run. Creating
the tables from the models — what ``migrate --run-syncdb`` does for an app without migrations
— takes seconds and gives the same schema: ``make test`` runs ``makemigrations --check`` (the
models and the migrations agree) and keshi/tests/test_migrations.py builds one database the
long way and compares it with this one. The built-in rows come from post_migrate receivers
either way (keshi.ops.builtins). The migrations are then recorded as applied, so a later
``migrate`` or ``keshi restore`` sees the database as fully migrated.
"""

from django.apps import apps
from django.core.management import call_command
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings

CACHE_TABLE = "keshi_cache"  # made by rules/migrations/0003_cache_table.py on a migrated site


def build_from_models(using: str = "default") -> None:
    # The cache table first: post_migrate receivers seeding the built-ins invalidate cached
    # compliance, and with the database cache that reads the table.
    call_command("createcachetable", CACHE_TABLE, database=using, verbosity=0)
    without_migrations = {app.label: None for app in apps.get_app_configs()}
    with override_settings(MIGRATION_MODULES=without_migrations):
        call_command("migrate", database=using, run_syncdb=True, interactive=False, verbosity=0)
    _record_migrations(using)


def complete(using: str = "default") -> None:
    """What the migrations add beyond the models' tables (to a database Django's test runner
    built with ``MIGRATE: False``): the cache table and their records."""
    call_command("createcachetable", CACHE_TABLE, database=using, verbosity=0)
    _record_migrations(using)


def _record_migrations(using: str) -> None:
    connection = connections[using]
    loader = MigrationLoader(connection)
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    for app_label, name in sorted(set(loader.graph.nodes) - set(loader.applied_migrations)):
        recorder.record_applied(app_label, name)
