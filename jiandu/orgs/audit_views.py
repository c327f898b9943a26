from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jiandu.audit.exports import xlsx_response
from jiandu.audit.filters import SORTING, EventFilter
from jiandu.audit.labels import all_labels, details, label_for
from jiandu.audit.models import AuditEvent
from jiandu.lib.exports import Exporter
from jiandu.lib.lists import Listing
from jiandu.orgs.access import require_role
from jiandu.orgs.models import Unit


def event_listing(request):
    return Listing(
        request,
        AuditEvent.objects.select_related("unit"),
        filterset_class=EventFilter,
        sorts=SORTING,
    )


@login_required
def events(request):
    require_role(request.user, "supervisor", message="只有监督管理员可以查看审计记录。")
    listing = event_listing(request)
    page = listing.page()
    for event in page.object_list:
        event.details = details(event.action, event.data, event.object_type)
    prefixes = sorted({code.rsplit(".", 1)[0] for code in all_labels()})
    return render(
        request,
        "audit/events.html",
        {
            "page": page,
            "listing": listing,
            "units": Unit.objects.all(),
            "labels": all_labels(),
            "prefixes": prefixes,
            "f": request.GET,
            "filter_errors": listing.filterset.error_list(),
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
            detail = "；".join(f"{k}：{v}" for k, v in details(e.action, e.data, e.object_type))
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
        AuditExporter(event_listing(request).filtered()),
        filename="审计记录",
        action="audit.export",
    )
