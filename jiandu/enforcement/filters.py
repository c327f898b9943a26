"""The enforcement lists' GET filters and sorting (jiandu.lib.lists): cases, inspections,
enterprises and officers. Every header sorts descending on its first click (the newest,
the largest first), as these lists always have."""

from datetime import timedelta

import django_filters
from django.db.models import Q

from jiandu.enforcement.models import Enterprise, Inspection, PartyType, PenaltyCase
from jiandu.lib.lists import IdFilter, Sorts
from jiandu.standards.models import TierLevel

YES_NO = [("1", "是"), ("0", "否")]


def _sorts(allowed, default):
    return Sorts(allowed, default, nulls_last=False, first_desc=tuple(allowed))


CASE_SORTS = _sorts(
    {
        "filed_on": ("filed_on",),
        "decided_on": ("decided_on",),
        "fine": ("fine",),
        "case_no": ("case_no",),
    },
    "-filed_on",
)
INSPECTION_SORTS = _sorts(
    {
        "inspected_on": ("inspected_on",),
        "registered_on": ("registered_on",),
        "inspection_no": ("inspection_no",),
    },
    "-inspected_on",
)
ENTERPRISE_SORTS = _sorts(
    {"name": ("name",), "founded_on": ("founded_on",), "uscc": ("uscc",)}, "name"
)
OFFICER_SORTS = _sorts(
    {"cert_no": ("cert_no",), "name": ("name",), "valid_until": ("valid_until",)}, "cert_no"
)


def _is_uscc(q):
    return len(q) == 18 and q.isalnum()


class UnitPeriodFilter(django_filters.FilterSet):
    """`?unit=` (a unit id; the scope has already narrowed a unit's user to their own)
    and `?since=`/`?until=` on the list's day field (`day_field`, set by subclasses)."""

    day_field = ""
    unit = IdFilter(field_name="unit_id")
    since = django_filters.DateFilter(method="filter_since")
    until = django_filters.DateFilter(method="filter_until")

    def filter_since(self, qs, name, value):
        return qs.filter(**{f"{self.day_field}__gte": value})

    def filter_until(self, qs, name, value):
        return qs.filter(**{f"{self.day_field}__lte": value})


class CaseFilter(UnitPeriodFilter):
    day_field = "filed_on"
    item = django_filters.CharFilter(method="filter_item")
    tier = django_filters.ChoiceFilter(choices=TierLevel.choices)
    party_type = django_filters.ChoiceFilter(choices=PartyType.choices)
    source = django_filters.ChoiceFilter(choices=PenaltyCase.Source.choices)
    state = django_filters.ChoiceFilter(
        choices=[("open", "未决定"), ("decided", "已决定")], method="filter_state"
    )
    q = django_filters.CharFilter(method="filter_q")

    def filter_item(self, qs, name, value):
        code = value.split()  # "CODE name" as the datalist fills it in
        return qs.filter(violation_code=code[0]) if code else qs

    def filter_state(self, qs, name, value):
        return qs.filter(decided_on__isnull=value == "open")

    def filter_q(self, qs, name, value):
        q = value.strip()
        if not q:
            return qs
        if _is_uscc(q):
            return qs.filter(party_uscc=q.upper())
        return qs.filter(Q(case_no__istartswith=q) | Q(party_name__icontains=q))


class InspectionFilter(UnitPeriodFilter):
    day_field = "inspected_on"
    kind = django_filters.ChoiceFilter(choices=Inspection.Kind.choices)
    mode = django_filters.ChoiceFilter(choices=Inspection.Mode.choices)
    result = django_filters.ChoiceFilter(choices=Inspection.Result.choices)
    joint = django_filters.ChoiceFilter(choices=YES_NO, method="filter_joint")
    registered = django_filters.ChoiceFilter(choices=YES_NO, method="filter_registered")
    planned = django_filters.ChoiceFilter(choices=YES_NO, method="filter_planned")
    quiet = django_filters.ChoiceFilter(choices=[("1", "无事不扰企业")], method="filter_quiet")
    q = django_filters.CharFilter(method="filter_q")

    def filter_joint(self, qs, name, value):
        return qs.exclude(joint_no="") if value == "1" else qs.filter(joint_no="")

    def filter_registered(self, qs, name, value):
        return qs.exclude(registration_no="") if value == "1" else qs.filter(registration_no="")

    def filter_planned(self, qs, name, value):
        return qs.filter(is_planned=value == "1")

    def filter_quiet(self, qs, name, value):
        return qs.filter(enterprise__quiet_list=True)

    def filter_q(self, qs, name, value):
        q = value.strip()
        if not q:
            return qs
        if _is_uscc(q):
            return qs.filter(enterprise__uscc=q.upper())
        return qs.filter(
            Q(inspection_no__istartswith=q)
            | Q(enterprise_name__icontains=q)
            | Q(registration_no__istartswith=q)
        )


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q")
    kind = django_filters.ChoiceFilter(choices=Enterprise.Kind.choices)
    town = IdFilter(field_name="town_id")
    industry = django_filters.CharFilter()
    quiet = django_filters.ChoiceFilter(choices=[("1", "仅无事不扰")], method="filter_quiet")

    def filter_q(self, qs, name, value):
        q = value.strip()
        if not q:
            return qs
        return qs.filter(uscc=q.upper()) if _is_uscc(q) else qs.filter(name__icontains=q)

    def filter_quiet(self, qs, name, value):
        return qs.filter(quiet_list=True)


# Certificate states the officer list filters on; "soon" = valid and expiring within 90 days.
SOON_DAYS = 90


class OfficerFilter(django_filters.FilterSet):
    """`?validity=` is the certificate's state on `today` (passed in by the view), the
    same `Officer.certificate_on` the rows show."""

    unit = IdFilter(field_name="unit_id")
    domain = django_filters.CharFilter()
    validity = django_filters.ChoiceFilter(
        choices=[
            ("valid", "有效"),
            ("soon", "90天内到期"),
            ("expired", "已过期"),
            ("unknown", "有效期未知"),
        ],
        method="filter_validity",
    )
    q = django_filters.CharFilter(method="filter_q")

    def __init__(self, *args, today=None, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def filter_validity(self, qs, name, value):
        today = self.today
        if value == "valid":
            return qs.valid_on(today)
        if value == "expired":
            return qs.filter(valid_until__lt=today)
        if value == "unknown":
            return qs.filter(valid_until__isnull=True)
        return qs.filter(valid_until__gte=today, valid_until__lte=today + timedelta(SOON_DAYS))

    def filter_q(self, qs, name, value):
        q = value.strip()
        return qs.filter(Q(cert_no__istartswith=q) | Q(name__icontains=q)) if q else qs
