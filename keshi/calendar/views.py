from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def term_calendar(request):
    return HttpResponse("todo")
