"""The table of the default cache backend (see CACHES in keshi/settings.py): made by Django's
own ``createcachetable``, which does nothing when the cache is elsewhere (Redis) or exists."""

from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_historicalrequirement_plan_requirement_plan")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
