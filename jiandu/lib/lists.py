"""The list toolkit every list page uses: one paginator (with a capped count over large
tables), one default page size and a bounded choice of sizes, whitelisted sorting,
filters read from the URL by a django-filter FilterSet, and the query string the export
link carries so it exports exactly what the list shows.

A view builds a `Listing` from the request and its scoped queryset and hands it to the
template; the partials in templates/lib/ draw the count line, a sortable header and the
pager with its size choice. The export view calls `Listing.filtered()` (or
`filter_rows`) with the same parameters, so the rows exported are the rows listed."""

from dataclasses import dataclass, field
from datetime import date

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.db.models import F
from django.http import QueryDict
from django.utils.functional import cached_property

PAGE_SIZES = (20, 50, 100)
PAGE_SIZE = 50
# Counting stops here: COUNT(*) over a bounded subquery stays cheap on 100k+ rows, and a
# user who needs to page past 10,000 rows needs a filter (or the export) instead.
COUNT_CAP = 10_000
# The parameters of the list itself, not filters: they never narrow what is exported.
LIST_PARAMS = ("page", "size", "sort")
MAX_ID = 2**63 - 1


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    @cached_property
    def count(self):
        if not hasattr(self.object_list, "order_by"):  # rows built in Python: a list
            return len(self.object_list)
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self):
        return self.count > self.cap


def page_size(params, default: int = PAGE_SIZE) -> int:
    """`?size=` among PAGE_SIZES; anything else is the default (no 10,000-row pages)."""
    try:
        size = int(params.get("size") or 0)
    except (TypeError, ValueError):
        return default
    return size if size in PAGE_SIZES else default


@dataclass(frozen=True)
class Sorts:
    """`?sort=key` or `?sort=-key` among `allowed` (key -> order_by fields, ascending).
    Empty values go last either way and ties are broken by id, so paging is stable."""

    allowed: dict[str, tuple[str, ...]]
    default: str
    nulls_last: bool = True
    # Keys whose header sorts descending on the first click (newest, largest first).
    first_desc: tuple[str, ...] = ()

    def first(self, key: str) -> str:
        """What a header's first click asks for: `key`, or `-key` for a `first_desc` key."""
        return f"-{key}" if key in self.first_desc else key

    def key(self, params) -> str:
        key = (params.get("sort") or "").strip() or self.default
        return key if key.lstrip("-") in self.allowed else self.default

    def apply(self, qs, params):
        key = self.key(params)
        desc = key.startswith("-")
        ordering = []
        for f in self.allowed[key.lstrip("-")]:
            flip = f.startswith("-")
            name = f.lstrip("-")
            down = desc != flip
            if self.nulls_last:
                ordering.append(
                    F(name).desc(nulls_last=True) if down else F(name).asc(nulls_last=True)
                )
            else:
                ordering.append(f"-{name}" if down else name)
        ordering.append("-id" if desc else "id")
        return qs.order_by(*ordering), key


def sort(qs, request, allowed: dict[str, tuple[str, ...]], default: str):
    """The function form of Sorts for views that sort without a Listing."""
    return Sorts(allowed, default).apply(qs, request.GET)


def query_string(params, **changes) -> str:
    """`params` with some parameters replaced (None drops one), as "?a=1&b=2" (or "?")."""
    q = params.copy() if isinstance(params, QueryDict) else QueryDict(mutable=True)
    if not isinstance(params, QueryDict):
        for k, v in params.items():
            q[k] = v
    for k, v in changes.items():
        if v in (None, ""):
            q.pop(k, None)
        else:
            q[k] = v
    encoded = q.urlencode()
    return f"?{encoded}" if encoded else "?"


def export_query(params) -> str:
    """The query string an export link carries: the filters and the sort, not the page
    or its size (the export takes every filtered row, not one page of them)."""
    return query_string(params, page=None, size=None)


def active_filters(params, names) -> dict:
    """The filters among `names` the URL sets (the list's own page/size/sort excluded)."""
    return {k: params.get(k) for k in names if params.get(k) and k not in LIST_PARAMS}


class IdFilter(django_filters.Filter):
    """A positive id: "²" or an id beyond 64 bits is ignored (a stale or tampered URL
    opens the unfiltered list, never a 500 from the database driver)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def filter_rows(filterset_class, params, qs, **kwargs):
    """Apply a FilterSet's filters to `qs`: malformed values are dropped (the field is
    invalid, so django-filter skips it) rather than turned into an error page."""
    return filterset_class(params, queryset=qs, **kwargs).qs


@dataclass
class Column:
    """A sortable header: its label, the link that sorts by it, and the arrow shown."""

    label: str
    url: str
    arrow: str = ""


@dataclass
class Listing:
    """One list page: filter (FilterSet), sort (Sorts), paginate (size from the URL)."""

    request: object
    queryset: object
    filterset_class: type | None = None
    sorts: Sorts | None = None
    filter_kwargs: dict = field(default_factory=dict)
    default_size: int = PAGE_SIZE

    @cached_property
    def params(self):
        return self.request.GET

    @cached_property
    def filterset(self):
        if self.filterset_class is None:
            return None
        return self.filterset_class(self.params, queryset=self.queryset, **self.filter_kwargs)

    def filtered(self):
        """Filtered and sorted, every row: what the export writes."""
        qs = self.filterset.qs if self.filterset is not None else self.queryset
        if self.sorts is not None:
            qs, _ = self.sorts.apply(qs, self.params)
        return qs

    @cached_property
    def sort(self) -> str:
        return self.sorts.key(self.params) if self.sorts else ""

    @cached_property
    def size(self) -> int:
        return page_size(self.params, self.default_size)

    def page(self, qs=None):
        """The current page of `qs` (default: filtered(); pass it with select_related)."""
        qs = self.filtered() if qs is None else qs
        return CappedPaginator(qs, self.size).get_page(self.params.get("page"))

    @cached_property
    def is_filtered(self) -> bool:
        if self.filterset is None:
            return False
        return bool(active_filters(self.params, self.filterset.filters))

    @cached_property
    def columns(self) -> dict[str, Column]:
        """key -> Column: clicking a header sorts by it; clicking it again reverses."""
        if not self.sorts:
            return {}
        out = {}
        for key in self.sorts.allowed:
            first = self.sorts.first(key)
            nxt = first if self.sort != first else first[1:] if first[0] == "-" else f"-{key}"
            arrow = " ↑" if self.sort == key else " ↓" if self.sort == f"-{key}" else ""
            out[key] = Column(key, query_string(self.params, sort=nxt, page=None), arrow)
        return out

    @cached_property
    def sizes(self):
        """(size, link, current) for the size choice; a new size starts at page 1."""
        return [
            (n, query_string(self.params, size=n, page=None), n == self.size) for n in PAGE_SIZES
        ]

    @cached_property
    def export_query(self) -> str:
        return export_query(self.params)


def parse_date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def yes_no(value):
    return {"1": True, "0": False}.get(value)
