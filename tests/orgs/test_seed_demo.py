from importlib import import_module
from pathlib import Path

import jiandu
from jiandu.orgs.management.commands.seed_demo import ORDER


def test_every_app_with_demo_data_is_seeded_once_and_in_order():
    with_demo = {p.parent.name for p in Path(jiandu.__file__).parent.glob("*/demo.py")}
    assert sorted(ORDER) == sorted(with_demo)
    assert len(ORDER) == len(set(ORDER))
    assert ORDER[0] == "orgs" and ORDER.index("portal") < ORDER.index("monitoring")
    for app in ORDER:
        assert callable(import_module(f"jiandu.{app}.demo").seed), app
