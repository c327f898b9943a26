from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiandu.campaigns import actions, phase_work
from jiandu.campaigns.forms import (
    CampaignForm,
    ContactForm,
    CreateCampaignForm,
    ItemForm,
    PhaseDatesForm,
)
from jiandu.campaigns.models import (
    Campaign,
    CampaignContact,
    SelfCheckItem,
    SelfCheckTemplate,
)
from jiandu.orgs.access import require_role, scope
from jiandu.orgs.models import Role, Unit


def _campaigns():
    return Campaign.objects.select_related("lead_unit").prefetch_related("phases")


def _campaign_or_404(pk):
    """A campaign by an id from the query or the form; malformed ids are a 404 too."""
    try:
        return _campaigns().get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该专项行动。") from exc


def _requested_campaign(request):
    """?campaign=<id> when given, else the current campaign."""
    pk = request.GET.get("campaign")
    if pk:
        return _campaign_or_404(pk)
    current = Campaign.objects.current()
    return _campaigns().get(pk=current.pk) if current else None


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


# ---------------------------------------------------------------- campaign pages


@login_required
def detail_current(request):
    campaign = _requested_campaign(request)
    if campaign is None:
        return render(request, "campaigns/none.html", {"form": _blank_create_form()})
    return _render_detail(request, campaign)


def _blank_create_form():
    return CreateCampaignForm(
        initial={
            "lead_unit": Unit.objects.filter(kind=Unit.Kind.JUSTICE).first(),
            "start": timezone.localdate(),
            # A new year's campaign starts from the latest one's template by default.
            "from_campaign": Campaign.objects.order_by("-id").first(),
        }
    )


@login_required
def detail(request, pk):
    return _render_detail(request, get_object_or_404(_campaigns(), pk=pk))


def _render_detail(request, campaign):
    today = timezone.localdate()
    current = campaign.phase_on(today)
    phases = [
        {
            "phase": p,
            "current": p is current,
            "past": p.end < today,
            "days_left": p.days_left(today),
        }
        for p in campaign.phases.all()
    ]
    template = getattr(campaign, "template", None)
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "phases": phases,
            "current_phase": current,
            "days_left": current.days_left(today) if current else None,
            "focus_areas": campaign.focus_areas.annotate(
                item_count=Count("selfcheckitem", filter=Q(selfcheckitem__template=template))
            ),
            "contacts": campaign.contacts.select_related("unit"),
            "template": template,
            "campaigns": Campaign.objects.all(),
            "work": _phase_work(request.user, campaign),
        },
    )


def _phase_work(user, campaign):
    """Counts next to each phase's links (scoped like the pages they lead to); the
    ledger's, supervision's and acceptance's come from their counters (phase_work.py)."""
    return {
        **phase_work.counts(user, campaign),
        "reports": scope(campaign.reports.submitted(), user).count(),
        "can_download": user.is_supervisor or user.is_discipline,
    }


@login_required
def create(request):
    require_role(request.user, Role.SUPERVISOR)
    context = {"creating": Campaign.objects.exists()}
    if request.method != "POST":
        return render(request, "campaigns/none.html", {**context, "form": _blank_create_form()})
    form = CreateCampaignForm(request.POST)
    if not form.is_valid():
        return render(request, "campaigns/none.html", {**context, "form": form}, status=400)
    campaign = actions.create_campaign(**form.cleaned_data, actor=request.user, request=request)
    messages.success(request, "已按县方案创建专项行动，请核对各阶段日期和联系人。")
    return redirect("campaigns:detail", campaign.pk)


@login_required
def edit(request, pk):
    require_role(request.user, Role.SUPERVISOR)
    campaign = get_object_or_404(_campaigns(), pk=pk)
    data = request.POST if request.method == "POST" else None
    form = CampaignForm(data, instance=campaign)
    phase_form = PhaseDatesForm(data, campaign=campaign)
    if data is not None and form.is_valid() and phase_form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        campaign.refresh_from_db()  # the form mutated the instance; the action compares
        try:
            actions.update_campaign(
                campaign,
                actor=request.user,
                fields=fields,
                phases=phase_form.phases(),
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, "专项行动已保存。")
            return redirect("campaigns:detail", campaign.pk)
    return _render_edit(
        request,
        campaign,
        form=form,
        phase_form=phase_form,
        status=400 if data is not None else 200,
    )


def _render_edit(request, campaign, *, form=None, phase_form=None, contact_form=None, status):
    """The edit page: the campaign's texts, its phase dates and its contacts."""
    return render(
        request,
        "campaigns/edit.html",
        {
            "campaign": campaign,
            "form": form or CampaignForm(instance=campaign),
            "phase_form": phase_form or PhaseDatesForm(campaign=campaign),
            "contact_form": contact_form or ContactForm(),
            "contacts": campaign.contacts.select_related("unit"),
        },
        status=status,
    )


@login_required
@require_POST
def contact_add(request, pk):
    require_role(request.user, Role.SUPERVISOR)
    campaign = get_object_or_404(_campaigns(), pk=pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        actions.add_contact(campaign, actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, "已添加联系人。")
        return redirect("campaigns:edit", campaign.pk)
    return _render_edit(request, campaign, contact_form=form, status=400)


@login_required
@require_POST
def contact_remove(request, pk, contact_pk):
    require_role(request.user, Role.SUPERVISOR)
    contact = get_object_or_404(CampaignContact, pk=contact_pk, campaign_id=pk)
    actions.remove_contact(contact, actor=request.user, request=request)
    messages.success(request, f"已删除联系人 {contact.name}。")
    return redirect("campaigns:edit", pk)


# ---------------------------------------------------------------- template


@login_required
def template(request, pk):
    campaign = get_object_or_404(_campaigns(), pk=pk)
    tpl = getattr(campaign, "template", None)
    if tpl is None:
        raise Http404("该专项行动尚未设置自查表。")
    editable = tpl.is_editable() and request.user.is_supervisor
    return _render_template(request, campaign, tpl, editable, ItemForm() if editable else None)


def _render_template(request, campaign, tpl, editable, form, status=200):
    phase = campaign.phase("self_check")
    return render(
        request,
        "campaigns/template.html",
        {
            "campaign": campaign,
            "tpl": tpl,
            "items": tpl.items.select_related("focus_area"),
            "editable": editable,
            "locked": not tpl.is_editable(),
            "self_check_phase": phase,
            "form": form,
        },
        status=status,
    )


def _item_for(request, pk, item_pk):
    require_role(request.user, Role.SUPERVISOR)
    return get_object_or_404(
        SelfCheckItem.objects.select_related("template__campaign"),
        pk=item_pk,
        template__campaign_id=pk,
    )


@login_required
@require_POST
def item_add(request, pk):
    require_role(request.user, Role.SUPERVISOR)
    campaign = get_object_or_404(_campaigns(), pk=pk)
    tpl = get_object_or_404(SelfCheckTemplate, campaign=campaign)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            actions.add_item(tpl, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, "已新增自查事项。")
        return redirect("campaigns:template", pk)
    return _render_template(request, campaign, tpl, tpl.is_editable(), form, status=400)


@login_required
def item_edit(request, pk, item_pk):
    item = _item_for(request, pk, item_pk)
    if not item.template.is_editable():
        messages.error(request, "问题自查阶段已开始，自查表已锁定，不能再修改自查事项。")
        return redirect("campaigns:template", pk)
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        item.refresh_from_db()
        try:
            actions.update_item(item, actor=request.user, request=request, **fields)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, f"第 {item.order} 项已保存。")
        return redirect("campaigns:template", pk)
    return render(
        request,
        "campaigns/item_edit.html",
        {"item": item, "form": form, "campaign": item.template.campaign},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def item_delete(request, pk, item_pk):
    item = _item_for(request, pk, item_pk)
    try:
        actions.delete_item(item, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "已删除该自查事项。")
    return redirect("campaigns:template", pk)


@login_required
@require_POST
def item_move(request, pk, item_pk):
    item = _item_for(request, pk, item_pk)
    try:
        actions.move_item(
            item,
            "up" if request.POST.get("direction") == "up" else "down",
            actor=request.user,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect(f"{reverse('campaigns:template', args=[pk])}#item-{item.pk}")
