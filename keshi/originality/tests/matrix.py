"""Access-matrix objects for originality (see keshi/tests/test_access_matrix.py): a reflection
of the teacher copied from a text in the school's 范文库, its flag, and that corpus text."""

from __future__ import annotations

from keshi.originality import services
from keshi.originality.tests.samples import COPIED, TEMPLATE
from keshi.records.services import record_activity
from keshi.records.tests.factories import kind


def _pk(key: str):
    return lambda w: {"pk": w.pk(key)}


FILLERS = {
    "originality:flag": _pk("flag"),
    "originality:resolve": _pk("flag"),
    "originality:corpus_delete": _pk("corpus_text"),
}
# A flag shows the teacher's text beside the source: as private as the record itself.
PRIVATE = {"originality:flag"}


def objects(world) -> dict:
    corpus = services.add_corpus_text(org=world.school, name="矩阵范文.txt", text=TEMPLATE)
    teacher = world.teacher
    activity = record_activity(
        person=teacher, kind=kind("reflection"), by=teacher.user, text=COPIED, title="矩阵反思"
    )
    flag = services.fingerprint_activity(activity.pk)
    assert flag is not None, "the copied reflection must be flagged"
    return {"flag": flag, "corpus_text": corpus}
