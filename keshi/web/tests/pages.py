"""Shared helpers for page tests (imported by the org and web page tests)."""


def user_of(cast, who: str, admin_user=None):
    return admin_user if who == "admin" else getattr(cast, who)


def get(client, user, url: str, **params):
    client.force_login(user)
    return client.get(url, params)
