from django import template

from keshi.notify import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_count(context) -> int:
    """Unread notifications of the signed-in user, counted once per request."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    cached = getattr(request, "_keshi_unread", None)
    if cached is None:
        cached = selectors.unread_count(user)
        if request is not None:
            request._keshi_unread = cached
    return cached


@register.simple_tag(takes_context=True)
def may_remind(context, org, group=None) -> bool:
    """Whether the signed-in user may use 提醒未完成的人 for ``org`` (``group``)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated or org is None:
        return False
    return selectors.may_remind(user, org, group)
