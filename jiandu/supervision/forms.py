from django import forms

from jiandu.campaigns.forms import DATE
from jiandu.core.forms import Form
from jiandu.documents.staging import KeepsUploads, KeptFilesField
from jiandu.orgs.models import FocusArea, Unit
from jiandu.supervision.actions import TEAM_ROLES
from jiandu.supervision.models import Circular, Instrument, OfficerRecommendation


def _area(rows=3, placeholder=""):
    return forms.Textarea(attrs={"rows": rows, "placeholder": placeholder})


def _text(label, rows=3, required=True, placeholder="", help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=_area(rows, placeholder),
        error_messages={"required": f"请填写{label}。"},
    )


def _date(label):
    return forms.DateField(
        label=label, widget=DATE, error_messages={"required": f"请填写{label}。"}
    )


def _enforcement_units():
    return Unit.objects.enforcement().active()


def _unit_choice(label):
    """One enforcement unit to choose; `UnitForm` fills in the active ones."""
    return forms.ModelChoiceField(
        label=label, queryset=Unit.objects.none(), error_messages={"required": f"请选择{label}。"}
    )


class UnitForm(Form):
    """A form whose `unit` (a `_unit_choice`) lists the active enforcement units."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _enforcement_units()


class VisitForm(Form):
    unit = _unit_choice("被检查单位")
    visit_date = _date("检查日期")
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
    deadline = _date("整改时限")

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
    deadline = _date("整改时限")


# ---------------------------------------------------------------- the 条例's instruments


class InstrumentForm(UnitForm):
    kind = forms.ChoiceField(label="文书种类", choices=Instrument.Kind.choices)
    unit = _unit_choice("主送单位")
    title = forms.CharField(
        label="事由",
        max_length=200,
        help_text="如：未按规定公示行政执法信息",
        error_messages={"required": "请填写事由。"},
    )
    focus_area = forms.ModelChoiceField(
        label="问题领域",
        queryset=FocusArea.objects.all(),
        error_messages={"required": "请选择问题领域。"},
    )
    facts = _text("基本事实", 4)
    basis = _text("依据", 3, placeholder="如：《中华人民共和国行政处罚法》第三十九条")
    required_action = _text(
        "督办 / 纠正事项", 4, help_text="每行一项；每一项列入整改台账，整改时限为答复期限。"
    )
    reply_days = forms.IntegerField(
        label="答复期限（工作日）",
        required=False,
        min_value=1,
        max_value=90,
        help_text="不填按该类文书的设置",
        error_messages={"invalid": "请填写 1 至 90 的整数。"},
    )


class IssueForm(Form):
    """签发 takes no input: the deadline comes from the instrument's working days."""


class ReplyForm(KeepsUploads, Form):
    text = _text("纠正（履职）情况", 4, placeholder="逐项说明已采取的措施和结果")
    files = KeptFilesField(label="证明材料", help_text="可多选；PDF、Word、Excel、图片。")


class ObjectForm(Form):
    text = _text("异议理由", 4, placeholder="写明异议的事实和理由")


class AcceptReplyForm(Form):
    note = _text("审核意见", 2, required=False)


class ReturnReplyForm(Form):
    reason = _text("退回理由", 3)


class HandleObjectionForm(Form):
    note = _text("处理意见", 3)


class EscalateForm(Form):
    facts = _text("基本情况", 4)
    proposal = _text("处理建议", 3, placeholder="建议县人民政府责令……")


class ReferForm(Form):
    note = _text("移送的问题线索", 3)


class ReplyDaysForm(Form):
    supervision_letter = forms.IntegerField(
        label="督办函答复期限（工作日）", min_value=1, max_value=90
    )
    opinion_letter = forms.IntegerField(label="意见书答复期限（工作日）", min_value=1, max_value=90)


class ProposalForm(UnitForm):
    unit = _unit_choice("涉及单位")
    facts = _text("重大问题基本情况", 4)
    proposal = _text("处理建议", 3)


class DecisionForm(KeepsUploads, Form):
    number = forms.CharField(
        label="决定书文号", max_length=60, error_messages={"required": "请填写决定书文号。"}
    )
    date = _date("决定日期")
    content = _text("决定内容", 4)
    file = KeptFilesField(label="决定书扫描件", help_text="PDF 或图片。")


class InterviewPeopleForm(UnitForm):
    """Who is interviewed, when and where, by whom: the head of both 约谈 forms."""

    unit = _unit_choice("约谈单位")
    held_at = forms.DateTimeField(
        label="约谈时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "请填写约谈时间。", "invalid": "请填写有效时间。"},
    )
    place = forms.CharField(label="地点", max_length=100, required=False)
    interviewers = forms.CharField(
        label="约谈人", max_length=200, error_messages={"required": "请填写约谈人。"}
    )
    attendees = forms.CharField(
        label="被约谈人", max_length=300, error_messages={"required": "请填写被约谈人。"}
    )


class MinutesForm(Form):
    content = _text("约谈内容", 5)
    follow_ups = _text("整改事项", 3, required=False, help_text="每行一项，列入整改台账。")
    focus_area = forms.ModelChoiceField(
        label="问题领域", queryset=FocusArea.objects.all(), required=False
    )


class InterviewForm(InterviewPeopleForm, MinutesForm):
    """约谈 recorded in one go: the people, then the minutes."""

    field_order = [*InterviewPeopleForm.base_fields, *MinutesForm.base_fields]


class ScheduleInterviewForm(InterviewPeopleForm):
    reason = _text("约谈事由", 3)


class CircularForm(Form):
    title = forms.CharField(
        label="标题", max_length=200, error_messages={"required": "请填写标题。"}
    )
    audience = forms.ChoiceField(label="范围", choices=Circular.Audience.choices)
    units = forms.ModelMultipleChoiceField(
        label="被通报单位", queryset=Unit.objects.none(), required=False
    )
    content = _text("通报内容", 8)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _enforcement_units()


class OfficerForm(UnitForm):
    unit = _unit_choice("所在单位")
    officer_name = forms.CharField(
        label="执法人员", max_length=50, error_messages={"required": "请填写执法人员姓名。"}
    )
    certificate_no = forms.CharField(label="执法证号", max_length=50, required=False)
    measure = forms.ChoiceField(label="建议措施", choices=OfficerRecommendation.Measure.choices)
    reason = _text("事实与理由", 3)
    competent_body = forms.CharField(
        label="有权机关", max_length=100, error_messages={"required": "请填写有权作出决定的机关。"}
    )


class OfficerDecisionForm(Form):
    decision = _text("有权机关决定", 2)
    date = _date("决定日期")


class RequestForm(UnitForm):
    unit = _unit_choice("涉及单位")
    problem = forms.ModelChoiceField(
        label="相关问题", queryset=None, required=False, widget=forms.HiddenInput
    )
    reason = _text("督办请求", 3)

    def __init__(self, *args, **kwargs):
        from jiandu.ledger.models import Problem

        super().__init__(*args, **kwargs)
        self.fields["problem"].queryset = Problem.objects.open()


class AnswerRequestForm(Form):
    answer = _text("处理情况", 2)
