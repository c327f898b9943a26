from django import forms

from jiandu.core.forms import Form


class ReasonForm(Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(Form):
    text = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 10}))


class EmptyForm(Form):
    pass
