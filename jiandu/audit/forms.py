from django import forms

from jiandu.core.forms import Form

DATE_MESSAGE = "日期格式应为 2026-01-01。"


class EventFilterForm(Form):
    """The audit trail's GET filters. A malformed value is named in a message and left
    out of the filter, so the page (and its export) never fails on a bad link."""

    action = forms.CharField(required=False)
    unit = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "invalid": "单位参数无效。",
            "min_value": "单位参数无效。",
            "max_value": "单位参数无效。",
        },
    )
    actor = forms.CharField(required=False)
    since = forms.DateField(required=False, error_messages={"invalid": f"起始{DATE_MESSAGE}"})
    until = forms.DateField(required=False, error_messages={"invalid": f"截止{DATE_MESSAGE}"})

    def filter(self, qs):
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if "action" in data:
            qs = qs.filter(action__startswith=data["action"])
        if "unit" in data:
            qs = qs.filter(unit_id=data["unit"])
        if "actor" in data:
            qs = qs.filter(actor_name__icontains=data["actor"])
        if "since" in data:
            qs = qs.filter(created_at__date__gte=data["since"])
        if "until" in data:
            qs = qs.filter(created_at__date__lte=data["until"])
        return qs

    def error_list(self) -> list[str]:
        return [e for errors in self.errors.values() for e in errors]
