"""Every transition takes its row lock through `jiandu.lib.locking.lock` (issue 10 §3): no
app re-reads one object with its own `select_for_update().get(...)`. The lock of a row
that may not exist yet (get_or_create) and the import queue's skip-locked pick stay
where they are."""

import re
from pathlib import Path

from django.db import transaction

import jiandu
from jiandu.lib.locking import lock
from jiandu.orgs.models import Unit

ONE_ROW_LOCK = re.compile(r"select_for_update\([^)]*\)\s*\.get\(")


def test_no_app_locks_one_row_by_hand():
    root = Path(jiandu.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.parts
        and path.relative_to(root).as_posix() != "lib/locking.py"
        and ONE_ROW_LOCK.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_lock_rereads_the_row(units):
    stale = Unit.objects.get(pk=units["a"].pk)
    Unit.objects.filter(pk=stale.pk).update(name="改名后的甲镇")
    with transaction.atomic():
        assert lock(stale) is stale
    assert stale.name == "改名后的甲镇"
