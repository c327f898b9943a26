"""QR codes for 亮码检查, as inline SVG (no files, nothing loaded from outside)."""

from django.urls import reverse
from django.utils.safestring import mark_safe

from jiandu.lib.public import public_url


def verify_path(code: str) -> str:
    """The public verification page (the portal app)."""
    return reverse("portal:verify_detail", args=[code])


def link(request, path: str) -> str:
    """The address a QR code carries: on the public address (JIANDU_PUBLIC_URL) when it
    is set — a code printed from a page opened on an internal address must still open on
    a citizen's phone — else on the address the page was opened on."""
    url = public_url(path)
    return url if "://" in url else request.build_absolute_uri(path)


def svg(data: str) -> str:
    # qrcode (and the Pillow it pulls in) is imported when a code is drawn.
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    text = image.to_string(encoding="unicode")
    if text.startswith("<?xml"):
        text = text.split("?>", 1)[1]
    return mark_safe(text)
