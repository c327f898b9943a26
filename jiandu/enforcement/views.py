"""Enforcement pages: the lists (cases, inspections, enterprises, officers), one case,
one enterprise with all its visits, and inspection registration (检查登记备案, 亮码).

Scoping: cases, inspections and officers are unit data (orgs.access.scope). The
enterprise registry is county-wide and readable by every logged-in user, but what is
shown of an enterprise's inspections and cases is scoped; a unit's user sees other
units' inspections of the enterprise only as date + unit + kind (so they can join a
visit rather than add one), never their officers, items or results."""

import json
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from jiandu import workdays
from jiandu.audit.exports import xlsx_response
from jiandu.enforcement import actions, charts, qr, watch
from jiandu.enforcement.exports import CaseExporter, InspectionExporter
from jiandu.enforcement.filters import (
    CASE_SORTS,
    ENTERPRISE_SORTS,
    INSPECTION_SORTS,
    OFFICER_SORTS,
    SOON_DAYS,
    CaseFilter,
    EnterpriseFilter,
    InspectionFilter,
    OfficerFilter,
)
from jiandu.enforcement.forms import CompleteForm, RegistrationForm
from jiandu.enforcement.models import (
    Certificate,
    Enterprise,
    Inspection,
    Officer,
    PartyType,
    PenaltyCase,
)
from jiandu.lib.action_errors import add_action_errors
from jiandu.lib.lists import Listing
from jiandu.orgs.access import can_write_unit, get_for_user, scope, sees_all
from jiandu.orgs.models import Unit
from jiandu.standards.calculator import case_benchmark
from jiandu.standards.models import TierLevel


def _units(user):
    """Units a filter may offer: every enforcement unit for county-wide readers."""
    if sees_all(user):
        return list(Unit.objects.enforcement().order_by("kind", "code"))
    return []


def _list_page(request, template, listing, *, exporter=None, **context):
    """A filtered list as every list page shows it, or with `?export=xlsx` exactly its
    rows (filtered and sorted) as a workbook (audited)."""
    if exporter and request.GET.get("export") == "xlsx":
        sheet = exporter(listing.filtered())
        return xlsx_response(request, sheet, filename=sheet.filename, action="enforcement.export")
    return render(
        request,
        template,
        {
            "page": listing.page(),
            "listing": listing,
            "f": request.GET,
            "units": _units(request.user),
            **context,
        },
    )


def _int(value):
    """A positive id from a GET parameter, or None: a stale or mangled link opens the
    unfiltered list instead of a database overflow error."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**63 else None


# --- cases -------------------------------------------------------------------------


@login_required
def cases(request):
    qs = scope(PenaltyCase.objects.select_related("unit"), request.user)
    return _list_page(
        request,
        "enforcement/cases.html",
        Listing(request, qs, CaseFilter, CASE_SORTS),
        exporter=CaseExporter,
        tiers=TierLevel.choices,
        party_types=PartyType.choices,
        sources=PenaltyCase.Source.choices,
    )


def _alerts_for(obj, kind):
    """Monitoring's alerts on this record, found by its natural key."""
    return watch.alerts_for(kind, obj.subject_key)


@login_required
def case(request, pk):
    obj = get_for_user(PenaltyCase.objects.select_related("unit", "violation"), request.user, pk)
    steps, total = obj.timeline(workdays.calendar())
    three_docs = watch.three_docs(obj.pk)  # what SERV-01 says about this case
    return render(
        request,
        "enforcement/case.html",
        {
            "case": obj,
            "steps": steps,
            "total": total,
            "bench": case_benchmark(obj),
            "officers": obj.certificates(),
            "repairs": obj.repairs(),
            "enterprise": obj.party_enterprise(),
            "three_docs": three_docs,
            "alerts": _alerts_for(obj, "case"),
        },
    )


# --- inspections -----------------------------------------------------------------------


def _can_register(user):
    return user.is_supervisor or bool(
        user.unit_id and user.has_role("clerk", "leader") and user.unit.is_enforcement_unit
    )


@login_required
def inspections(request):
    qs = scope(Inspection.objects.select_related("unit", "enterprise"), request.user)
    return _list_page(
        request,
        "enforcement/inspections.html",
        Listing(request, qs, InspectionFilter, INSPECTION_SORTS),
        exporter=InspectionExporter,
        kinds=Inspection.Kind.choices,
        modes=Inspection.Mode.choices,
        results=Inspection.Result.choices,
        can_register=_can_register(request.user),
    )


def _verify_url(request, code):
    return qr.link(request, qr.verify_path(code))


@login_required
def inspection(request, pk):
    obj = get_for_user(
        Inspection.objects.select_related("unit", "enterprise", "random_draw"), request.user, pk
    )
    can_write = can_write_unit(request.user, obj.unit_id)
    form = None
    if obj.is_planned and can_write:
        form = CompleteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                actions.complete_inspection(
                    obj,
                    result=form.cleaned_data["result"],
                    items=form.cleaned_data["items"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, "已标记为完成。")
                return redirect("enforcement:inspection", obj.pk)
    elif request.method == "POST":
        raise PermissionDenied("您不能修改该检查。")
    verify_url = _verify_url(request, obj.verify_code) if obj.verify_code else ""
    return render(
        request,
        "enforcement/inspection.html",
        {
            "inspection": obj,
            "officers": obj.certificates(),
            "verify_url": verify_url,
            "qr_svg": qr.svg(verify_url) if verify_url else "",
            "form": form,
            "is_new": request.GET.get("new") == "1",
            "alerts": _alerts_for(obj, "inspection"),
            "today": timezone.localdate(),
        },
    )


def _registration_unit(request):
    user = request.user
    if not _can_register(user):
        raise PermissionDenied("只有执法单位的填报员、负责人或监督管理员可以登记检查。")
    if user.is_supervisor:
        unit_id = _int(request.POST.get("unit") or request.GET.get("unit"))
        if unit_id is None:
            return None
        try:
            return Unit.objects.enforcement().get(pk=unit_id)
        except Unit.DoesNotExist as exc:
            raise Http404("没有该执法单位。") from exc
    return user.unit


@login_required
def inspection_new(request):
    unit = _registration_unit(request)
    if unit is None:  # a supervisor chooses the unit first
        return render(
            request,
            "enforcement/inspection_new.html",
            {"units": _units(request.user), "unit": None},
        )
    form = RegistrationForm(
        request.POST or None,
        unit=unit,
        initial={"enterprise_uscc": request.GET.get("enterprise", "")},
    )
    warnings = []
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        # What monitoring would flag about this visit (INSP-01/02/03/05); none for an
        # enterprise not on the register yet.
        warnings = watch.inspection_warnings(
            unit=unit,
            enterprise=form.enterprise,
            inspected_on=cd["inspected_on"],
            kind=cd["kind"],
            mode=cd["mode"],
            joint_no=cd["joint_no"],
        )
        if not warnings or request.POST.get("confirm") == "1":
            try:
                obj = actions.register_inspection(
                    unit=unit,
                    enterprise_uscc=cd["enterprise_uscc"],
                    enterprise_name=cd["enterprise_name"],
                    inspected_on=cd["inspected_on"],
                    kind=cd["kind"],
                    mode=cd["mode"],
                    officers=cd["officers"],
                    items=cd["items"],
                    joint_no=cd["joint_no"],
                    inspection_no=cd["inspection_no"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(
                    request, f"已登记备案：{obj.registration_no}。请在检查时向企业出示核验码。"
                )
                return redirect(reverse("enforcement:inspection", args=[obj.pk]) + "?new=1")
    return render(
        request,
        "enforcement/inspection_new.html",
        {
            "form": form,
            "unit": unit,
            "units": _units(request.user),
            "warnings": warnings,
        },
    )


@login_required
def enterprise_options(request):
    """<option>s for the enterprise datalist of the registration form."""
    q = request.GET.get("enterprise_uscc", request.GET.get("q", "")).strip()
    options = []
    if len(q) >= 2:
        qs = (
            Enterprise.objects.filter(uscc__startswith=q.upper())
            if q[:2].isalnum() and q.isascii()
            else Enterprise.objects.filter(name__icontains=q)
        )
        options = list(qs.only("uscc", "name")[:20])
    return render(request, "enforcement/enterprise_options.html", {"options": options})


# --- enterprises --------------------------------------------------------------------


@login_required
def enterprises(request):
    qs = Enterprise.objects.select_related("town")
    listing = Listing(request, qs, EnterpriseFilter, ENTERPRISE_SORTS)
    page = listing.page()
    ids = [e.pk for e in page.object_list]
    usccs = [e.uscc for e in page.object_list]
    # Counts for this page only, scoped: two grouped queries whatever the page size.
    insp = dict(
        scope(Inspection.objects.filter(enterprise_id__in=ids), request.user)
        .values_list("enterprise_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    case_counts = dict(
        scope(PenaltyCase.objects.filter(party_uscc__in=usccs), request.user)
        .values_list("party_uscc")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = [(e, insp.get(e.pk, 0), case_counts.get(e.uscc, 0)) for e in page.object_list]
    return render(
        request,
        "enforcement/enterprises.html",
        {
            "page": page,
            "listing": listing,
            "rows": rows,
            "f": request.GET,
            "kinds": Enterprise.Kind.choices,
            "towns": Unit.objects.filter(kind=Unit.Kind.TOWNSHIP).order_by("code"),
        },
    )


@login_required
def enterprise(request, pk):
    obj = get_object_or_404(Enterprise.objects.select_related("town"), pk=pk)
    all_visits = list(obj.inspections.select_related("unit").order_by("-inspected_on", "-id"))
    county = sees_all(request.user)
    for visit in all_visits:
        visit.detailed = county or visit.unit_id == request.user.unit_id
    cases_qs = (
        PenaltyCase.objects.filter(party_uscc=obj.uscc).select_related("unit").order_by("-filed_on")
    )
    own_cases = list(scope(cases_qs, request.user))
    other_cases = 0 if county else cases_qs.exclude(pk__in=[c.pk for c in own_cases]).count()
    option = charts.visits_chart(all_visits, own_cases)
    return render(
        request,
        "enforcement/enterprise.html",
        {
            "enterprise": obj,
            "visits": all_visits,
            "cases": own_cases,
            "other_cases": other_cases,
            "county": county,
            "chart": json.dumps(option, ensure_ascii=False),
            "this_year": sum(
                1
                for v in all_visits
                if v.inspected_on.year == timezone.localdate().year
                and v.mode == Inspection.Mode.ONSITE
            ),
            "can_register": _can_register(request.user),
        },
    )


# --- officers ------------------------------------------------------------------------


@login_required
def officers(request):
    today = timezone.localdate()
    listing = Listing(
        request,
        scope(Officer.objects.select_related("unit"), request.user),
        OfficerFilter,
        OFFICER_SORTS,
        filter_kwargs={"today": today},
    )
    domains = (
        scope(Officer.objects.exclude(domain=""), request.user)
        .values_list("domain", flat=True)
        .distinct()
        .order_by("domain")
    )
    page = listing.page()
    page.object_list = list(page.object_list)
    soon = today + timedelta(days=SOON_DAYS)
    for o in page.object_list:  # the state the row shows, as the registration form checks it
        o.certificate = o.certificate_on(today)
        o.expires_soon = o.certificate == Certificate.VALID and o.valid_until <= soon
    return render(
        request,
        "enforcement/officers.html",
        {
            "page": page,
            "listing": listing,
            "f": request.GET,
            "units": _units(request.user),
            "domains": domains,
        },
    )
