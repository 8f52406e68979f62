from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from keshi.org.scoping import scope_for


@login_required
def home(request):
    scope = scope_for(request.user)
    return render(request, "web/home.html", {"scope": scope})
