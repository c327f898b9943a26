import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiandu.core.forms import Form
from jiandu.documents.staging import KeptFilesField
from jiandu.documents.uploads import PUBLIC_ALLOWED
from jiandu.ledger.models import Problem
from jiandu.orgs.models import Unit
from jiandu.portal import captcha
from jiandu.portal.actions import enforcement_units, normalize_code
from jiandu.portal.models import Category

MAX_FILES = 5
PUBLIC_MAX_BYTES = 10 * 1024 * 1024
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def public_files_field(label, **kwargs):
    """Images or PDFs from the public, checked by content, their metadata stripped, and
    kept across an error elsewhere in the form (documents.staging, by random token)."""
    return KeptFilesField(
        label=label,
        public=True,
        check={"allowed": PUBLIC_ALLOWED, "max_bytes": PUBLIC_MAX_BYTES, "scrub_pdf": True},
        max_files=MAX_FILES,
        attrs={"accept": "image/*,.pdf"},
        **kwargs,
    )


class PublicForm(Form):
    """The public's forms: large controls, easy to tap on a phone."""

    control_size = "lg"


class CaptchaMixin(PublicForm):
    """A single-use arithmetic CAPTCHA; the view issues a fresh challenge on every render."""

    captcha_id = forms.CharField(widget=forms.HiddenInput, required=False)
    captcha_answer = forms.CharField(
        label="验证码",
        max_length=8,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "计算结果"}
        ),
    )

    def clean(self):
        cleaned = super().clean()
        answer = (self.data.get("captcha_answer") or "").strip()
        if not answer:
            self.add_error("captcha_answer", "请填写验证码（图中算式的结果）。")
        elif not captcha.verify(self.data.get("captcha_id", ""), answer):
            self.add_error("captcha_answer", "验证码不正确或已失效，请按新图片重新计算。")
        return cleaned


class ComplaintForm(CaptchaMixin):
    reported_unit = forms.ModelChoiceField(
        label="反映哪个单位",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="不清楚是哪个单位",
    )
    category = forms.ChoiceField(
        label="遇到了什么问题", choices=Category.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label="具体经过",
        max_length=5000,
        widget=forms.Textarea(
            attrs={
                "rows": 5,
                "placeholder": "什么时间、在哪里、哪个部门的人、做了什么。请不要在这里填写您的姓名和电话。",
            }
        ),
    )
    happened_on = forms.DateField(
        label="发生日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    place = forms.CharField(
        label="发生地点",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：城关镇某某路某店"}),
    )
    files = public_files_field(
        "图片或 PDF 附件",
        help_text=(
            f"可选，最多 {MAX_FILES} 个，每个不超过 10 MB；"
            "图片的拍摄位置、设备和备注，PDF 的作者等信息会被自动去除。"
        ),
    )
    identity = forms.ChoiceField(
        label="是否实名",
        choices=[("anonymous", "匿名反映"), ("named", "实名反映（便于回访核实）")],
        initial="anonymous",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label="姓名",
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text="姓名和电话加密保存，只有监督部门可以查看，不会告诉被反映的单位。",
    )
    inspection_ref = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    field_order = [
        "reported_unit",
        "category",
        "description",
        "happened_on",
        "place",
        "files",
        "identity",
        "name",
        "phone",
        "captcha_answer",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_unit"].queryset = enforcement_units()

    def clean_happened_on(self):
        day = self.cleaned_data.get("happened_on")
        if day and day > timezone.localdate():
            raise ValidationError("发生日期不能晚于今天。")
        return day

    def clean_phone(self):
        phone = re.sub(r"\s", "", self.cleaned_data.get("phone") or "")
        if phone and not PHONE_RE.match(phone):
            raise ValidationError("请填写 11 位手机号或带区号的固定电话。")
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("identity") == "named":
            if not (cleaned.get("name") or "").strip():
                self.add_error("name", "实名反映请填写姓名，或选择匿名。")
            if not cleaned.get("phone") and "phone" not in self.errors:
                self.add_error("phone", "实名反映请填写联系电话，便于回访。")
        return cleaned


class TrackForm(PublicForm):
    code = forms.CharField(
        label="查询码",
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocapitalize": "characters",
                "autocomplete": "off",
                "placeholder": "如 ABCD-EFGH-JKMN",
            }
        ),
    )

    def clean_code(self):
        return normalize_code(self.cleaned_data["code"])


class VerifyForm(PublicForm):
    code = forms.CharField(
        label="检查核验码",
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": "执法人员出示的核验码"}
        ),
    )

    def clean_code(self):
        return re.sub(r"\s", "", self.cleaned_data["code"])[:40]


class SupplementForm(PublicForm):
    text = forms.CharField(
        label="补充内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = public_files_field("补充附件（图片或 PDF）")


SCORE_CHOICES = [
    (5, "5 非常满意"),
    (4, "4 满意"),
    (3, "3 一般"),
    (2, "2 不满意"),
    (1, "1 很不满意"),
]


class WithdrawForm(PublicForm):
    reason = forms.CharField(
        label="撤回理由（可不填）",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RatingForm(PublicForm):
    score = forms.TypedChoiceField(
        label="评价", choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="意见建议",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- handling (internal) --------------------------------------------------------------


def _area(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class NoteForm(Form):
    note = forms.CharField(label="意见", max_length=2000, required=False, widget=_area(2))


class RejectForm(Form):
    reason = forms.CharField(label="不予受理理由", max_length=2000, widget=_area(2))


class AssignForm(Form):
    unit = forms.ModelChoiceField(
        label="承办单位",
        queryset=Unit.objects.none(),
    )
    note = forms.CharField(label="交办意见", max_length=2000, required=False, widget=_area(2))
    conflict_reason = forms.CharField(
        label="交由被反映单位自行办理的理由",
        max_length=2000,
        required=False,
        widget=_area(2),
        help_text="仅当承办单位就是被反映单位时填写；吃拿卡要等问题不能交由被反映单位办理。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = enforcement_units()


class ReplyForm(Form):
    text = forms.CharField(label="核实处理情况", max_length=5000, widget=_area(4))


class CloseForm(Form):
    result = forms.CharField(label="办理结果（举报人可见）", max_length=5000, widget=_area(3))


class ProblemForm(Form):
    description = forms.CharField(label="问题描述", max_length=5000, widget=_area(3))
    severity = forms.ChoiceField(
        label="严重程度",
        choices=Problem.Severity.choices,
    )
    deadline = forms.DateField(
        label="整改时限",
        required=False,
        help_text="留空则按严重程度的默认工作日数计算。",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "请填写有效日期，如 2026-12-31。"},
    )


class PublishForm(Form):
    title = forms.CharField(label="标题", max_length=200)
    text = forms.CharField(
        label="案例内容（已去除个人信息）",
        max_length=10000,
        widget=_area(6),
        help_text="发布前请删除举报人姓名、电话、身份证号等个人信息；系统会再检查一遍。",
    )
