from importlib import import_module
from pathlib import Path

import jiandu
from jiandu.demo.management.commands.seed_demo import ORDER


def test_every_demo_part_is_seeded_once_and_in_order():
    parts = {p.stem for p in (Path(jiandu.__file__).parent / "demo").glob("*.py")}
    assert sorted(ORDER) == sorted(parts - {"__init__", "apps", "generate"})
    assert len(ORDER) == len(set(ORDER))
    assert ORDER[0] == "county" and ORDER.index("portal") < ORDER.index("monitoring")
    for part in ORDER:
        assert callable(import_module(f"jiandu.demo.{part}").seed), part
    # Demo data lives only in the demo package.
    assert not list(Path(jiandu.__file__).parent.glob("*/demo.py"))
