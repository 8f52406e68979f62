"""Pages that hit the closed-term guard answer 409 with its Chinese message, not a server error.

Forms that catch ``ValidationError`` show the message next to the form themselves; this is for
the plain POST actions (delete, review, status…) that do not. The API has its own handler.
"""

from django.shortcuts import render

from keshi.calendar.closing import TermClosed


class ClosedTermMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, TermClosed):
            context = {"message": exception.messages[0], "term": exception.term}
            return render(request, "calendar/closed.html", context, status=409)
        return None
