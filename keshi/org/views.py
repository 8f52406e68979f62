from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def people(request):
    return HttpResponse("todo")


person = groups = tree = people
