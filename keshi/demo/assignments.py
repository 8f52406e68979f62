"""The demo's 推门听课: a draw of two teachers (deterministic seed, as in keshi.demo.checks),
revealed, and assigned through ``keshi.checks.draw_work`` to the demo ``teacher`` and the
teacher's group lead for the week of ``today`` (the coming one at the weekend) — so 我的听课任务 and the draw's page show tasks.
Idempotent: nothing is done once the draw exists."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from keshi.checks import draw_work, lottery, services
from keshi.checks.models import Draw
from keshi.demo.checks import SEED
from keshi.org.models import Membership, Org, Person

if TYPE_CHECKING:
    from keshi.demo.services import _Writer

TITLE = "推门听课抽签（本周）"


def write(w: _Writer, org: Org, today: date) -> None:
    if org.code != "demo" or Draw.objects.filter(org=org, title=TITLE).exists():
        return
    teacher = Person.objects.filter(org=org, user__username="teacher").first()
    office = get_user_model().objects.filter(username="office").first()
    if teacher is None or office is None:
        return
    lead = (
        Person.objects.filter(
            org=org,
            memberships__role=Membership.Role.LEAD,
            memberships__group__memberships__person=teacher,
        )
        .exclude(pk=teacher.pk)
        .order_by("staff_no")
        .first()
    )
    observers = [p for p in (teacher, lead) if p is not None]
    skip = {p.pk for p in observers}
    others = Person.objects.filter(org=org, active=True).exclude(pk__in=skip).order_by("staff_no")
    population = [draw_work.person_label(p) for p in others[:8]]
    if len(population) < 2:
        return
    draw = services.commit_draw(
        org=org,
        title=TITLE,
        population=population,
        k=2,
        by=office,
        population_kind=Draw.Population.TEACHERS,
    )
    seed = hashlib.sha256(f"{SEED}:{TITLE}".encode()).hexdigest()
    Draw.objects.filter(pk=draw.pk).update(seed=seed, commitment=lottery.commitment(seed))
    draw.refresh_from_db()
    services.reveal_draw(draw=draw, by=office)
    w.created["draw"] += 1
    monday = today - timedelta(days=today.weekday())
    if today.weekday() >= 5:  # at the weekend: the coming week
        monday += timedelta(days=7)
    made = draw_work.assign_drop_in(
        draw=draw, observers=observers, start=monday, due=monday + timedelta(days=4), by=office
    )
    w.created["observation_assignment"] += len(made)
