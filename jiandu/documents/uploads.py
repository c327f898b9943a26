"""Upload checks: the type is read from the content (never the name), the size and an
image's pixel count are capped, and image metadata (EXIF: GPS, device; JPEG and GIF
comments) is stripped before storing. With `scrub_pdf` a PDF is rewritten without its
document information, XMP metadata and scripts (public uploads: they reach the unit a
complaint is about). When cleaning changed the bytes, the original comes back too, for
a caller that keeps it apart (the portal keeps it for the supervisor only)."""

import hashlib
import io
from dataclasses import dataclass

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from jiandu.documents.models import Attachment

# extension -> MIME, as detected from content
OFFICE_AND_PDF = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}
IMAGES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}
DEFAULT_ALLOWED = {**OFFICE_AND_PDF, **IMAGES}
PUBLIC_ALLOWED = {"pdf": "application/pdf", **IMAGES}
# 40 megapixels: any phone photo, far below what a decompression bomb needs to exhaust
# memory (Pillow itself only refuses above 2 × 89 megapixels).
MAX_IMAGE_PIXELS = 40_000_000


@dataclass
class CheckedFile:
    name: str
    extension: str
    content_type: str
    data: bytes
    sha256: str
    original: bytes | None = None  # the bytes as received, when cleaning changed them


def _sniff(data: bytes) -> tuple[str, str] | None:
    kind = filetype.guess(data)
    if kind is None:
        return None
    ext = {"jpeg": "jpg"}.get(kind.extension, kind.extension)
    if ext == "zip":
        # Office Open XML files are zip archives; look for their marker part.
        if b"word/" in data[:20000]:
            ext = "docx"
        elif b"xl/" in data[:20000]:
            ext = "xlsx"
        elif b"ppt/" in data[:20000]:
            ext = "pptx"
    if ext in {"doc", "xls", "ppt"} or kind.mime == "application/x-ole-storage":
        ext = {"doc": "doc", "xls": "xls"}.get(ext, "doc")
    return ext, kind.mime


class ImageTooLarge(ValueError):
    pass


def _strip_image_metadata(data: bytes, ext: str, max_pixels: int = MAX_IMAGE_PIXELS) -> bytes:
    """Re-encode the pixels only. Pillow copies a JPEG's or GIF's comment from the
    image it read unless told otherwise, so everything it read besides the pixels is
    dropped (a GIF keeps its transparency, which is part of the picture)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        # The header gives the size before any pixel is decoded.
        if img.width * img.height > max_pixels:
            raise ImageTooLarge
        img.load()
        keep = {k: img.info[k] for k in ("transparency",) if k in img.info}
        img.info.clear()
        img.info.update(keep)
        out = io.BytesIO()
        fmt = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}[ext]
        if fmt == "JPEG" and img.mode not in {"RGB", "L"}:
            img = img.convert("RGB")
        img.save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
        return out.getvalue()


def _scrub_pdf(data: bytes) -> bytes:
    """Rewrite a PDF without its document information (author, producer, dates), XMP
    metadata streams, application private data and anything that runs: JavaScript,
    launch actions, open and additional actions."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        root = pdf.Root
        for key in ("/OpenAction", "/AA"):
            if key in root:
                del root[key]
        if "/Names" in root and "/JavaScript" in root.Names:
            del root.Names["/JavaScript"]
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                continue
            for key in ("/Metadata", "/PieceInfo", "/AA", "/JS"):
                if key in obj:
                    del obj[key]
            action = obj.get("/A")
            if isinstance(action, pikepdf.Dictionary) and action.get("/S") in (
                pikepdf.Name.JavaScript,
                pikepdf.Name.Launch,
            ):
                del obj["/A"]
        out = io.BytesIO()
        # A content-derived /ID: the original one may have been made from the author's
        # machine and time.
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def check_upload(
    upload,
    allowed: dict[str, str] | None = None,
    max_bytes: int | None = None,
    scrub_pdf: bool = False,
) -> CheckedFile:
    """Validate one uploaded file; raises ValidationError with a Chinese message."""
    allowed = allowed or DEFAULT_ALLOWED
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    name = (getattr(upload, "name", "") or "附件").rsplit("/", 1)[-1][:200]
    if upload.size > max_bytes:
        raise ValidationError(f"文件“{name}”超过大小限制（最大 {max_bytes // (1024 * 1024)} MB）。")
    data = upload.read()
    sniffed = _sniff(data)
    if sniffed is None or sniffed[0] not in allowed:
        kinds = "、".join(sorted({e.upper() for e in allowed}))
        raise ValidationError(f"文件“{name}”的类型不被接受（按文件内容识别），仅支持：{kinds}。")
    ext, _mime = sniffed
    received = data
    if ext in IMAGES:
        from PIL import Image

        try:
            data = _strip_image_metadata(data, ext)
        except (ImageTooLarge, Image.DecompressionBombError) as exc:
            raise ValidationError(
                f"图片“{name}”像素过大（最多 {MAX_IMAGE_PIXELS // 10000} 万像素），请缩小后再上传。"
            ) from exc
        except Exception as exc:  # a corrupt image is refused, not stored
            raise ValidationError(f"图片“{name}”无法读取，请重新上传。") from exc
    elif ext == "pdf" and scrub_pdf:
        try:
            data = _scrub_pdf(data)
        except Exception as exc:  # what pikepdf cannot read is not passed on unread
            raise ValidationError(f"PDF 文件“{name}”无法读取，请重新导出后上传。") from exc
    return CheckedFile(
        name=name,
        extension=ext,
        content_type=allowed[ext],
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        original=received if received != data else None,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, cleaned to a list. With `check` (check_upload's
    options, {} for its defaults) each file is checked by its content and comes back as
    a CheckedFile, and every bad file's reason is reported; without it the uploads come
    back as they are, for an action that checks them itself."""

    def __init__(self, *, attrs=None, check=None, max_files=None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs or {}))
        self.check, self.max_files = check, max_files
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [super(MultipleFileField, self).clean(f, initial) for f in files if f]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        if self.max_files and len(files) > self.max_files:
            raise ValidationError(f"最多上传 {self.max_files} 个附件。")
        if self.check is None:
            return files
        checked, errors = [], []
        for upload in files:
            try:
                checked.append(check_upload(upload, **self.check))
            except ValidationError as exc:
                errors.extend(exc.messages)
        # The good ones, for a form that keeps them while the person replaces a bad one.
        self.accepted = checked
        if errors:
            raise ValidationError(errors)
        return checked


def save_attachment(checked: CheckedFile, *, owner, unit, user=None, is_public=False):
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile

    att = Attachment(
        owner_type=ContentType.objects.get_for_model(owner),
        owner_id=owner.pk,
        unit=unit,
        original_name=checked.name,
        extension=checked.extension,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=checked.sha256,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        is_public=is_public,
    )
    att.file.save(f"x.{checked.extension}", ContentFile(checked.data), save=False)
    att.save()
    return att


def attachments_of(obj):
    from django.contrib.contenttypes.models import ContentType

    return Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(obj), owner_id=obj.pk
    )
