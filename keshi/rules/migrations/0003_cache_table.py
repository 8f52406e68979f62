"""The table of the default cache backend (see CACHES in keshi/settings.py), made by Django's
own ``createcachetable`` whatever the cache in use (so that switching from Redis back to the
database, or a process started without KESHI_CACHE_URL, finds it)."""

from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor) -> None:
    alias = schema_editor.connection.alias
    call_command("createcachetable", "keshi_cache", database=alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_historicalrequirement_plan_requirement_plan")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
