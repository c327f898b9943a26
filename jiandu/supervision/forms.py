from django import forms

from jiandu.campaigns.forms import DATE
from jiandu.core.forms import Form
from jiandu.orgs.models import FocusArea, Unit
from jiandu.supervision.actions import TEAM_ROLES


class VisitForm(Form):
    unit = forms.ModelChoiceField(
        label="被检查单位",
        queryset=Unit.objects.none(),
        error_messages={"required": "请选择被检查单位。"},
    )
    visit_date = forms.DateField(
        label="检查日期", widget=DATE, error_messages={"required": "请填写检查日期。"}
    )
    team = forms.ModelMultipleChoiceField(
        label="检查组成员",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一名检查组成员。"},
        help_text="县司法局监督管理员、检查组成员，县纪委监委纪检监督员",
    )
    domains = forms.ModelMultipleChoiceField(
        label="检查领域（1+8）",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        from jiandu.orgs.models import Domain, User

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.enforcement().active()
        self.fields["team"].queryset = (
            User.objects.filter(
                is_active=True,
                roles__code__in=TEAM_ROLES,
            )
            .select_related("unit")
            .distinct()
            .order_by("unit_id", "id")
        )
        self.fields["team"].label_from_instance = lambda u: (
            f"{u.display_name}（{u.unit.name if u.unit else '—'}）"
        )
        self.fields["domains"].queryset = Domain.objects.all()


class FindingForm(Form):
    focus_area = forms.ModelChoiceField(
        label="问题领域",
        queryset=FocusArea.objects.all(),
        error_messages={"required": "请选择问题领域。"},
    )
    description = forms.CharField(
        label="问题描述",
        widget=forms.Textarea,
        error_messages={"required": "请填写问题描述。"},
    )
    severity = forms.ChoiceField(label="严重程度", choices=())
    deadline = forms.DateField(
        label="整改时限", widget=DATE, error_messages={"required": "请填写整改时限。"}
    )

    def __init__(self, *args, **kwargs):
        from jiandu.ledger.models import Problem

        super().__init__(*args, **kwargs)
        self.fields["severity"].choices = Problem.Severity.choices


class CompleteVisitForm(Form):
    summary = forms.CharField(
        label="检查情况小结",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写检查情况小结。"},
    )


class ReviewForm(Form):
    """One score field per rubric item (`score_<code>`), plus the case and comments."""

    case_no = forms.CharField(label="案件编号", max_length=80, required=False)
    case = forms.ModelChoiceField(label="关联处罚案件（可选）", queryset=None, required=False)
    comments = forms.CharField(label="评查意见", widget=forms.Textarea, required=False)

    def __init__(self, *args, visit, rubric, **kwargs):
        from jiandu.enforcement.models import PenaltyCase

        super().__init__(*args, **kwargs)
        self.rubric = rubric
        self.fields["case"].queryset = PenaltyCase.objects.filter(unit=visit.unit).order_by(
            "-filed_on", "-id"
        )
        self.fields["case"].label_from_instance = lambda c: f"{c.case_no} {c.party_name}"
        for item in rubric:
            self.fields[f"score_{item['code']}"] = forms.IntegerField(
                label=f"{item['name']}（满分 {item['max']}）",
                min_value=0,
                max_value=item["max"],
                help_text=item.get("hint", ""),
                error_messages={
                    "required": f"请为“{item['name']}”打分。",
                    "invalid": f"“{item['name']}”的得分应为整数。",
                    "min_value": f"“{item['name']}”的得分应在 0 至 {item['max']} 分之间。",
                    "max_value": f"“{item['name']}”的得分应在 0 至 {item['max']} 分之间。",
                },
            )

    def score_fields(self):
        return [self[f"score_{item['code']}"] for item in self.rubric]

    def clean(self):
        data = super().clean()
        if not (data.get("case_no") or "").strip() and not data.get("case"):
            self.add_error("case_no", "请填写案件编号或选择关联处罚案件。")
        return data

    def scores(self):
        return {item["code"]: self.cleaned_data[f"score_{item['code']}"] for item in self.rubric}


class DeadlineForm(Form):
    deadline = forms.DateField(
        label="整改时限", widget=DATE, error_messages={"required": "请填写整改时限。"}
    )
