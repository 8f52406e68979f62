"""The password page: Django's, with the request handed to the form so that a wrong old
password is throttled like a wrong login (docs/security.md)."""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from keshi.accounts.forms import ChangePasswordForm
from keshi.accounts.logins import record_password_change
from keshi.accounts.middleware import SESSION_KEY


class PasswordChangeView(auth_views.PasswordChangeView):
    # Not registration/…: django.contrib.admin, installed before us, has templates of that name.
    template_name = "accounts/password_change_form.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("password_change_done")

    def get_form_kwargs(self) -> dict:
        return super().get_form_kwargs() | {"request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        record_password_change(self.request.user)
        self.request.session.pop(SESSION_KEY, None)
        return response
