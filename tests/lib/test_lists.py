"""The list toolkit: one paginator with a bounded choice of page size, a sort whitelist,
filters kept in the URL, and an export of exactly the filtered rows."""

import django_filters
import pytest
from django.test import RequestFactory

from jiandu.lib import lists
from jiandu.lib.lists import PAGE_SIZE, PAGE_SIZES, IdFilter, Listing, Sorts
from jiandu.orgs.models import Unit

rf = RequestFactory()


class UnitFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Unit.Kind.choices)
    parent = IdFilter(field_name="parent_id")
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Unit
        fields = ["kind", "parent", "q"]


SORTS = Sorts({"code": ("code",), "name": ("name",), "kind": ("kind", "-code")}, "code")


@pytest.fixture
def many(db):
    for i in range(120):
        Unit.objects.create(
            code=f"L-{i:03d}",
            name=f"{'乡镇' if i % 3 else '部门'}{i:03d}",
            kind=Unit.Kind.TOWNSHIP if i % 3 else Unit.Kind.DEPARTMENT,
        )
    return Unit.objects.filter(code__startswith="L-")


def listing(query, qs):
    return Listing(rf.get("/x/" + query), qs, filterset_class=UnitFilter, sorts=SORTS)


def test_one_default_page_size_and_a_bounded_choice(many):
    assert listing("", many).page().paginator.per_page == PAGE_SIZE
    for n in PAGE_SIZES:
        page = listing(f"?size={n}", many).page()
        assert len(page.object_list) == n
    # Anything else falls back to the default: no page of 10,000 rows from a URL.
    for bad in ("10000", "0", "-20", "abc", "50.5"):
        assert len(listing(f"?size={bad}", many).page().object_list) == PAGE_SIZE


def test_pages_cover_every_row_once(many):
    seen = []
    for number in (1, 2, 3):
        seen += [u.code for u in listing(f"?size=50&page={number}", many).page()]
    assert sorted(seen) == sorted(many.values_list("code", flat=True))
    assert len(seen) == 120
    # A page past the end shows the last page, not an error.
    assert [u.code for u in listing("?page=99", many).page()] == seen[100:]


def test_sorting_only_by_whitelisted_keys(many):
    by_name_desc = [u.name for u in listing("?sort=-name", many).filtered()]
    assert by_name_desc == sorted(by_name_desc, reverse=True)
    # A column not on the whitelist (a private field, an injected expression) is ignored.
    for bad in ("password", "-parent__users__password", "code;drop", "?"):
        assert listing(f"?sort={bad}", many).sort == "code"
        codes = [u.code for u in listing(f"?sort={bad}", many).filtered()]
        assert codes == sorted(codes)
    # "-" reverses each field of the key, a field's own "-" included.
    rows = list(listing("?sort=-kind", many).filtered())
    assert rows[0].kind == max(u.kind for u in rows)


def test_header_link_toggles_and_keeps_filters(many):
    page = listing("?kind=township&q=%E4%B9%A1&sort=name&page=2", many)
    col = page.columns["name"]
    assert col.arrow == " ↑"
    assert "sort=-name" in col.url and "kind=township" in col.url and "q=" in col.url
    assert "page=" not in col.url  # a new order starts at the first page
    assert page.columns["code"].arrow == ""
    assert "sort=code" in page.columns["code"].url


def test_a_first_desc_header_sorts_newest_first_then_toggles(many):
    sorts = Sorts({"code": ("code",), "name": ("name",)}, "code", first_desc=("name",))

    def cols(query):
        return Listing(rf.get("/x/" + query), many, sorts=sorts).columns

    assert "sort=-name" in cols("")["name"].url  # the first click: descending
    assert (
        "sort=name" in cols("?sort=-name")["name"].url and cols("?sort=-name")["name"].arrow == " ↓"
    )
    assert (
        "sort=-name" in cols("?sort=name")["name"].url and cols("?sort=name")["name"].arrow == " ↑"
    )
    assert "sort=-code" in cols("")["code"].url  # the current ascending key reverses


def test_filters_come_from_the_url_and_bad_values_are_ignored(many):
    towns = listing("?kind=township", many)
    assert towns.is_filtered
    assert towns.page().paginator.count == 80
    assert not listing("?sort=name&size=20&page=2", many).is_filtered
    # A stale or tampered value opens the unfiltered list instead of an error.
    for bad in ("?kind=nonsense", "?parent=%C2%B2", f"?parent={2**64}", "?parent=-1"):
        assert listing(bad, many).filtered().count() == 120


def test_size_links_keep_the_filters_and_start_at_page_one(many):
    page = listing("?kind=township&page=2&size=20", many)
    sizes = {n: (url, current) for n, url, current in page.sizes}
    assert sizes[20][1] and not sizes[50][1]
    assert "kind=township" in sizes[100][0] and "size=100" in sizes[100][0]
    assert "page=" not in sizes[100][0]


def test_the_export_takes_exactly_the_filtered_rows(many):
    page = listing("?kind=department&q=%E9%83%A8%E9%97%A8&sort=-code&page=2&size=20", many)
    # The export link carries the filters and the order, not the page or its size.
    assert "page" not in page.export_query and "size" not in page.export_query
    assert "kind=department" in page.export_query and "sort=-code" in page.export_query
    exported = Listing(rf.get("/x/export/" + page.export_query), many, UnitFilter, SORTS)
    rows = [u.code for u in exported.filtered()]
    assert rows == sorted(
        many.filter(kind=Unit.Kind.DEPARTMENT).values_list("code", flat=True), reverse=True
    )
    assert len(rows) == 40  # every filtered row, not the 20 of one page


def test_the_count_is_capped_on_large_tables(many, monkeypatch):
    monkeypatch.setattr(lists.CappedPaginator, "cap", 100)
    page = listing("", many).page()
    assert page.paginator.capped and page.paginator.count == 101
    assert not listing("?kind=department", many).page().paginator.capped
