from django.apps import AppConfig

from jiandu.enforcement import watch
from jiandu.monitoring import hooks


class MonitoringConfig(AppConfig):
    name = "jiandu.monitoring"
    label = "monitoring"

    def ready(self):
        # Enforcement's pages show what monitoring says about a record; monitoring stands
        # above enforcement, so it hands enforcement its answers instead of being imported.
        watch.register(
            alerts_for=hooks.alerts_for,
            three_docs=hooks.three_docs,
            inspection_warnings=hooks.inspection_warnings,
        )
