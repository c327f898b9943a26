from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "jiandu.monitoring"
    label = "monitoring"
