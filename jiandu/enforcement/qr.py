"""QR codes for 亮码检查, as inline SVG (no files, nothing loaded from outside)."""

import qrcode
import qrcode.image.svg
from django.urls import reverse
from django.utils.safestring import mark_safe


def verify_path(code: str) -> str:
    """The public verification page (the portal app)."""
    return reverse("portal:verify_detail", args=[code])


def svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    text = image.to_string(encoding="unicode")
    if text.startswith("<?xml"):
        text = text.split("?>", 1)[1]
    return mark_safe(text)
