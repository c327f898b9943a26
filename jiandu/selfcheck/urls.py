"""自查表 pages. They are mounted inside the `campaigns:` namespace (see jiandu/urls.py)
so every path and URL name stays what it was before the split."""

from django.urls import path

from jiandu.selfcheck import views

urlpatterns = [
    path("reports/", views.reports, name="reports"),
    path("reports/remind/", views.remind, name="remind"),
    path("reports/export/", views.reports_export, name="reports_export"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/export/", views.report_export, name="report_export"),
]
