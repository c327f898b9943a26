"""The audit log's pages (审计记录), mounted at /audit/ in the `audit:` namespace. They
live in orgs because they need its roles and units, and orgs stands above audit (every
app, orgs included, writes the log)."""

from django.urls import path

from jiandu.orgs import audit_views as views

app_name = "audit"
urlpatterns = [
    path("", views.events, name="events"),
    path("export/", views.export, name="export"),
]
