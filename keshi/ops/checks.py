"""System checks of a deployment (``keshi check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

INSECURE_KEY_HINT = (
    "设置环境变量 KESHI_SECRET_KEY 为随机长字符串（各机器相同），例如 "
    "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'。"
)


@register(Tags.security, deploy=True)
def published_secret_key(app_configs, **kwargs) -> list[Error]:
    """The demo fallback key is in the source: anyone could sign session cookies, QR sign-in
    codes and notice verification codes with it. Settings already refuse to load with it in a
    named deployment; this also catches one that names neither KESHI_DEBUG nor hosts."""
    published = getattr(settings, "INSECURE_SECRET_KEY", None)
    if not published or published != settings.SECRET_KEY:
        return []
    return [
        Error(
            "SECRET_KEY 是源码中公开的演示值：KESHI_SECRET_KEY 未设置。",
            hint=INSECURE_KEY_HINT,
            id="keshi.E001",
        )
    ]
