from django.db import migrations

from keshi.records.kinds import ensure_builtin_kinds


def create(apps, schema_editor):
    ensure_builtin_kinds(apps.get_model("records", "ActivityKind"))


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
