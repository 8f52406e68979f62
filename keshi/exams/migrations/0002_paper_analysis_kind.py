from django.db import migrations


def forwards(apps, schema_editor):
    from keshi.exams.kinds import ensure_paper_analysis_kind

    ensure_paper_analysis_kind(apps.get_model("records", "ActivityKind"))


def backwards(apps, schema_editor):
    apps.get_model("records", "ActivityKind").objects.filter(
        org=None, code="paper_analysis"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0001_initial"),
        ("records", "0005_observation_assignment"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
