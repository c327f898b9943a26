import re

from django import forms
from django.core.exceptions import ValidationError

from jiandu.campaigns.actions import validate_phases
from jiandu.campaigns.models import Campaign, CampaignContact, FocusArea, Phase, SelfCheckItem
from jiandu.documents.uploads import check_upload
from jiandu.orgs.models import Unit

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXT = {"class": "form-control"}
RULE_ID = re.compile(r"^[A-Z]{4}-\d{2}$")


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif isinstance(widget, forms.Textarea):
            widget.attrs.setdefault("class", "form-control")
            widget.attrs.setdefault("rows", 3)
        elif not isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-control")


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "doc_no", "lead_unit", "description", "public_notice"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = Unit.objects.filter(is_active=True)
        _style(self)


class PhaseDatesForm(forms.Form):
    """Start and end of each of the four phases; in order and without overlap."""

    def __init__(self, *args, campaign=None, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        if campaign is not None:
            for phase in campaign.phases.all():
                initial[f"start_{phase.kind}"] = phase.start
                initial[f"end_{phase.kind}"] = phase.end
        super().__init__(*args, initial=initial, **kwargs)
        for kind, label in Phase.Kind.choices:
            self.fields[f"start_{kind}"] = forms.DateField(label=f"{label} 开始", widget=DATE)
            self.fields[f"end_{kind}"] = forms.DateField(label=f"{label} 结束", widget=DATE)

    def rows(self):
        return [
            (label, self[f"start_{kind}"], self[f"end_{kind}"])
            for kind, label in Phase.Kind.choices
        ]

    def clean(self):
        data = super().clean()
        dates = {
            kind: (data.get(f"start_{kind}"), data.get(f"end_{kind}"))
            for kind, _label in Phase.Kind.choices
            if f"start_{kind}" not in self.errors and f"end_{kind}" not in self.errors
        }
        for kind, message in validate_phases(dates).items():
            self.add_error(f"start_{kind}", message)
        return data

    def phases(self):
        return {
            kind: (self.cleaned_data[f"start_{kind}"], self.cleaned_data[f"end_{kind}"])
            for kind, _label in Phase.Kind.choices
        }


class ContactForm(forms.ModelForm):
    class Meta:
        model = CampaignContact
        fields = ["name", "phone", "duty", "unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)
        _style(self)


class CreateCampaignForm(forms.Form):
    lead_unit = forms.ModelChoiceField(
        label="牵头单位", queryset=Unit.objects.filter(kind=Unit.Kind.JUSTICE, is_active=True)
    )
    start = forms.DateField(label="开始日期", widget=DATE, help_text="各阶段按县方案的间隔顺延。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ItemForm(forms.ModelForm):
    class Meta:
        model = SelfCheckItem
        fields = ["focus_area", "text", "guidance", "rules"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = FocusArea.objects.all()
        _style(self)

    def clean_rules(self):
        raw = self.cleaned_data["rules"].replace("，", ",")
        ids = [r.strip().upper() for r in raw.split(",") if r.strip()]
        bad = [r for r in ids if not RULE_ID.match(r)]
        if bad:
            raise ValidationError(f"规则编号格式不正确：{'、'.join(bad)}（应如 DISC-01）。")
        return ",".join(ids)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several uploads at once; each is checked by its content (PDF, images, Office)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={
                    "class": "form-control form-control-sm",
                    "accept": ".pdf,.jpg,.jpeg,.png,.gif,.webp,.doc,.docx,.xls,.xlsx,.pptx",
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = list(data) if isinstance(data, list | tuple) else ([data] if data else [])
        checked, errors = [], []
        for upload in files:
            try:
                checked.append(check_upload(upload))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return checked


YES_NO = [("no", "无此问题"), ("yes", "存在问题")]


class AnswerForm(forms.Form):
    has_problem = forms.ChoiceField(
        label="自查情况", choices=YES_NO, required=False, widget=forms.RadioSelect
    )
    description = forms.CharField(label="问题描述", required=False, widget=forms.Textarea)
    cause = forms.CharField(label="原因分析", required=False, widget=forms.Textarea)
    measures = forms.CharField(label="整改措施", required=False, widget=forms.Textarea)
    deadline = forms.DateField(label="整改时限", required=False, widget=DATE)
    responsible_person = forms.CharField(label="责任人", required=False, max_length=50)
    files = AttachmentsField(label="佐证材料")
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
        for name in ("description", "cause", "measures"):
            self.fields[name].widget.attrs.update({"class": "form-control", "rows": 2})
        self.fields["responsible_person"].widget.attrs["class"] = "form-control"

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


class ReportContactForm(forms.Form):
    contact_name = forms.CharField(label="填报人", max_length=30, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="退回原因",
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": "请填写退回原因。"},
    )
