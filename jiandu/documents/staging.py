"""Uploads that survive a form error. A browser cannot fill a file input again, so a
form that fails for another reason (a missing 整改进展, an incomplete answer) would make
the user choose every file again. A `KeptFilesField` stores each file that passed its
checks as a `PendingUpload` of the signed-in user as soon as the form is cleaned; the
page shown again lists them ("已上传：…，无需重新选择") with a ticked box carrying the
token, and the corrected post gets them back with any new files. A file that failed
its check is named in the error and must be chosen again; the good ones beside it are
kept. After the form succeeded the view calls `discard(form)`; anything left behind is
removed after PENDING_HOURS."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from jiandu.documents.models import PendingUpload
from jiandu.documents.uploads import CheckedFile, MultipleFileField, MultipleFileInput, check_upload

PENDING_HOURS = 24
KEPT_SUFFIX = "-kept"


def stage(checked: CheckedFile, user=None):
    """Keep `checked` for `user` (None: for whoever holds the token, a public form)."""
    pending = PendingUpload(
        user=user,
        original_name=checked.name,
        extension=checked.extension,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=checked.sha256,
    )
    pending.file.save(f"x.{checked.extension}", ContentFile(checked.data), save=False)
    if checked.original is not None:
        pending.original.save(f"x.{checked.extension}", ContentFile(checked.original), save=False)
    pending.save()
    return pending


def _remove(pending):
    pending.file.delete(save=False)
    if pending.original:
        pending.original.delete(save=False)
    pending.delete()


def sweep(now=None):
    """Remove pending uploads older than PENDING_HOURS, with their files."""
    cutoff = (now or timezone.now()) - timedelta(hours=PENDING_HOURS)
    for pending in PendingUpload.objects.filter(created_at__lt=cutoff):
        _remove(pending)


def _checked(pending) -> CheckedFile | None:
    try:
        with pending.file.open("rb") as fh:
            data = fh.read()
        original = None
        if pending.original:
            with pending.original.open("rb") as fh:
                original = fh.read()
    except OSError:
        return None
    return CheckedFile(
        name=pending.original_name,
        extension=pending.extension,
        content_type=pending.content_type,
        data=data,
        sha256=pending.sha256,
        original=original,
    )


class KeptFilesInput(MultipleFileInput):
    """The file input, then the files kept from the previous post, each with a ticked
    box (untick to drop it) whose value is its token."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.kept: list = []  # PendingUpload rows, set by the field's clean

    def value_from_datadict(self, data, files, name):
        getlist = getattr(data, "getlist", None)
        return {
            "new": super().value_from_datadict(data, files, name),
            "kept": [t for t in getlist(name + KEPT_SUFFIX) if t] if getlist else [],
        }

    def value_omitted_from_data(self, data, files, name):
        return False

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.kept:
            return html
        rows = format_html_join(
            "",
            '<div class="form-check small text-success jd-kept-file">'
            '<input class="form-check-input" type="checkbox" name="{}" value="{}" id="{}" checked>'
            '<label class="form-check-label" for="{}">已上传：{}（无需重新选择；取消勾选则不保存）'
            "</label></div>",
            (
                (name + KEPT_SUFFIX, p.token, f"kept-{p.token}", f"kept-{p.token}", p.original_name)
                for p in self.kept
            ),
        )
        return format_html("{}{}", html, rows)


class KeptFilesField(MultipleFileField):
    """A MultipleFileField (always checked by content) whose good files are kept for the
    user across a form error. Set `uploader` (KeepsUploads does) to enable keeping; with
    `public=True` a signed-out person's files are kept too, found again by their random
    tokens alone (the portal's forms)."""

    widget = KeptFilesInput

    def __init__(self, *, check=None, public=False, **kwargs):
        kwargs.setdefault("widget", KeptFilesInput(attrs=kwargs.pop("attrs", None) or {}))
        super().__init__(check=check or {}, **kwargs)
        self.uploader = None
        self.public = public

    def clean(self, data, initial=None):
        data = data if isinstance(data, dict) else {"new": data, "kept": []}
        new = data["new"] if isinstance(data["new"], list | tuple) else [data["new"]]
        new = [forms.FileField.clean(self, f, initial) for f in new if f]
        user = self.uploader if getattr(self.uploader, "is_authenticated", False) else None
        keeping = user is not None or self.public
        kept, errors = [], []
        tokens = set(data["kept"][:50])
        if tokens:
            fresh = timezone.now() - timedelta(hours=PENDING_HOURS)
            # A signed-in user's files are theirs alone; a public form's are nobody's.
            rows = (
                PendingUpload.objects.filter(user=user, token__in=tokens, created_at__gte=fresh)
                if keeping
                else []
            )
            kept = sorted(rows, key=lambda p: (p.created_at, p.pk))
            if len(kept) < len(tokens):  # swept after PENDING_HOURS, or never this user's
                errors.append(
                    f"先前上传的 {len(tokens) - len(kept)} 个文件已失效"
                    f"（保留不超过 {PENDING_HOURS} 小时），请重新选择。"
                )
        checked = []
        for pending in kept:
            file = _checked(pending)
            if file is None:
                errors.append(f"文件“{pending.original_name}”已失效，请重新选择。")
                pending.delete()
            else:
                checked.append(file)
        good = [p for p in kept if p.pk is not None]
        seen = {(p.original_name, p.sha256) for p in good}
        for upload in new:
            try:
                file = check_upload(upload, **self.check)
            except ValidationError as exc:
                errors.extend(exc.messages)
                continue
            if (file.name, file.sha256) in seen:  # chosen again although it was kept
                continue
            seen.add((file.name, file.sha256))
            checked.append(file)
            if keeping:
                good.append(stage(file, user))
        self.widget.kept = good
        if errors:
            if good:
                errors.append("其余文件已保留，无需重新选择。")
            raise ValidationError(errors)
        if self.max_files and len(checked) > self.max_files:
            raise ValidationError(f"最多上传 {self.max_files} 个附件。")
        if self.required and not checked:
            raise ValidationError(self.error_messages["required"], code="required")
        return checked


class KeepsUploads:
    """Form mixin: pass `uploader=request.user` to keep the KeptFilesFields' files."""

    def __init__(self, *args, uploader=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, KeptFilesField):
                field.uploader = uploader


def discard(*forms_):
    """After the forms' action succeeded: the kept files were saved as attachments."""
    for form in forms_:
        for field in getattr(form, "fields", {}).values():
            if isinstance(field, KeptFilesField):
                for pending in field.widget.kept:
                    if pending.pk is not None:
                        _remove(pending)
                field.widget.kept = []
    sweep()
