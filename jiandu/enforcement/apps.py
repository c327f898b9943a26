from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "jiandu.enforcement"
    label = "enforcement"
