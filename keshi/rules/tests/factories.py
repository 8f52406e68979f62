import factory

from keshi.rules.models import Requirement


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"要求{n}")
    threshold = 4
    period = Requirement.Period.TERM

    @factory.post_generation
    def kinds(self, create, extracted, **kwargs):
        if create and extracted:
            self.kinds.set(extracted)
