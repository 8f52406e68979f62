"""Drop the control characters no export can hold from the text already stored (issue #19).

Input drops them from now on (keshi.documents.text); this cleans what came in before, in every
CharField and TextField of every keshi model, the audit history included. Only rows that hold
such a character are read (a regular expression in the database: SQLite and PostgreSQL alike)
and each is changed with ``update()``, so no history row and no signal is added. A row whose
cleaned value would collide with a unique one is left as it is: the exports cope with it.
Running it again changes nothing.
"""

import re

from django.db import IntegrityError, migrations, models, transaction

APPS = {
    "accounts": "0001_initial",
    "appraisal": "0002_contest_award_rules",
    "schoolcalendar": "0003_historicaldayoverride_historicalschoolyear_and_more",
    "checks": "0002_builtin_rubrics",
    "contests": "0002_rounds_frozen_rubric_award_keys",
    "cover": "0001_initial",
    "dispatch": "0001_initial",
    "groupwork": "0002_historicalsessionfile",
    "indicators": "0001_initial",
    "notify": "0002_historicalchannel_historicalreminderpolicy",
    "org": "0003_historicaltag",
    "originality": "0001_initial",
    "plans": "0002_historicalsuggestion",
    "records": "0003_historicalactivitykind_historicalattachment",
    "research": "0001_initial",
    "rules": "0003_cache_table",
    "weekly": "0001_initial",
}
# The characters of keshi.documents.text (copied: a migration must not change with the code),
# as a regex for the database too. PostgreSQL text cannot hold NUL, nor can a pattern sent to it;
# lone surrogates cannot be stored in either database.
PATTERN = "[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
UNWRITABLE = re.compile("[\x00" + PATTERN[1:])


def _text_fields(model) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.primary_key
    ]


def strip_control_chars_from_rows(apps, schema_editor) -> int:
    """Clean every stored text; returns the number of rows changed."""
    db = schema_editor.connection.alias
    postgresql = schema_editor.connection.vendor == "postgresql"
    pattern = PATTERN if postgresql else UNWRITABLE.pattern
    changed = 0
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            names = _text_fields(model)
            if not names:
                continue
            matches = models.Q()
            for name in names:
                matches |= models.Q(**{f"{name}__regex": pattern})
            rows = model._base_manager.using(db).filter(matches).values_list("pk", *names)
            for pk, *values in list(rows):
                update = {
                    name: UNWRITABLE.sub("", value)
                    for name, value in zip(names, values, strict=True)
                    if value and UNWRITABLE.search(value)
                }
                try:
                    with transaction.atomic(using=db):
                        model._base_manager.using(db).filter(pk=pk).update(**update)
                except IntegrityError:
                    continue
                changed += 1
    return changed


def _forward(apps, schema_editor) -> None:
    strip_control_chars_from_rows(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = list(APPS.items())
    operations = [migrations.RunPython(_forward, migrations.RunPython.noop, elidable=True)]
