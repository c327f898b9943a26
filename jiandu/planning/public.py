"""一公开: the public pages of the draws, no login. A draw is public from its announcement
(commitment and pools) and shows its seed and results once drawn; the JSON holds exactly
what anyone needs to check it with nothing but SHA-256."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render

from jiandu.lib.lists import Listing
from jiandu.planning.filters import DRAW_SORTS
from jiandu.planning.models import Draw

PUBLIC_STATES = (Draw.State.ANNOUNCED, Draw.State.DRAWN, Draw.State.PUBLISHED)
PUBLIC_PAGE_SIZE = 20


def public_draws():
    return Draw.objects.filter(state__in=PUBLIC_STATES).select_related("unit", "random_draw")


def draw_json(draw) -> dict:
    """The draw as the public checks it. Before the draw: no seed, nothing selected."""
    revealed = draw.revealed
    return {
        "draw_no": draw.draw_no,
        "unit": draw.unit.name,
        "commitment": draw.commitment,
        "seed": draw.seed if revealed else None,
        "pool": draw.pool,
        "n": draw.n,
        "selected": draw.selected if revealed else [],
        "officer_pool": draw.officer_pool,
        "officer_n": len(draw.officers) if revealed else draw.officer_n,
        "officers": draw.officers if revealed else [],
        "published_on": draw.published_on.isoformat() if draw.published_on else None,
    }


def draws(request):
    listing = Listing(request, public_draws(), None, DRAW_SORTS, default_size=PUBLIC_PAGE_SIZE)
    return render(
        request, "planning/public_draws.html", {"page": listing.page(), "listing": listing}
    )


def _get(pk):
    return get_object_or_404(public_draws(), pk=pk)


def draw(request, pk):
    obj = _get(pk)
    data = draw_json(obj)
    return render(
        request,
        "planning/public_draw.html",
        {
            "draw": obj,
            "data": data,
            "pool_preview": obj.pool[:50],
            "pairs": list(zip(obj.selected, _pairs(obj), strict=False)) if obj.revealed else [],
        },
    )


def _pairs(obj):
    from jiandu.planning.lottery import pair

    return pair(obj.selected, obj.officers, obj.officers_per_enterprise)


def draw_data(request, pk):
    try:
        obj = _get(pk)
    except Http404:
        return JsonResponse({"error": "没有该抽查，或尚未公告。"}, status=404)
    response = JsonResponse(draw_json(obj), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="{obj.draw_no}.json"'
    return response
