from django import template

from keshi.org.selectors import display_name as _display_name

register = template.Library()


@register.filter
def display_name(user) -> str:
    """``{{ user|display_name }}``: 姓名 the Chinese way (never Django's 名 姓)."""
    return _display_name(user) if user else ""
