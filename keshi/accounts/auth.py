from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from keshi.accounts.models import ApiToken, hash_token


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked=False, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
        request.user = found.user
        return found.user


# Bearer tokens for integrations; the session (with CSRF) for the site's own htmx calls.
api_auth = [BearerToken(), django_auth]
