import pytest

from keshi.cover.tests.factories import make_term


@pytest.fixture
def term(cast):
    return make_term(cast.school)


@pytest.fixture
def people(cast):
    """The cast's persons by short name."""
    return {
        "teacher": cast.teacher.person,
        "other": cast.other_teacher.person,
        "lead": cast.lead.person,
        "outsider": cast.outsider.person,
    }
