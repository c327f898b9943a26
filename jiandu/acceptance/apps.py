from django.apps import AppConfig


class AcceptanceConfig(AppConfig):
    name = "jiandu.acceptance"
    label = "acceptance"
    verbose_name = "总结验收"
