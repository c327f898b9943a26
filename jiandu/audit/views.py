from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from jiandu.audit.labels import all_labels
from jiandu.audit.models import AuditEvent
from jiandu.orgs.access import require_role
from jiandu.orgs.models import Unit


def filtered_events(params):
    qs = AuditEvent.objects.select_related("unit")
    if params.get("action"):
        qs = qs.filter(action__startswith=params["action"])
    if params.get("unit"):
        qs = qs.filter(unit_id=params["unit"])
    if params.get("actor"):
        qs = qs.filter(actor_name__icontains=params["actor"])
    if params.get("since"):
        qs = qs.filter(created_at__date__gte=params["since"])
    if params.get("until"):
        qs = qs.filter(created_at__date__lte=params["until"])
    return qs


@login_required
def events(request):
    require_role(request.user, "supervisor", message="只有监督管理员可以查看审计记录。")
    qs = filtered_events(request.GET)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    prefixes = sorted({code.rsplit(".", 1)[0] for code in all_labels()})
    return render(
        request,
        "audit/events.html",
        {
            "page": page,
            "units": Unit.objects.all(),
            "labels": all_labels(),
            "prefixes": prefixes,
            "f": request.GET,
        },
    )
