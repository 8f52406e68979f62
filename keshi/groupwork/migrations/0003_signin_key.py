"""A per-object secret for the QR sign-in tokens (issue #19.4).

AddField evaluates a callable default once for all existing rows, so each row is then given
its own key; codes shown before this migration stop working (they were signed differently).
"""

import secrets

from django.db import migrations, models

import keshi.groupwork.models

MODELS = ("session", "trainingproject", "openclass")


def give_each_row_its_own_key(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("groupwork", name)
        rows = list(model.objects.only("pk"))
        for row in rows:
            row.signin_key = secrets.token_urlsafe(24)
        model.objects.bulk_update(rows, ["signin_key"], batch_size=500)


def field():
    return models.CharField(
        default=keshi.groupwork.models.new_signin_key, editable=False, max_length=32
    )


class Migration(migrations.Migration):
    dependencies = [
        ("groupwork", "0002_historicalsessionfile"),
    ]

    operations = [
        *(migrations.AddField(model_name=name, name="signin_key", field=field()) for name in MODELS),
        migrations.RunPython(give_each_row_its_own_key, migrations.RunPython.noop, elidable=True),
    ]
