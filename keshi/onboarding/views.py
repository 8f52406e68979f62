from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from keshi.onboarding import services
from keshi.onboarding.forms import SetupForm
from keshi.web.forms import add_validation_error

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def unless_set_up(view):
    """Send the first visitor of an empty installation to the first-run page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not services.is_set_up():
            return redirect("onboarding:first_run")
        return view(request, *args, **kwargs)

    return wrapped


@never_cache
def first_run(request):
    """Open to anyone while no org exists (there is nobody to log in as yet); 404 after."""
    if services.is_set_up():
        raise Http404
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password2"}
        try:
            done = services.set_up(**data)
        except ValidationError as e:
            add_validation_error(form, e)
        else:
            login(request, done.admin, backend=MODEL_BACKEND)
            messages.success(
                request,
                _("已创建%(org)s和%(year)s。下一步：在“人员”中导入名册。")
                % {"org": done.org.name, "year": done.school_year},
            )
            return redirect("home")
    return render(request, "onboarding/setup.html", {"form": form})
