from django.db import migrations

from keshi.checks.builtins import ensure_builtin_rubrics


def create(apps, schema_editor):
    ensure_builtin_rubrics(apps.get_model("checks", "Rubric"))


class Migration(migrations.Migration):
    dependencies = [("checks", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
