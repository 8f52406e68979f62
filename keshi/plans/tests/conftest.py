import pytest

from keshi.plans.tests.itinerary_world import World, build_world


@pytest.fixture
def world(cast) -> World:
    return build_world(cast)
