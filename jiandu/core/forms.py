"""How every form of the platform looks and how long its free text may be: one place.

Project forms derive from `Form` / `ModelForm` below (or put `ProjectForm` first when
they extend one of Django's ready-made forms). That gives them:

- Bootstrap classes chosen by widget type when a field is rendered (`BootstrapBoundField`):
  form-control for inputs and text areas, form-select for selects, form-check-input for
  checkboxes and for each option of a radio or checkbox list. A field with errors also
  gets is-invalid; the field templates put the message (invalid-feedback) and help text
  next to it. A form renders its controls large or small with `control_size = "lg"` /
  `"sm"`, one field with `field.control_size`. Forms set no `class` in widget attrs.
- A maximum length on every free-text field (`cap_free_text`): model TextFields and a
  plain CharField(widget=Textarea) have no max_length, so a form would accept megabytes
  into a note. A CharField without its own max_length gets settings.TEXT_MAX_CHARS: the
  browser stops typing there (maxlength) and the form answers with Django's Chinese
  message naming the limit. JSON fields are data, not text, and are left alone.

`FormRenderer` (settings.FORM_RENDERER) renders `{{ field.as_field_group }}` with
forms/field.html, the same markup as the include includes/field.html.
"""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.forms.boundfield import BoundField, BoundWidget
from django.forms.renderers import TemplatesSetting
from django.utils.functional import cached_property

SIZES = ("sm", "lg")


def _is_option_list(widget) -> bool:
    return isinstance(widget, forms.RadioSelect)  # CheckboxSelectMultiple is one too


def bootstrap_class(widget, size: str = "") -> str:
    """The Bootstrap class for `widget`, or "" for widgets that show none."""
    if widget.is_hidden:
        return ""
    if isinstance(widget, forms.CheckboxInput) or _is_option_list(widget):
        return "form-check-input"
    base = "form-select" if isinstance(widget, forms.Select) else "form-control"
    return f"{base} {base}-{size}" if size in SIZES else base


class BootstrapBoundField(BoundField):
    """A field rendered with the Bootstrap class for its widget (see `bootstrap_class`).

    A radio or checkbox list takes the class on each option (`{% for cb in field %}
    {{ cb.tag }}`), not on the list rendered whole, whose wrapping <div> would take it
    as well."""

    def _classes(self, widget) -> str:
        size = getattr(self.field, "control_size", None) or getattr(self.form, "control_size", "")
        classes = [bootstrap_class(widget, size)]
        if self.errors and not widget.is_hidden:
            classes.append("is-invalid")
        return " ".join(c for c in classes if c)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if not _is_option_list(widget):
            if classes := self._classes(widget):
                attrs["class"] = classes
        return attrs

    @cached_property
    def subwidgets(self):
        widget = self.field.widget
        id_ = widget.attrs.get("id") or self.auto_id
        attrs = super().build_widget_attrs({"id": id_} if id_ else {})
        if classes := self._classes(widget):
            attrs["class"] = classes
        return [
            BoundWidget(widget, option, self.form.renderer)
            for option in widget.subwidgets(self.html_name, self.value(), attrs=attrs)
        ]


def cap_free_text(fields) -> None:
    """Give each CharField of `fields` without a max_length settings.TEXT_MAX_CHARS, as
    if it had been declared with it (validator and the input's maxlength)."""
    limit = settings.TEXT_MAX_CHARS
    for field in fields.values():
        if (
            isinstance(field, forms.CharField)
            and not isinstance(field, forms.JSONField)
            and field.max_length is None
        ):
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs.update(field.widget_attrs(field.widget))


class CapsFreeText:
    """Form mixin: the free-text cap alone, for a form Django's admin shows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cap_free_text(self.fields)

    def full_clean(self):
        # Fields a subclass added after __init__ are capped before they are validated.
        cap_free_text(self.fields)
        super().full_clean()


class ProjectForm(CapsFreeText):
    """Form mixin: Bootstrap rendering and the free-text cap (module docstring)."""

    bound_field_class = BootstrapBoundField
    control_size = ""


class Form(ProjectForm, forms.Form):
    pass


class ModelForm(ProjectForm, forms.ModelForm):
    pass


class FormRenderer(TemplatesSetting):
    """The project's templates render forms; `as_field_group` uses forms/field.html."""

    field_template_name = "forms/field.html"
