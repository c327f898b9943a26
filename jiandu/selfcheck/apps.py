from django.apps import AppConfig


class SelfCheckConfig(AppConfig):
    name = "jiandu.selfcheck"
    label = "selfcheck"
    verbose_name = "问题自查"
