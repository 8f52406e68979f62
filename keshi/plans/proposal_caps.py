"""The caps inside an extracted requirement (keshi.plans.extraction.caps: 其中读书心得最多算一次)
→ the ``kind_caps`` of the rule a suggestion proposes (keshi.plans.imports.propose).

The capped kind joins the rule's kinds — 读书心得 then counts toward the reflection rule, up to
its cap — and the cap's words join the rule's source text. A cap on the rule's only kind (外出听课
inside a 听课 rule: no kind of its own to tell them apart) would cap every record, so it is left
out with a note for the office.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from keshi.rules.describe import Rule, describe


def add_caps(data: dict, *, kinds: dict, proposal, rule: Rule) -> None:
    """Put ``data["caps"]`` onto ``proposal.values`` (``kinds``: code → the org's kind; ``rule``:
    the proposal's sentence as a :class:`Rule`, to add the caps to)."""
    values = proposal.values
    chosen = list(values.get("kinds") or [])
    caps = []
    for cap in data.get("caps") or []:
        kind = kinds.get(cap.get("kind") or "")
        text = cap.get("source") or ""
        try:
            limit = Decimal(str(cap.get("value")))
        except InvalidOperation:
            continue
        if kind is None or limit <= 0:
            proposal.notes.append(_("“%(t)s”：没有对应的记录类型，未设计入上限。") % {"t": text})
            continue
        if chosen and all(k.pk == kind.pk for k in chosen):
            proposal.notes.append(
                _("“%(t)s”：与本要求是同一种记录，无法单独限制，未设计入上限；如需要请人工调整。")
                % {"t": text}
            )
            continue
        if not chosen:
            continue
        if kind not in chosen:
            chosen.append(kind)
        caps.append((kind, limit))
        if text and text not in values.get("source_text", ""):
            values["source_text"] = f"{values.get('source_text', '')}，{text}".lstrip("，")
    if not caps:
        return
    values["kinds"] = chosen
    values["kind_caps"] = caps
    proposal.sentence = describe(
        replace(
            rule,
            kinds=tuple((k.label, k.unit) for k in chosen),
            caps=tuple((k.label, k.unit, limit) for k, limit in caps),
        )
    )
