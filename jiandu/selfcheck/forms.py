from django import forms

from jiandu.campaigns.forms import DATE
from jiandu.core.forms import Form
from jiandu.documents.staging import KeepsUploads, KeptFilesField


def attachments_field(label):
    """Several uploads at once; each is checked by its content (PDF, images, Office), and
    kept for the user when the form fails for another reason (documents.staging)."""
    field = KeptFilesField(
        label=label,
        attrs={"accept": ".pdf,.jpg,.jpeg,.png,.gif,.webp,.doc,.docx,.xls,.xlsx,.pptx"},
    )
    field.control_size = "sm"  # beside the answer's other fields (jiandu.core.forms)
    return field


YES_NO = [("no", "无此问题"), ("yes", "存在问题")]
ROWS = {"rows": 2}


class AnswerForm(KeepsUploads, Form):
    has_problem = forms.ChoiceField(
        label="自查情况", choices=YES_NO, required=False, widget=forms.RadioSelect
    )
    description = forms.CharField(label="问题描述", required=False, widget=forms.Textarea(ROWS))
    cause = forms.CharField(label="原因分析", required=False, widget=forms.Textarea(ROWS))
    measures = forms.CharField(label="整改措施", required=False, widget=forms.Textarea(ROWS))
    deadline = forms.DateField(label="整改时限", required=False, widget=DATE)
    responsible_person = forms.CharField(label="责任人", required=False, max_length=50)
    files = attachments_field("佐证材料")
    remove_attachments = forms.MultipleChoiceField(
        label="删除附件", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, answer, attachments=(), **kwargs):
        self.answer = answer
        self.attachments = list(attachments)
        initial = {
            "has_problem": {True: "yes", False: "no"}.get(answer.has_problem, ""),
            "description": answer.description,
            "cause": answer.cause,
            "measures": answer.measures,
            "deadline": answer.deadline,
            "responsible_person": answer.responsible_person,
        }
        super().__init__(*args, prefix=f"a{answer.pk}", initial=initial, **kwargs)
        self.fields["remove_attachments"].choices = [
            (str(a.pk), a.original_name) for a in self.attachments
        ]

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "has_problem": {"yes": True, "no": False}.get(data["has_problem"]),
            "description": data["description"].strip(),
            "cause": data["cause"].strip(),
            "measures": data["measures"].strip(),
            "deadline": data["deadline"],
            "responsible_person": data["responsible_person"].strip(),
            "files": data["files"],
            "remove_attachments": data["remove_attachments"],
        }


class ReportContactForm(Form):
    contact_name = forms.CharField(label="填报人", max_length=30, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)


class ReturnForm(Form):
    reason = forms.CharField(
        label="退回原因",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写退回原因。"},
    )
