"""The published best cases (最佳案例、最佳实践) on the public portal, mounted under
`/public/` in the `portal:` namespace by jiandu/urls.py (acceptance stands above portal).
Only published ones, only what was published: title, summary, text, unit, date."""

from django.shortcuts import get_object_or_404, render

from jiandu.acceptance.models import Showcase
from jiandu.lib.lists import Listing

PUBLIC_PAGE_SIZE = 20


def _published():
    return Showcase.objects.published().select_related("unit", "campaign")


def best_cases(request):
    listing = Listing(
        request, _published().order_by("-published_at", "-id"), default_size=PUBLIC_PAGE_SIZE
    )
    return render(
        request, "acceptance/public_list.html", {"page": listing.page(), "listing": listing}
    )


def best_case(request, pk):
    return render(
        request,
        "acceptance/public_detail.html",
        {"showcase": get_object_or_404(_published(), pk=pk)},
    )
