from decimal import Decimal

from django import forms
from django.utils import timezone

from jiandu.enforcement.models import PartyType
from jiandu.lib import uscc
from jiandu.standards.calculator import CIRCUMSTANCES, FACTS, ratio_warning, spec_of
from jiandu.standards.models import (
    TIER_FIELDS,
    LenientListItem,
    Tier,
    TierLevel,
    ViolationItem,
)

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _bootstrap(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class ItemForm(forms.ModelForm):
    class Meta:
        model = ViolationItem
        fields = [
            "code",
            "name",
            "domain",
            "violation_basis",
            "penalty_basis",
            "statutory_fine_max",
            "is_active",
        ]
        widgets = {
            "violation_basis": forms.Textarea(attrs={"rows": 3}),
            "penalty_basis": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)
        self.fields["is_active"].widget.attrs["class"] = "form-check-input"


class TierForm(forms.ModelForm):
    """One tier of a draft. An empty row (no amounts, no conditions) is left out."""

    class Meta:
        model = Tier
        fields = ["level", *TIER_FIELDS]
        widgets = {
            "level": forms.HiddenInput(),
            "conditions": forms.Textarea(attrs={"rows": 2}),
            "other_penalties": forms.TextInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)
        for name in ("fine_min", "fine_max", "multiple_min", "multiple_max"):
            self.fields[name].widget.attrs["min"] = "0"
        self.fields["multiple_of"].choices = [
            ("", "不按倍数（固定金额）"),
            *Tier._meta.get_field("multiple_of").choices,
        ]
        self.warning = None

    def has_content(self):
        data = self.cleaned_data
        return any(data.get(f) not in (None, "") for f in TIER_FIELDS)

    def clean(self):
        data = super().clean()
        for name in ("fine_min", "fine_max", "multiple_min", "multiple_max"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, "金额或倍数不能为负数。")
        lo, hi = data.get("fine_min"), data.get("fine_max")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("fine_max", "罚款上限不能低于下限。")
        mlo, mhi = data.get("multiple_min"), data.get("multiple_max")
        if data.get("multiple_of"):
            if mlo is None and mhi is None:
                self.add_error("multiple_min", "选择了倍数基数，请填写倍数下限或上限。")
        elif mlo is not None or mhi is not None:
            self.add_error("multiple_of", "填写了倍数，请选择倍数基数（违法所得或货值金额）。")
        if mlo is not None and mhi is not None and mlo > mhi:
            self.add_error("multiple_max", "倍数上限不能低于下限。")
        if not self.errors:
            self.warning = ratio_warning(
                spec_of(Tier(**{k: v for k, v in data.items() if k != "id"}))
            )
        return data


def tier_forms(benchmark, data=None):
    """One form per level, prefilled from the draft's tiers."""
    existing = {t.level: t for t in benchmark.tiers.all()}
    forms_ = []
    for level, label in TierLevel.choices:
        instance = existing.get(level) or Tier(level=level)
        form = TierForm(data, instance=instance, prefix=level, initial={"level": level})
        form.label = label
        forms_.append(form)
    return forms_


class PublishForm(forms.Form):
    effective_on = forms.DateField(label="生效日期", widget=DATE)
    source = forms.CharField(label="发布文件", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].widget.attrs["class"] = "form-control"


class LenientForm(forms.ModelForm):
    class Meta:
        model = LenientListItem
        fields = ["list_kind", "code", "name", "conditions", "basis", "unit"]
        widgets = {
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "basis": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not ViolationItem.objects.filter(code=code).exists():
            raise forms.ValidationError("没有这个事项编码，请先在违法行为事项中新增。")
        return code


class LenientPublishForm(forms.Form):
    effective_on = forms.DateField(label="生效日期", widget=DATE)


class CalculatorForm(forms.Form):
    item = forms.CharField(label="违法行为事项", help_text="输入事项编码或名称搜索，从列表中选择")
    decided_on = forms.DateField(label="决定日期", widget=DATE)
    party_type = forms.ChoiceField(label="当事人类型", choices=PartyType.choices)
    circumstances = forms.MultipleChoiceField(
        label="裁量情节",
        required=False,
        choices=[(c, c) for c in CIRCUMSTANCES],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    facts = forms.MultipleChoiceField(
        label="其他事实",
        required=False,
        choices=list(FACTS.items()),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    illegal_income = forms.DecimalField(
        label="违法所得(元)", required=False, min_value=Decimal(0), max_digits=16, decimal_places=2
    )
    goods_value = forms.DecimalField(
        label="货值金额(元)", required=False, min_value=Decimal(0), max_digits=16, decimal_places=2
    )
    party_uscc = forms.CharField(
        label="当事人统一社会信用代码",
        required=False,
        max_length=18,
        help_text="选填：用于核对两年内是否有同一事项的在先案件（影响“初次违法”）",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)
        self.fields["decided_on"].initial = timezone.localdate()
        self.fields["item"].widget.attrs["list"] = "item-options"
        self.fields["item"].widget.attrs["autocomplete"] = "off"
        self.fields["illegal_income"].error_messages["min_value"] = "金额不能为负数。"
        self.fields["goods_value"].error_messages["min_value"] = "金额不能为负数。"

    def clean_item(self):
        text = self.cleaned_data["item"].strip()
        code = text.split()[0] if text else ""
        item = ViolationItem.objects.filter(code=code).first()
        if item is None and text:
            # A name typed in full, or a part of it that only one active item has.
            named = ViolationItem.objects.filter(name=text) or ViolationItem.objects.filter(
                name__icontains=text, is_active=True
            )
            if len(named[:2]) == 1:
                item = named[0]
        if item is None:
            raise forms.ValidationError("没有找到该事项，请输入事项编码或从搜索结果中选择。")
        return item

    def clean_decided_on(self):
        # The two-year look-back for earlier cases needs room below the date.
        day = self.cleaned_data["decided_on"]
        if day.year < 1900:
            raise forms.ValidationError("请填写正确的决定日期。")
        return day

    def clean_party_uscc(self):
        # A mistyped code would find no earlier case and wrongly allow 初次违法.
        code = self.cleaned_data["party_uscc"].strip().upper()
        if code and (problem := uscc.problem(code)):
            raise forms.ValidationError(problem)
        return code
