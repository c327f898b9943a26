"""The platform's public address (JIANDU_PUBLIC_URL): every link that leaves the browser
(a reminder, a robot message, a QR code, a document) is built from it, never from the
address a page happened to be opened on."""

from django.conf import settings


def public_url(path: str = "/") -> str:
    """`path` (an absolute path such as "/ledger/5/") on the public address. Without the
    setting the path stays relative, which the in-app notices use as it is."""
    base = (getattr(settings, "JIANDU_PUBLIC_URL", "") or "").rstrip("/")
    if not path.startswith("/"):
        path = "/" + path
    return f"{base}{path}" if base else path
