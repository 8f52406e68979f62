"""``{% person_duties person %}``: a person's 工作分工 and the 行事历 items they own this term,
for the person page (keshi/org/templates/org/person.html)."""

from __future__ import annotations

from django import template

from keshi.calendar.selectors import current_term
from keshi.plans.calendar_selectors import duties_of, items_owned_by

register = template.Library()


@register.inclusion_tag("plans/duties_person.html", takes_context=True)
def person_duties(context, person) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    term = current_term(person.org)
    return {
        "person": person,
        "term": term,
        "duties": list(duties_of(person, user=user, term=term)) if term else [],
        "items": items_owned_by(person, term, user=user),
        "is_self": context.get("is_self", False),
    }
