from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.campaigns.models import Campaign
from jiandu.documents import summary
from jiandu.documents.models import Attachment
from jiandu.lib.exports import download
from jiandu.orgs.access import get_for_user, require_role

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def download_attachment(request, pk):
    """A file of a unit's data, for whoever may read that unit. Files without a unit (a
    complaint's) are not unit data: they open only where their owner is checked
    (portal:attachment), never here for everyone who reads all units."""
    att = get_for_user(Attachment.objects.filter(unit__isnull=False), request.user, pk)
    return FileResponse(
        att.file.open("rb"),
        as_attachment=True,
        filename=att.original_name,
        content_type=att.content_type,
    )


@login_required
def summary_report(request, campaign_id):
    require_role(
        request.user,
        "supervisor",
        "discipline",
        message="只有监督管理员和纪检监督员可以生成总结报告。",
    )
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    content = summary.render_docx(summary.collect(campaign))
    log(
        "documents.summary.exported",
        actor=request.user,
        obj=campaign,
        unit=request.user.unit,
        request=request,
    )
    return download(
        content, f"{campaign.title}工作总结-{timezone.localdate():%Y%m%d}.docx", DOCX_TYPE
    )
