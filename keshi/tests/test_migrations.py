"""The migrations and the models build the same schema.

Test and benchmark databases are built from the models (keshi.ops.schema); a site is built and
upgraded by the migrations. ``makemigrations --check`` (in ``make test``) proves the migrations
describe the models; this builds one database the long way and compares tables, columns and
constraints with the test database, constraint names aside (a renamed field keeps its old
index name on a migrated database).
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from keshi.rules.management.commands.bench import scratch_database

AUTH_LINKS = ("auth_group_permissions", "auth_user_groups", "auth_user_user_permissions")


def _schema() -> dict:
    shape = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            columns = {
                column.name: (column.type_code, column.null_ok)
                for column in connection.introspection.get_table_description(cursor, table)
            }
            constraints = sorted(
                (
                    tuple(c["columns"]),
                    bool(c["primary_key"]),
                    bool(c["unique"]),
                    bool(c["index"]),
                    c["foreign_key"],
                    bool(c["check"]),
                )
                for c in connection.introspection.get_constraints(cursor, table).values()
            )
            shape[table] = (columns, constraints)
    return shape


def _applied() -> set:
    return set(MigrationLoader(connection).applied_migrations)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_migrations_build_the_schema_the_models_do():
    from_models, applied_here = _schema(), _applied()
    assert len(from_models) > 150 and len(applied_here) > 90
    with scratch_database(
        connection.vendor if connection.vendor == "sqlite" else "postgresql",
        lambda *a, **k: None,
        build=lambda: call_command("migrate", interactive=False, verbosity=0),
    ):
        migrated, applied_there = _schema(), _applied()
    assert migrated.keys() == from_models.keys()
    if connection.vendor == "postgresql":
        # django.contrib.auth's many-to-many tables: its migrations made their ids integer,
        # their models say bigint. Nothing of ours, and nothing refers to those ids.
        for table in AUTH_LINKS:
            migrated[table][0]["id"] = from_models[table][0]["id"]
    differ = [t for t in migrated if migrated[t] != from_models[t]]
    assert differ == []
    assert applied_here == applied_there  # a later `migrate` finds nothing left to do
