"""A new exporter cannot forget the rule: every module that creates a workbook or a CSV
writer takes `neutralise` from jiandu.lib.cells (the renderer in
lib/exports.py does it for every Exporter)."""

import re
from pathlib import Path

import jiandu

WRITES = re.compile(r"\bWorkbook\(|csv\.writer\(|csv\.DictWriter\(|xlsxwriter\.Workbook\(")


def test_every_module_writing_a_spreadsheet_neutralises_its_cells():
    root = Path(jiandu.__file__).parent
    writers = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if WRITES.search(text):
            writers.append(path.relative_to(root).as_posix())
            assert re.search(r"from jiandu\.lib\.cells import .*neutralise", text), path
    # The ones known today; a new one appears here and must pass the check above.
    assert set(writers) >= {
        "lib/exports.py",
        "intake/report.py",
        "intake/blank.py",
        "demo/generate.py",
    }
