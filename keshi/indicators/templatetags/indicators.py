from django import template

from keshi.indicators import measure

register = template.Library()


@register.filter
def num(value) -> str:
    """A figure without trailing zeros: 8.5, 8, 94.85, 2745; — when missing."""
    return measure.fmt(value)
