"""The discretion calculator page (裁量计算器, /standards/calculator/, `standards:calculator`).

It applies the standards to a party, and looks up the party's earlier cases (which decide
初次违法), so it stands above both standards and enforcement: it lives here and
jiandu/urls.py mounts it into the `standards:` namespace. The calculation itself is
jiandu/standards/calculator.py."""

from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from jiandu.core.forms import Form
from jiandu.enforcement.models import PartyType, PenaltyCase
from jiandu.lib import uscc
from jiandu.standards.calculator import CIRCUMSTANCES, FACTS, calculate, load
from jiandu.standards.forms import DATE
from jiandu.standards.models import ViolationItem


class CalculatorForm(Form):
    item = forms.CharField(label="违法行为事项", help_text="输入事项编码或名称搜索，从列表中选择")
    decided_on = forms.DateField(label="决定日期", widget=DATE)
    party_type = forms.ChoiceField(label="当事人类型", choices=PartyType.choices)
    circumstances = forms.MultipleChoiceField(
        label="裁量情节",
        required=False,
        choices=[(c, c) for c in CIRCUMSTANCES],
        widget=forms.CheckboxSelectMultiple,
    )
    facts = forms.MultipleChoiceField(
        label="其他事实",
        required=False,
        choices=list(FACTS.items()),
        widget=forms.CheckboxSelectMultiple,
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


@login_required
def calculator(request):
    data = request.GET if request.GET.get("item") else None
    form = CalculatorForm(data, initial={"decided_on": timezone.localdate()})
    context = {"form": form}
    if data is not None and form.is_valid():
        cd = form.cleaned_data
        item = cd["item"]
        tiers, lenient_specs, benchmark = load(item, cd["decided_on"])
        earlier = PenaltyCase.objects.earlier_of_item(
            cd["party_uscc"], item.code, cd["decided_on"]
        ).exists()
        context.update(
            {
                "item": item,
                "benchmark": benchmark,
                "earlier": earlier,
                "result": calculate(
                    circumstances=cd["circumstances"],
                    facts=cd["facts"],
                    tiers=tiers,
                    lenient=lenient_specs,
                    illegal_income=cd["illegal_income"],
                    goods_value=cd["goods_value"],
                    earlier_violations=earlier,
                ),
            }
        )
    template = "standards/calculator.html#result" if request.htmx else "standards/calculator.html"
    return render(request, template, context)
