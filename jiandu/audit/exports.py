"""The audited download: every export a person takes from a page is written to the
audit log (what, by whom, with which filters) before the file is sent. The renderer
itself is jiandu.lib.exports (pure, no audit)."""

from django.http import HttpResponse
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.lib.exports import Exporter, download, render_xlsx


def xlsx_response(
    request, *exporters: Exporter, filename: str, action: str, data=None
) -> HttpResponse:
    """Render, audit (`action`, e.g. 'ledger.export'), and send as a download."""
    content = render_xlsx(*exporters)
    log(
        action,
        actor=request.user,
        unit=getattr(request.user, "unit", None),
        request=request,
        object_repr=filename,
        data={"filters": {k: v for k, v in request.GET.items()}, **(data or {})},
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return download(content, f"{filename}-{stamp}.xlsx")
