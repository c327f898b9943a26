from django import forms
from django.utils import timezone

from jiandu.core.forms import Form
from jiandu.enforcement.actions import registration_date_problem
from jiandu.enforcement.models import Enterprise, Inspection, Officer
from jiandu.lib import uscc

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegistrationForm(Form):
    """检查登记备案. Officers are the unit's own certified officers."""

    enterprise_uscc = forms.CharField(
        label="统一社会信用代码",
        max_length=18,
        help_text="输入企业名称或代码搜索；名录中没有的企业，填写代码和名称即可新增",
        widget=forms.TextInput(attrs={"list": "enterprise-options", "autocomplete": "off"}),
    )
    enterprise_name = forms.CharField(label="企业名称", max_length=200, required=False)
    inspected_on = forms.DateField(label="计划检查日期", widget=DATE)
    kind = forms.ChoiceField(label="检查类型", choices=[("", "请选择"), *Inspection.Kind.choices])
    mode = forms.ChoiceField(
        label="检查方式", choices=Inspection.Mode.choices, initial=Inspection.Mode.ONSITE
    )
    officers = forms.MultipleChoiceField(label="检查人员", widget=forms.CheckboxSelectMultiple)
    items = forms.CharField(
        label="检查事项", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    joint_no = forms.CharField(
        label="联合检查编号",
        max_length=80,
        required=False,
        help_text="与其他单位联合检查时填写同一编号",
    )
    inspection_no = forms.CharField(
        label="检查编号",
        max_length=80,
        required=False,
        help_text="留空则使用自动生成的登记备案编号",
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.officer_rows = list(Officer.objects.filter(unit=unit).order_by("cert_no"))
        self.fields["officers"].choices = [(o.cert_no, str(o)) for o in self.officer_rows]
        self.fields["inspected_on"].initial = timezone.localdate()
        self.enterprise = None

    def clean_enterprise_uscc(self):
        code = self.cleaned_data["enterprise_uscc"].strip().upper()
        problem = uscc.problem(code)
        if problem:
            raise forms.ValidationError(problem)
        return code

    def clean_inspected_on(self):
        day = self.cleaned_data["inspected_on"]
        if problem := registration_date_problem(day):
            raise forms.ValidationError(problem)
        return day

    def clean(self):
        data = super().clean()
        code = data.get("enterprise_uscc")
        if code:
            self.enterprise = Enterprise.objects.filter(uscc=code).first()
            if self.enterprise is None and not data.get("enterprise_name", "").strip():
                self.add_error(
                    "enterprise_name",
                    "该统一社会信用代码不在市场主体名录中，请填写企业名称以新增。",
                )
        chosen = data.get("officers") or []
        day = data.get("inspected_on")
        if chosen and len(chosen) < 2:
            self.add_error("officers", "检查应由两名以上持有执法证的人员实施。")
        elif chosen and day:
            by_cert = {o.cert_no: o for o in self.officer_rows}
            invalid = [by_cert[c] for c in chosen if not by_cert[c].valid_on(day)]
            if invalid:
                names = "、".join(
                    f"{o.name}（{'有效期未知' if not o.valid_until else '有效期至' + o.valid_until.isoformat()}）"
                    for o in invalid
                )
                self.add_error("officers", f"以下人员的执法证在检查日期无效：{names}。")
        return data


class CompleteForm(Form):
    result = forms.ChoiceField(
        label="检查结果", choices=[("", "请选择"), *Inspection.Result.choices]
    )
    items = forms.CharField(
        label="检查事项（可补充）", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
