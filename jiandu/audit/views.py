from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from jiandu.audit.labels import all_labels, label_for
from jiandu.audit.models import AuditEvent
from jiandu.documents.exports import Exporter, xlsx_response
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


class AuditExporter(Exporter):
    title = "审计记录"
    sheet = "审计记录"
    columns = [
        ("时间", 18),
        ("操作人", 12),
        ("单位", 22),
        ("操作", 16),
        ("对象", 30),
        ("详情", 50),
        ("IP", 15),
    ]

    def __init__(self, events):
        self.events = events

    def rows(self):
        for e in self.events.iterator(chunk_size=2000):
            detail = "；".join(f"{k}：{v}" for k, v in (e.data or {}).items())
            yield [
                e.created_at,
                e.actor_name,
                e.unit.name if e.unit else "",
                label_for(e.action),
                e.object_repr,
                detail,
                e.ip or "",
            ]


@login_required
def export(request):
    require_role(request.user, "supervisor", message="只有监督管理员可以导出审计记录。")
    return xlsx_response(
        request,
        AuditExporter(filtered_events(request.GET)),
        filename="审计记录",
        action="audit.export",
    )
