import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jiandu.integrations import actions
from jiandu.integrations.models import EVENTS, Delivery
from jiandu.lib.lists import Listing, Sorts
from jiandu.orgs.access import require_supervisor

MESSAGE = "只有监督管理员可以查看事件推送。"


class DeliveryFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=Delivery.State.choices)
    event = django_filters.ChoiceFilter(field_name="event__type", choices=list(EVENTS.items()))


SORTS = Sorts(
    {"created": ("created_at",), "attempt": ("last_attempt_at",)},
    "-created",
    first_desc=("created", "attempt"),
)


@login_required
def deliveries(request):
    # County-wide: the supervisor's page (a unit has none), so no unit scoping applies.
    require_supervisor(request.user, MESSAGE)
    qs = Delivery.objects.select_related("event__unit", "webhook__token")
    listing = Listing(request, qs, DeliveryFilter, SORTS)
    return render(
        request,
        "integrations/deliveries.html",
        {
            "page": listing.page(),
            "listing": listing,
            "f": request.GET,
            "states": Delivery.State.choices,
            "events": EVENTS.items(),
        },
    )


@login_required
@require_POST
def replay(request, pk):
    require_supervisor(request.user, MESSAGE)
    delivery = get_object_or_404(Delivery, pk=pk)
    try:
        done = actions.replay(delivery, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("integrations:deliveries")
    if done.state == Delivery.State.DELIVERED:
        messages.success(request, f"已重新推送，接收方返回 {done.last_status}。")
    else:
        messages.error(request, f"重新推送未成功：{done.last_status or done.last_response[:100]}")
    return redirect("integrations:deliveries")
