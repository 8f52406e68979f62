from django import template

from keshi.integrations.models import Integration

register = template.Library()


@register.inclusion_tag("integrations/_scan_login.html")
def scan_login_links() -> dict:
    """扫码登录 buttons on the login page: one per org with an active DingTalk or WeCom app."""
    apps = Integration.objects.filter(active=True).select_related("org")
    return {"apps": list(apps.order_by("org__path")[:20])}
