from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from jiandu.documents.models import Attachment
from jiandu.documents.serving import attachment_response
from jiandu.orgs.access import get_for_user

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def download_attachment(request, pk):
    """A file of a unit's data, for whoever may read that unit. Files without a unit (a
    complaint's) are not unit data: they open only where their owner is checked
    (portal:attachment), never here for everyone who reads all units."""
    att = get_for_user(Attachment.objects.filter(unit__isnull=False), request.user, pk)
    return attachment_response(att)


@login_required
def download_issued(request, pk):
    """An issued 公文, for whoever may read its unit (a document to no single unit: the
    county's readers). The first opening by a user of the unit it went to is its 送达."""
    from jiandu.documents.gongwen import mark_delivered
    from jiandu.documents.models import IssuedDocument
    from jiandu.orgs.access import sees_all

    docs = IssuedDocument.objects.select_related("number")
    if sees_all(request.user):
        doc = get_object_or_404(docs, pk=pk)
    else:
        doc = get_for_user(docs.filter(unit__isnull=False), request.user, pk)
    mark_delivered(doc, request.user)
    return FileResponse(
        doc.file.open("rb"),
        as_attachment=True,
        filename=doc.filename,
        content_type=DOCX,
    )


@login_required
@require_POST
def issued_receipt(request, pk):
    """The optional paper 送达回执 of an issued document (the unit's writers, supervisors)."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect
    from django.urls import reverse

    from jiandu.documents.gongwen import attach_receipt
    from jiandu.documents.models import IssuedDocument

    doc = get_for_user(IssuedDocument.objects.filter(unit__isnull=False), request.user, pk)
    upload = request.FILES.get("receipt")
    if upload is None:
        messages.error(request, "请选择回执文件（扫描件、照片或 PDF）。")
    else:
        try:
            attach_receipt(doc, upload, request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已上传 {doc.number.text} 的送达回执。")
    return redirect(reverse("documents:unit_papers", args=[doc.unit_id]))


@login_required
def template_default(request, kind):
    """A kind's default template (.docx with its docxtpl fields), to edit in Word and
    upload back in the admin (公文模板)."""
    from jiandu.documents.gongwen import KINDS, default_template
    from jiandu.lib.exports import download
    from jiandu.orgs.access import require_supervisor

    require_supervisor(request.user, "只有监督管理员可以下载公文模板。")
    if kind not in KINDS:
        raise Http404("未知的文书种类。")
    return download(default_template(kind), f"{KINDS[kind].name}-默认模板.docx", DOCX)


@login_required
def templates(request):
    """公文模板: per kind, the default or the supervisor's own, with upload and reset."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect, render

    from jiandu.documents.gongwen import KINDS
    from jiandu.documents.gongwen.templates_admin import reset_template, upload_template
    from jiandu.documents.models import DocumentTemplate
    from jiandu.orgs.access import require_supervisor

    require_supervisor(request.user, "只有监督管理员可以管理公文模板。")
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in KINDS:
            raise Http404("未知的文书种类。")
        try:
            if request.POST.get("reset"):
                reset_template(kind, request.user)
                messages.success(request, f"{KINDS[kind].name}已恢复为默认模板。")
            elif request.FILES.get("file") is None:
                raise ValidationError("请选择用 Word 编辑好的 .docx 模板文件。")
            else:
                upload_template(kind, request.FILES["file"], request.user)
                messages.success(request, f"{KINDS[kind].name}模板已更换。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("documents:templates")
    uploaded = {t.kind: t for t in DocumentTemplate.objects.select_related("uploaded_by")}
    rows = [(k, uploaded.get(code)) for code, k in KINDS.items()]
    return render(request, "documents/templates.html", {"rows": rows})


@login_required
def register(request):
    """文号登记: every number given, per kind and year, with its document or its 作废;
    the county's readers see it, the supervisor cancels a number with a reason."""
    from django.shortcuts import render

    from jiandu.documents.filters import NumberFilter
    from jiandu.documents.gongwen import KINDS
    from jiandu.documents.models import DocumentNumber
    from jiandu.lib.lists import Listing
    from jiandu.orgs.access import require_role

    require_role(
        request.user,
        "supervisor",
        "discipline",
        "inspector",
        message="只有县级用户可以查看文号登记。",
    )
    listing = Listing(
        request,
        DocumentNumber.objects.order_by("-year", "kind", "-seq"),
        NumberFilter,
    )
    page = listing.page(
        listing.filtered().select_related("cancelled_by", "document", "document__unit")
    )
    return render(
        request,
        "documents/register.html",
        {
            "listing": listing,
            "page": page,
            "kinds": [(k, v.name) for k, v in KINDS.items()],
            "states": DocumentNumber.State.choices,
            "f": request.GET,
            "can_cancel": request.user.is_supervisor,
        },
    )


@login_required
@require_POST
def cancel(request, pk):
    """作废 a 文号 (the supervisor, with a reason): marked, never given again."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect

    from jiandu.documents.gongwen import cancel_number
    from jiandu.documents.models import DocumentNumber
    from jiandu.orgs.access import require_supervisor

    require_supervisor(request.user, "只有监督管理员可以作废文号。")
    number = get_object_or_404(DocumentNumber, pk=pk)
    try:
        cancel_number(number, request.user, request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"文号 {number.text} 已作废，不再使用。")
    return redirect("documents:register")
