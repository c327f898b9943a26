from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from jiandu.acceptance import urls as acceptance_urls
from jiandu.api import api
from jiandu.campaigns import urls as campaign_urls
from jiandu.documents import urls as document_urls
from jiandu.enforcement import calculator
from jiandu.orgs import views as org_views
from jiandu.planning import urls as planning_urls
from jiandu.portal import urls as portal_urls
from jiandu.selfcheck import urls as selfcheck_urls
from jiandu.standards import urls as standard_urls
from jiandu.supervision import urls as supervision_urls

admin.site.site_header = "行政执法监督平台 · 系统管理"
admin.site.site_title = "系统管理"

urlpatterns = [
    path("", org_views.home, name="home"),
    path("login/", org_views.LoginView.as_view(), name="login"),
    path("login/verify/", org_views.second_factor, name="second_factor"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The admin signs in through the same page: lockout message and second factor.
    path("admin/login/", org_views.AdminLoginView.as_view()),
    # And changes its password on the site's page: 原密码 under the lockout, and a
    # temporary password no longer marked as one.
    path(
        "admin/password_change/",
        RedirectView.as_view(pattern_name="orgs:password_change", permanent=False),
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("jiandu.orgs.urls")),
    path("audit/", include("jiandu.orgs.audit_urls")),
    path("workdays/", include("jiandu.workdays.urls")),
    path(
        "files/",
        include(
            (
                document_urls.urlpatterns + acceptance_urls.document_urlpatterns,
                document_urls.app_name,
            )
        ),
    ),
    # One `campaigns:` namespace for the plan and the phases that have their own apps
    # (the apps stand above campaigns, so campaigns/urls.py cannot include them).
    path(
        "campaigns/",
        include(
            (
                campaign_urls.urlpatterns
                + selfcheck_urls.urlpatterns
                + supervision_urls.urlpatterns
                + acceptance_urls.urlpatterns,
                campaign_urls.app_name,
            )
        ),
    ),
    path("ledger/", include("jiandu.ledger.urls")),
    # The 条例's instruments (督办函, 意见书, 处理建议, 约谈, 通报).
    path("supervision/", include("jiandu.supervision.instrument_urls")),
    # The calculator reads enforcement's cases, which stand above standards.
    path(
        "standards/",
        include(
            (
                [
                    *standard_urls.urlpatterns,
                    path("calculator/", calculator.calculator, name="calculator"),
                ],
                standard_urls.app_name,
            )
        ),
    ),
    path("enforcement/", include("jiandu.enforcement.urls")),
    path("intake/", include("jiandu.intake.urls")),
    path("integrations/", include("jiandu.integrations.urls")),
    path("monitoring/", include("jiandu.monitoring.urls")),
    # Before the portal's /public/: the published 双随机 draws (一公开), credit repair.
    path("public/draws/", include(planning_urls.public_patterns)),
    path("public/credit/", include("jiandu.credit.public_urls")),
    # The portal's pages and the best cases published from acceptance (which stands above
    # portal) in one `portal:` namespace.
    path(
        "public/",
        include(
            (portal_urls.urlpatterns + acceptance_urls.public_urlpatterns, portal_urls.app_name)
        ),
    ),
    path("planning/", include("jiandu.planning.urls")),
    path("transfers/", include("jiandu.transfers.urls")),
    path("credit/", include("jiandu.credit.urls")),
    path("dashboard/", include("jiandu.dashboard.urls")),
    path("reminders/", include("jiandu.reminders.urls")),
]

handler400 = "jiandu.errors.bad_request"
handler403 = "jiandu.errors.permission_denied"
handler404 = "jiandu.errors.page_not_found"
handler500 = "jiandu.errors.server_error"
