from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from keshi.web.forms import BootstrapMixin


class LoginForm(BootstrapMixin, AuthenticationForm):
    pass


class ChangePasswordForm(BootstrapMixin, PasswordChangeForm):
    pass
