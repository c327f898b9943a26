"""List pages over large tables: a capped count, whitelisted sorting, date parsing."""

from datetime import date

from django.core.paginator import Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 50
# Counting stops here: COUNT(*) over a bounded subquery stays cheap on 100k+ rows, and a
# user who needs to page past 10,000 rows needs a filter (or the export) instead.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    @cached_property
    def count(self):
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self):
        return self.count > self.cap


def paginate(request, qs):
    return CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def sort(qs, request, allowed: dict[str, tuple[str, ...]], default: str):
    """`?sort=key` or `?sort=-key` among `allowed` (key -> order_by fields, ascending)."""
    key = request.GET.get("sort") or default
    name = key.lstrip("-")
    if name not in allowed:
        key, name = default, default.lstrip("-")
    fields = allowed[name]
    if key.startswith("-"):
        fields = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)
    return qs.order_by(*fields), key


def parse_date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def yes_no(value):
    return {"1": True, "0": False}.get(value)
