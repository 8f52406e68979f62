from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from keshi.accounts import axes_backend
from keshi.web.forms import BootstrapMixin


class LoginForm(BootstrapMixin, AuthenticationForm):
    pass


class ChangePasswordForm(BootstrapMixin, PasswordChangeForm):
    """The old password is checked through ``authenticate()`` with the request: failures count
    towards the login lockout of that username and address."""

    def __init__(self, user, *args, request=None, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old = self.cleaned_data["old_password"]
        if self.request is None:  # not from the password page: no throttling to apply
            return super().clean_old_password()
        if not axes_backend.check_password(self.request, self.user, old):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old
