from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiandu.core"
    label = "jiandu_core"
    verbose_name = "平台"

    def ready(self):
        from jiandu.core import checks  # noqa: F401  (registers the deploy checks)
