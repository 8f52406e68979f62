"""The built-in rows survive a flush, so no test depends on running before a transactional one."""

from django.core.management import call_command

from keshi.checks.builtins import builtin_rows
from keshi.checks.models import Rubric
from keshi.exams.kinds import KIND as PAPER_ANALYSIS_KIND
from keshi.records.kinds import BUILTIN_KINDS, HOSPITAL_KINDS
from keshi.records.models import ActivityKind


def test_built_in_kinds_and_rubrics_come_back_after_a_flush(transactional_db):
    call_command("flush", interactive=False, verbosity=0)
    kinds = set(ActivityKind.objects.filter(org=None).values_list("code", flat=True))
    built_in = {spec["code"] for spec in (*BUILTIN_KINDS, *HOSPITAL_KINDS)}
    assert kinds == built_in | {PAPER_ANALYSIS_KIND["code"]}
    rubrics = set(Rubric.objects.filter(org=None).values_list("code", flat=True))
    assert rubrics == {row["code"] for row in builtin_rows()}
