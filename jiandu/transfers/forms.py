from django import forms

from jiandu.core.forms import Form
from jiandu.documents.staging import KeepsUploads, KeptFilesField
from jiandu.enforcement.models import PenaltyCase
from jiandu.orgs.models import Unit
from jiandu.transfers.actions import DECISIONS, receiver_units
from jiandu.transfers.models import CaseTransfer


def _area(rows=3, placeholder=""):
    return forms.Textarea(attrs={"rows": rows, "placeholder": placeholder})


class SendForm(KeepsUploads, Form):
    kind = forms.ChoiceField(label="移送类型", choices=CaseTransfer.Kind.choices)
    to_unit = forms.ModelChoiceField(
        label="接收单位",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="（移送司法机关时不选）",
    )
    external = forms.ChoiceField(
        label="或移送司法机关",
        choices=[("", "（不移送司法机关）"), *CaseTransfer.External.choices],
        required=False,
    )
    external_name = forms.CharField(
        label="司法机关名称", max_length=100, required=False, help_text="如：某某县公安局"
    )
    case = forms.ModelChoiceField(
        label="关联本单位案件",
        queryset=PenaltyCase.objects.none(),
        required=False,
        empty_label="（线索或未立案的不选）",
    )
    party_name = forms.CharField(label="当事人", max_length=200)
    facts = forms.CharField(label="违法事实", widget=_area(4, "查明的违法事实、证据情况"))
    basis = forms.CharField(
        label="移送依据",
        widget=_area(2, "移送的法律依据，如《行政执法机关移送涉嫌犯罪案件的规定》第三条"),
    )
    files = KeptFilesField(
        label="附件", help_text="案件材料、证据清单等；支持 PDF、Word、Excel、图片。"
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = receiver_units()
        if user is not None and user.unit_id:
            units = units.exclude(pk=user.unit_id)
            self.fields["case"].queryset = PenaltyCase.objects.filter(unit_id=user.unit_id)
        self.fields["to_unit"].queryset = units


class ReasonForm(Form):
    reason = forms.CharField(label="理由", widget=_area(2))


class AcceptForm(Form):
    pass


class NoteForm(KeepsUploads, Form):
    note = forms.CharField(label="说明", widget=_area(2))


class ResendForm(KeepsUploads, Form):
    note = forms.CharField(label="补正说明", widget=_area(2, "补正了哪些材料"))
    files = KeptFilesField(label="补正材料")


class DecideForm(Form):
    result = forms.ChoiceField(label="裁定结果", choices=DECISIONS, widget=forms.RadioSelect)
    opinion = forms.CharField(label="裁定意见及依据", widget=_area(3))
