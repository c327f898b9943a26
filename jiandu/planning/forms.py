"""Forms of the planning pages (jiandu.core.forms base: Bootstrap, capped free text)."""

from django import forms

from jiandu.core.forms import Form

MONTHS = [(m, f"{m}月") for m in range(1, 13)]


class PlanForm(Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label="月份",
        choices=[("", "全年（年度计划）"), *MONTHS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    title = forms.CharField(label="计划名称", max_length=200, required=False)


class EntryForm(Form):
    enterprise_uscc = forms.CharField(label="企业统一社会信用代码", max_length=18, required=False)
    category = forms.CharField(
        label="或：企业类别（行业）", max_length=100, required=False, help_text="不指定企业时填写"
    )
    items = forms.CharField(label="检查事项", widget=forms.Textarea(attrs={"rows": 2}))
    months = forms.TypedMultipleChoiceField(
        label="计划月份",
        choices=MONTHS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    planned_on = forms.DateField(
        label="计划日期（可选）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class DeclineForm(Form):
    reason = forms.CharField(label="不参加的理由", widget=forms.Textarea(attrs={"rows": 2}))


def _keyed_lines(text: str) -> dict[str, str]:
    """'KEY 理由' per line -> {KEY: 理由}."""
    found = {}
    for line in (text or "").splitlines():
        key, _, reason = line.strip().partition(" ")
        if key:
            found[key.strip().upper()] = reason.strip() or "—"
    return found


class DrawForm(Form):
    title = forms.CharField(label="抽查任务", max_length=200)
    industries = forms.CharField(
        label="抽查对象类别（行业，多个用顿号或逗号分隔；空为全部）", max_length=500, required=False
    )
    n = forms.IntegerField(label="抽取企业数", min_value=1, max_value=10000)
    officers_per_enterprise = forms.IntegerField(
        label="每户检查人员数", min_value=2, max_value=10, initial=2
    )
    recent_days = forms.IntegerField(
        label="近 N 日内已现场检查的企业排除", min_value=0, max_value=3650, initial=180
    )
    draw_on = forms.DateField(label="抽取日期", widget=forms.DateInput(attrs={"type": "date"}))
    inspect_on = forms.DateField(
        label="计划检查日期", widget=forms.DateInput(attrs={"type": "date"})
    )
    items = forms.CharField(label="检查事项", widget=forms.Textarea(attrs={"rows": 2}))
    excluded_usccs = forms.CharField(
        label="其他排除企业（每行：统一社会信用代码 理由）",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    recusals = forms.CharField(
        label="回避人员（每行：执法证号 理由）",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def clean_industries(self):
        text = self.cleaned_data["industries"].replace("，", ",").replace("、", ",")
        return sorted({v.strip() for v in text.split(",") if v.strip()})

    def clean_excluded_usccs(self):
        return _keyed_lines(self.cleaned_data["excluded_usccs"])

    def clean_recusals(self):
        return _keyed_lines(self.cleaned_data["recusals"])


class WitnessForm(Form):
    witness_value = forms.CharField(
        label="见证值",
        max_length=200,
        help_text="由纪检监督员现场自行确定的一串字符（如随手写下的数字），与平台随机数混合生成种子。",
    )
