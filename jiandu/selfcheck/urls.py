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
    # One URL per transition (the page's buttons post to their own).
    path("reports/<int:pk>/save/", views.report_save, name="report_save"),
    path("reports/<int:pk>/signoff/", views.report_signoff, name="report_signoff"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/accept/", views.report_accept, name="report_accept"),
    path("reports/<int:pk>/return/", views.report_return, name="report_return"),
]
