from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "jiandu.dashboard"
    label = "dashboard"
