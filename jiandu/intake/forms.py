from django import forms
from django.conf import settings

from jiandu.core.forms import Form
from jiandu.intake.models import SCOPES
from jiandu.intake.schema import KINDS
from jiandu.orgs.models import Unit


class UploadForm(Form):
    file = forms.FileField(
        label="数据文件", help_text="Excel（.xlsx）或 CSV（UTF-8 或 GB18030）；表头须与模板一致。"
    )
    kind = forms.ChoiceField(label="数据类型", required=False)
    all_or_nothing = forms.BooleanField(
        label="全部成功才导入（有任何一行出错则整个文件都不导入）", required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        supervisor = user is None or user.is_supervisor
        self.fields["kind"].choices = [("", "自动识别（按表头）")] + [
            (k, v.title) for k, v in KINDS.items() if supervisor or not v.supervisor_only
        ]
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv,.json"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.INTAKE_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"文件超过大小限制（最大 {limit // (1024 * 1024)} MB）。")
        if upload.size == 0:
            raise forms.ValidationError("文件是空的。")
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".xlsm", ".csv", ".json", ".txt")):
            raise forms.ValidationError("只能导入 .xlsx 或 .csv 文件。")
        return upload


class TokenForm(Form):
    name = forms.CharField(label="名称", max_length=100, help_text="如：市场监管局办案系统")
    unit = forms.ModelChoiceField(
        label="限定单位",
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        empty_label="不限（可导入所有单位的数据）",
        help_text="填写后，该令牌只能导入、读取和回写此单位的数据。",
    )
    scopes = forms.MultipleChoiceField(
        label="权限范围",
        choices=[(code, f"{label}（{code}）") for code, label in SCOPES.items()],
        initial=["import"],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="回写（write）只能给限定单位的令牌；不选时为导入。",
    )

    def clean_scopes(self):
        return self.cleaned_data.get("scopes") or ["import"]
