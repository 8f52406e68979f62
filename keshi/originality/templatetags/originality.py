"""``{% originality_badge activity %}``: the record's originality state, for any page that
shows records (the records app includes templates/originality/badge.html)."""

from __future__ import annotations

from django import template

from keshi.originality.models import Document
from keshi.originality.selectors import flag_of_activity

register = template.Library()


@register.inclusion_tag("originality/_badge.html", takes_context=True)
def originality_badge(context, activity) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    flag = flag_of_activity(user, activity) if user is not None else None
    score = None
    if flag is None:
        scores = [
            s
            for s in Document.objects.filter(activity=activity).values_list("score", flat=True)
            if s is not None
        ]
        score = max(scores) if scores else None
    return {"flag": flag, "score": score, "activity": activity}
