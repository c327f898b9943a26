"""The house's layers (issue #10): the import picture of scripts/import_picture.py must
show no circles, only the arrows back up allowed below, and every import between parts
must keep to the floors of its PLAN. A new part goes on a floor of PLAN; a new import
that points up is handed down instead (a registry, a signal, the root urls)."""

import pytest

# the script as the other tests that read the code load it: one parse of each file
from tests.lib.sources import picture_script

# Imports to a part on a higher floor of the picture that stay, and why. At most 6.
ALLOWED_BACK_UP = {
    # The command line imports everything lazily (Django starts after it has read its
    # arguments), so the picture puts it on the ground floor although it is an entry
    # point; reading the import file while Django starts is the point of this import.
    ("jiandu.cli", "jiandu.intake.readers"),
    # The same lazy command line starts the daily reminder schedule in `jiandu serve`
    # (one scheduler per server, not one per gunicorn worker); the module sets up no Django.
    ("jiandu.cli", "jiandu.reminders.schedule"),
}
MAX_BACK_UP = 6


@pytest.fixture(scope="module")
def picture():
    return picture_script.picture()


def test_no_circles(picture):
    assert picture["part_circles"] == [], "parts importing each other at module level"
    assert picture["module_circles"] == [], "modules importing each other at module level"
    assert picture["late_circles"] == [], "modules importing each other, inside functions too"


def test_arrows_back_up_are_the_allowed_ones(picture):
    assert len(ALLOWED_BACK_UP) <= MAX_BACK_UP
    back = set(picture["back"])
    assert back - ALLOWED_BACK_UP == set(), "new imports pointing to a higher floor"
    assert ALLOWED_BACK_UP - back == set(), "allowed arrows that are gone: drop them here"


def test_every_part_has_a_floor_in_the_plan(picture):
    planned = [f"jiandu.{p}" for floor in picture_script.PLAN for p in floor]
    assert len(planned) == len(set(planned)), "a part on two floors of PLAN"
    assert set(picture["parts"]) - set(planned) == set(), "parts missing from PLAN"


def test_imports_keep_to_the_plan(picture):
    floor = {f"jiandu.{p}": i for i, parts in enumerate(picture_script.PLAN) for p in parts}
    part = picture_script.part
    upward = sorted(
        (a, b)
        for a, b, _ in picture["edges"]
        if part(a) in floor and part(b) in floor and floor[part(b)] > floor[part(a)]
    )
    assert set(upward) - ALLOWED_BACK_UP == set(), "imports to a higher floor of PLAN"


def test_moves_in_flight_have_not_landed():
    """MOVING names modules other branches are moving; once a move has landed its entry
    must go (it would hide an import of the module's new home)."""
    as_is = picture_script.picture(moving={}, moving_edges=set())
    landed = [old for old in picture_script.MOVING if old not in as_is["modules"]]
    assert landed == [], "moves that have landed: delete them from MOVING"
    edges = {(a, b) for a, b, _ in picture_script.picture(moving_edges=set())["edges"]}
    gone = picture_script.MOVING_EDGES - edges
    assert gone == set(), "imports that are gone: delete them from MOVING_EDGES"
