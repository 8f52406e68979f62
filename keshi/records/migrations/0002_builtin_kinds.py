from django.db import migrations

from keshi.records.kinds import BUILTIN_KINDS


def create(apps, schema_editor):
    ActivityKind = apps.get_model("records", "ActivityKind")
    for position, spec in enumerate(BUILTIN_KINDS):
        defaults = {k: v for k, v in spec.items() if k != "code"}
        ActivityKind.objects.update_or_create(
            org=None, code=spec["code"], defaults={**defaults, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
