from django import forms

from jiandu.core.forms import Form
from jiandu.monitoring.rules.declaration import DAY_TYPES
from jiandu.orgs.access import role_users
from jiandu.orgs.models import Role


def _supervisors():
    return role_users(Role.SUPERVISOR).order_by("username")


class AssigneeField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ReasonForm(Form):
    reason = forms.CharField(
        label="排除理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写排除理由。"},
    )


class NoteForm(Form):
    note = forms.CharField(
        label="意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConfirmForm(NoteForm):
    deadline = forms.DateField(
        label="整改时限",
        required=False,
        help_text="留空则按预警严重程度的默认工作日数计算。",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "请填写有效日期，如 2026-12-31。"},
    )


class AssignForm(Form):
    control_size = "sm"

    assignee = AssigneeField(
        label="承办人",
        queryset=_supervisors(),
        empty_label="选择承办人",
        error_messages={
            "required": "请选择承办人。",
            "invalid_choice": "只能分配给监督管理员。",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _supervisors()


class BulkAlertForm(AssignForm):
    """The alert list's bulk bar: the ticked alerts (`ids`, those the user sees) and one
    action with its one input — a reason for 排除, an assignee (承办人) for 分配."""

    ACTIONS = {"confirm": "确认", "dismiss": "排除", "assign": "分配"}

    ids = forms.ModelMultipleChoiceField(
        queryset=None, error_messages={"required": "请先勾选预警。"}
    )
    action = forms.ChoiceField(choices=list(ACTIONS.items()))
    reason = forms.CharField(
        label="排除理由",
        required=False,
    )

    def __init__(self, alerts, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = alerts
        self.fields["ids"].error_messages["invalid_choice"] = "所选预警不存在或无权查看。"
        self.fields["assignee"].required = False

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "dismiss" and not (data.get("reason") or "").strip():
            self.add_error("reason", "请填写排除理由。")
        if action == "assign" and not data.get("assignee") and "assignee" not in self.errors:
            self.add_error("assignee", "请选择承办人。")
        return data

    def transition_data(self) -> dict:
        """The cleaned input the chosen transition takes (see views.TRANSITIONS)."""
        d = self.cleaned_data
        return {
            "confirm": {"note": "", "deadline": None},
            "dismiss": {"reason": d["reason"].strip()},
            "assign": {"assignee": d["assignee"]},
        }[d["action"]]


class CompareForm(Form):
    year = forms.IntegerField(
        label="决定年度",
        required=False,
        min_value=1900,
        max_value=2999,
        widget=forms.NumberInput(attrs={"placeholder": "决定年度，如 2025"}),
    )
    control_size = "sm"  # one line above the comparison table

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        message = "决定年度应为四位年份，如 2025。"
        self.fields["year"].error_messages.update(
            {"invalid": message, "min_value": message, "max_value": message}
        )


class RuleSettingForm(Form):
    """Built from the rule's declared parameters."""

    enabled = forms.BooleanField(
        label="启用该规则",
        required=False,
    )
    effective_from = forms.DateField(
        label="生效日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写生效日期。", "invalid": "日期格式应为 2026-01-01。"},
    )
    note = forms.CharField(
        label="调整依据（文件、条款）",
        max_length=300,
        required=False,
    )

    def __init__(self, rule, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule
        for p in rule.params:
            if p.kind == "int":
                field = forms.IntegerField(label=p.label, min_value=0)
            elif p.kind == "float":
                field = forms.FloatField(
                    label=p.label,
                    min_value=0,
                    widget=forms.NumberInput(attrs={"step": "any"}),
                )
            elif p.kind == "day_type":
                field = forms.ChoiceField(label=p.label, choices=DAY_TYPES)
            else:
                field = forms.MultipleChoiceField(
                    label=p.label, choices=p.choices, widget=forms.CheckboxSelectMultiple
                )
            field.error_messages.update(
                {
                    "required": f"请填写{p.label}。",
                    "invalid": f"{p.label}应为数字。",
                    "min_value": f"{p.label}不能为负数。",
                }
            )
            self.fields[f"p_{p.name}"] = field

    def params(self):
        return {p.name: self.cleaned_data[f"p_{p.name}"] for p in self.rule.params}
