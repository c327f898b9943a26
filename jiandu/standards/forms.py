from django import forms

from jiandu.core.forms import Form, ModelForm
from jiandu.standards.calculator import ratio_warning, spec_of
from jiandu.standards.models import (
    TIER_FIELDS,
    LenientListItem,
    PublishedDraft,
    PublishedRow,
    Tier,
    TierLevel,
    ViolationItem,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ItemForm(ModelForm):
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


class TierForm(ModelForm):
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


class PublishForm(Form):
    effective_on = forms.DateField(label="生效日期", widget=DATE)
    source = forms.CharField(label="发布文件", max_length=200, required=False)


class LenientForm(ModelForm):
    class Meta:
        model = LenientListItem
        fields = ["list_kind", "code", "name", "conditions", "basis", "unit"]
        widgets = {
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "basis": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not ViolationItem.objects.filter(code=code).exists():
            raise forms.ValidationError("没有这个事项编码，请先在违法行为事项中新增。")
        return code


class LenientPublishForm(Form):
    effective_on = forms.DateField(label="生效日期", widget=DATE)


class PublishedUploadForm(Form):
    """A published 裁量基准 table or 不予处罚 list, as the issuing body published it."""

    kind = forms.ChoiceField(label="文件类型", choices=PublishedDraft.Kind.choices)
    file = forms.FileField(
        label="发布文件",
        help_text="裁量基准：.xls .xlsx .docx（表格）或带文字层的 .pdf；不予处罚清单另可为 .md .txt 文本。",
    )
    domain = forms.CharField(label="执法领域", max_length=50, required=False)
    code_prefix = forms.CharField(
        label="事项编码前缀",
        max_length=20,
        required=False,
        help_text="发布文件的序号（如 2-1）前加上的前缀，避免与其他领域的事项编码重复，例如 JMHB-。",
    )

    def clean_file(self):
        from jiandu.documents.uploads import OFFICE_AND_PDF, CheckedFile, check_upload

        upload = self.cleaned_data["file"]
        name = (upload.name or "").rsplit("/", 1)[-1]
        if name.lower().endswith((".md", ".txt")):
            # Text has no signature to read the type from: it must decode as text.
            data = upload.read()
            if b"\0" in data or len(data) > 5 * 1024 * 1024:
                raise forms.ValidationError(f"文件“{name}”不是文本文件，或超过 5 MB。")
            import hashlib

            return CheckedFile(
                name=name,
                extension=name.rsplit(".", 1)[-1].lower(),
                content_type="text/plain",
                data=data,
                sha256=hashlib.sha256(data).hexdigest(),
            )
        allowed = {k: v for k, v in OFFICE_AND_PDF.items() if k in {"xls", "xlsx", "docx", "pdf"}}
        checked = check_upload(upload, allowed=allowed)
        # The reader goes by the extension: the one read from the content wins.
        stem = name.rsplit(".", 1)[0] if "." in name else name
        checked.name = f"{stem}.{checked.extension}"
        return checked

    def clean(self):
        data = super().clean()
        checked = data.get("file")
        if (
            checked
            and data.get("kind") == PublishedDraft.Kind.BENCHMARK
            and checked.extension in {"md", "txt"}
        ):
            self.add_error("file", "裁量基准请上传表格（.xls .xlsx .docx）或带文字层的 PDF。")
        return data


class PublishedRowForm(ModelForm):
    """One row of a draft corrected in place."""

    class Meta:
        model = PublishedRow
        fields = [
            "circumstances",
            "fine_min",
            "fine_max",
            "multiple_of",
            "multiple_min",
            "multiple_max",
            "measures",
        ]
        widgets = {
            "circumstances": forms.Textarea(attrs={"rows": 2}),
            "measures": forms.TextInput(),
        }

    control_size = "sm"

    def clean(self):
        data = super().clean()
        for name in ("fine_min", "fine_max", "multiple_min", "multiple_max"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, "金额或倍数不能为负数。")
        lo, hi = data.get("fine_min"), data.get("fine_max")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("fine_max", "罚款上限不能低于下限。")
        mlo, mhi = data.get("multiple_min"), data.get("multiple_max")
        if mlo is not None and mhi is not None and mlo > mhi:
            self.add_error("multiple_max", "倍数上限不能低于下限。")
        if (mlo is not None or mhi is not None) and not data.get("multiple_of"):
            self.add_error(
                "multiple_of",
                "填写了倍数，请写明倍数基数（如 illegal_income 违法所得、goods_value 货值金额）。",
            )
        return data


class DraftPublishForm(Form):
    effective_on = forms.DateField(label="生效日期", widget=DATE)
