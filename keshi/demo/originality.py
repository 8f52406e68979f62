"""查重 for the demo: the records bulk-inserted by ``keshi.demo.activity`` sent no signals, so
the fingerprinting a save would queue is run here, for the 教学反思 of ``demo``'s 语文教研组 (texts built
from a small set of sentences, so several come out alike and are flagged).

Idempotent: ``fingerprint_activity`` skips a record whose text is indexed and scored.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from keshi.org.models import Org
from keshi.originality.models import Document, Flag
from keshi.originality.services import fingerprint_activity
from keshi.records.models import Activity

if TYPE_CHECKING:
    from keshi.demo.services import _Writer

GROUP = "语文教研组"  # one group: fingerprinting costs some 40 ms a record


def write(w: _Writer, org: Org, today: date) -> None:
    if org.code != "demo":
        return
    indexed = Document.objects.filter(org=org, activity__isnull=False).values("activity_id")
    reflections = (
        Activity.objects.filter(org=org, kind__code="reflection", date__lte=today)
        .filter(person__memberships__group__name=GROUP)
        .exclude(text="")
        .exclude(pk__in=indexed)
    )
    before = Flag.objects.filter(activity__org=org).count()
    for pk in reflections.order_by("date", "pk").values_list("pk", flat=True):
        fingerprint_activity(pk)
    w.created["flag"] += Flag.objects.filter(activity__org=org).count() - before
