"""The portal's poster: the county's name, what to report and a QR code to the public
portal, on one A4 page for the office to print and put up in service halls. The QR code
carries the public address (JIANDU_PUBLIC_URL) whatever address the page was opened on."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from jiandu.campaigns.models import Campaign
from jiandu.enforcement import qr
from jiandu.orgs.access import require_supervisor
from jiandu.orgs.models import Unit


def county_name() -> str:
    """The county, as the justice bureau's name gives it (平阳县司法局 → 平阳县)."""
    justice = Unit.objects.filter(kind=Unit.Kind.JUSTICE, is_active=True).order_by("id").first()
    return justice.name.removesuffix("司法局") if justice else ""


@login_required
def poster(request):
    require_supervisor(request.user)
    url = qr.link(request, reverse("portal:home"))
    return render(
        request,
        "portal/poster.html",
        {
            "county": county_name(),
            "campaign": Campaign.objects.current(),
            "url": url,
            "qr_svg": qr.svg(url),
        },
    )
