from datetime import date

import factory

from keshi.org.tests.factories import PersonFactory
from keshi.records.models import Activity, ActivityKind


def kind(code: str) -> ActivityKind:
    return ActivityKind.objects.get(org=None, code=code)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    person = factory.SubFactory(PersonFactory)
    org = factory.SelfAttribute("person.org")
    kind = factory.LazyFunction(lambda: kind("observation"))
    date = date(2026, 9, 7)
    quantity = 1
