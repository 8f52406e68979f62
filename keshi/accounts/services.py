"""Writes for accounts: API tokens."""

from django.contrib.auth import get_user_model
from django.db import transaction

from keshi.accounts.models import ApiToken


class UnknownUser(LookupError):
    pass


def _user(username: str):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise UnknownUser(username) from None


@transaction.atomic
def issue_token(*, username: str, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``username``; the raw value is returned once and never stored."""
    return ApiToken.issue(_user(username), name=name)


@transaction.atomic
def revoke_tokens(*, username: str, prefix: str) -> int:
    """Revoke the user's live tokens whose prefix starts with ``prefix``; returns how many."""
    if not prefix:
        raise ValueError("prefix must not be empty")
    user = _user(username)
    return ApiToken.objects.filter(user=user, revoked=False, prefix__startswith=prefix).update(
        revoked=True
    )
