from django import forms

from jiandu.campaigns.models import Campaign
from jiandu.core.forms import Form
from jiandu.documents.staging import KeepsUploads, KeptFilesField
from jiandu.ledger.models import Lead, Problem
from jiandu.orgs.models import FocusArea, Unit


def _area(rows=3, placeholder=""):
    return forms.Textarea(attrs={"rows": rows, "placeholder": placeholder})


def _date(label, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": f"请填写{label}。",
            "invalid": "请填写有效日期，如 2026-12-31。",
        },
    )


class UpdateForm(Form):
    """Measures and responsible person; the deadline moves only by 延期申请 or the supervisor."""

    measures = forms.CharField(
        label="整改措施",
        widget=_area(4, "针对问题逐条写明整改措施"),
        error_messages={"required": "请填写整改措施。"},
    )
    responsible_person = forms.CharField(
        label="责任人",
        max_length=50,
        error_messages={"required": "请填写责任人。"},
    )


class RectificationForm(UpdateForm):
    deadline = _date(
        "整改时限",
        required=False,
        help_text="默认为规定的整改时限；可承诺提前完成，不能延后（需要更多时间请提出延期申请）。",
    )


class ExtensionForm(Form):
    new_deadline = _date("申请延至")
    reason = forms.CharField(
        label="延期理由",
        widget=_area(3, "说明不能按期完成的原因和已采取的措施"),
        error_messages={"required": "请填写延期理由。"},
    )


class DecideExtensionForm(Form):
    note = forms.CharField(label="审批意见", required=False, widget=_area(2))


class RefuseExtensionForm(Form):
    note = forms.CharField(
        label="不予批准的理由",
        widget=_area(2),
        error_messages={"required": "不予批准时请填写理由。"},
    )


class ChangeDeadlineForm(Form):
    new_deadline = _date("新的整改时限")
    reason = forms.CharField(
        label="调整理由",
        widget=_area(2, "如督办要求、客观原因"),
        error_messages={"required": "请填写调整理由。"},
    )


class ProgressForm(KeepsUploads, Form):
    text = forms.CharField(
        label="整改进展",
        widget=_area(3, "本次整改做了什么、取得什么结果"),
        error_messages={"required": "请填写整改进展。"},
    )
    files = KeptFilesField(  # checked here; kept if the note is missing
        label="附件",
        help_text="可多选；支持 PDF、Word、Excel、图片，按文件内容识别类型。",
    )


class SubmitForm(Form):
    note = forms.CharField(
        label="整改完成情况",
        required=False,
        widget=_area(3, "已有进展记录时可不填"),
    )


class AcceptForm(Form):
    note = forms.CharField(label="验收意见", required=False, widget=_area(2))


class ReturnForm(Form):
    reason = forms.CharField(
        label="退回原因",
        widget=_area(3, "说明整改未达到要求之处"),
        error_messages={"required": "请填写退回原因。"},
    )


class EscalateForm(Form):
    note = forms.CharField(
        label="督办意见",
        widget=_area(3, "写明督办要求和办结时间"),
        error_messages={"required": "请填写督办意见。"},
    )
    to_discipline = forms.BooleanField(
        label="同时移交纪委监委",
        required=False,
    )


class ProblemForm(Form):
    unit = forms.ModelChoiceField(
        label="责任单位",
        queryset=Unit.objects.enforcement().active(),
        error_messages={"required": "请选择责任单位。", "invalid_choice": "请选择责任单位。"},
    )
    focus_area = forms.ModelChoiceField(
        label="问题领域",
        queryset=FocusArea.objects.all(),
        error_messages={"required": "请选择问题领域。", "invalid_choice": "请选择问题领域。"},
    )
    source = forms.ChoiceField(label="问题来源")
    severity = forms.ChoiceField(
        label="严重程度",
        choices=Problem.Severity.choices,
        initial=Problem.Severity.NORMAL,
    )
    description = forms.CharField(
        label="问题描述", widget=_area(4), error_messages={"required": "请填写问题描述。"}
    )
    source_ref = forms.CharField(
        label="来源编号",
        required=False,
        max_length=120,
        help_text="如检查记录编号、举报查询码",
    )
    campaign = forms.ModelChoiceField(
        label="专项行动",
        required=False,
        queryset=Campaign.objects.filter(is_active=True),
        empty_label="当前专项行动",
    )
    deadline = _date(
        "整改时限", required=False, help_text="留空则按问题来源和严重程度的默认工作日数计算。"
    )

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Problem.Source.choices)
        self.fields["source"].choices = [(s, labels[s]) for s in sources]
        self.fields["source"].error_messages["invalid_choice"] = "您不能登记该来源的问题。"


class CloseLeadForm(Form):
    outcome = forms.ChoiceField(
        label="结果类别", choices=[("", "请选择"), *Lead.Outcome.choices], required=False
    )
    result = forms.CharField(
        label="办理结果", widget=_area(4), error_messages={"required": "请填写办理结果。"}
    )
    result_date = _date("结果日期", required=False, help_text="不填为今天")


class DisposeLeadForm(Form):
    disposal = forms.ChoiceField(
        label="处置方式",
        choices=Lead.Disposal.choices,
        error_messages={"required": "请选择处置方式。"},
    )
    working_notes = forms.CharField(
        label="工作底稿（仅纪委监委可见）", widget=_area(3), required=False
    )


class ReturnLeadForm(Form):
    reason = forms.CharField(
        label="退回理由", widget=_area(3), error_messages={"required": "请填写退回理由。"}
    )


class BulkExtensionForm(Form):
    """The extension queue: the ticked problems (those with a pending 延期申请 the
    supervisor sees) and one decision with one note for all of them."""

    DECISIONS = {"approve": "批准", "refuse": "不予批准"}

    ids = forms.ModelMultipleChoiceField(
        queryset=None, error_messages={"required": "请先勾选延期申请。"}
    )
    decision = forms.ChoiceField(choices=list(DECISIONS.items()))
    note = forms.CharField(label="审批意见", required=False, widget=_area(2))

    def __init__(self, problems, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = problems
        self.fields["ids"].error_messages["invalid_choice"] = "所选问题不存在或无权查看。"

    def clean(self):
        data = super().clean()
        data["note"] = (data.get("note") or "").strip()
        if data.get("decision") == "refuse" and not data["note"]:
            self.add_error("note", "不予批准时请填写理由。")
        return data
