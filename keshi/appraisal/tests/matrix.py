"""Access-matrix objects for appraisal (see keshi/tests/test_access_matrix.py): the teacher's
archive, a point rule, and a finished export requested by the office."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from keshi.appraisal.models import ArchiveExport, PointRule


def _pk(key: str):
    return lambda w: {"pk": w.pk(key)}


FILLERS = {
    **{
        f"appraisal:{n}": lambda w: {"pk": w.teacher.pk}
        for n in ("archive", "archive_docx", "archive_pdf")
    },
    "appraisal:export_start": lambda w: {"group_id": w.pk("group")},
    "appraisal:export": _pk("archive_export"),
    "appraisal:export_download": _pk("archive_export"),
    "appraisal:rule_edit": _pk("point_rule"),
    "appraisal:rule_toggle": _pk("point_rule"),
}
# A teacher's archive is as private as their person page.
PRIVATE = {"appraisal:archive", "appraisal:archive_docx", "appraisal:archive_pdf"}


def objects(world) -> dict:
    office = get_user_model().objects.get(username="office")
    export = ArchiveExport.objects.create(
        org=world.school,
        group=world.objects["group"],
        requested_by=office,
        status=ArchiveExport.Status.DONE,
        total=1,
        done=1,
    )
    export.file.save("matrix.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    rule = PointRule.objects.create(
        org=world.school,
        name="矩阵规则",
        trigger=PointRule.Trigger.CONTEST_AWARD,
        points=Decimal("0.5"),
    )
    return {"archive_export": export, "point_rule": rule}
