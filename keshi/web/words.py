from keshi.calendar.selectors import home_org
from keshi.org.words import using


class WordsMiddleware:
    """A signed-in user reads keshi in the words of the org they work in (#24: a hospital's
    科主任 reads 年度 and 科室 where a teacher reads 学期 and 教研组). After the locale and
    authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        with using(home_org(user)):
            return self.get_response(request)
