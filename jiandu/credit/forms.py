from django import forms

from jiandu.core.forms import Form
from jiandu.credit.models import ThreeDocsService
from jiandu.portal.forms import CaptchaMixin, PublicForm, public_files_field


class ApplyForm(CaptchaMixin):
    uscc = forms.CharField(
        label="统一社会信用代码",
        max_length=18,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    enterprise_name = forms.CharField(label="企业名称", max_length=200)
    decision_no = forms.CharField(
        label="行政处罚决定书文号", max_length=80, help_text="与处罚决定书上的文号一致"
    )
    grounds = forms.CharField(
        label="申请理由",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "已履行处罚、已整改到位等情况"}),
    )
    files = public_files_field("证明材料（图片或 PDF）", required=False)

    field_order = ["uscc", "enterprise_name", "decision_no", "grounds", "files", "captcha_answer"]

    def clean_uscc(self):
        return self.cleaned_data["uscc"].strip().upper()


class TrackForm(PublicForm):
    code = forms.CharField(
        label="查询码",
        max_length=40,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )


class OpinionForm(Form):
    opinion = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(Form):
    reason = forms.CharField(label="不予修复理由", widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(Form):
    note = forms.CharField(
        label="撤下说明", required=False, max_length=300, help_text="如：已在信用平台撤下公示"
    )


class ServeForm(Form):
    served_on = forms.DateField(label="送达日期", widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label="送达方式", choices=ThreeDocsService.Method.choices)
