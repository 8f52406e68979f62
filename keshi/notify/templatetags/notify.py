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
