from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "jiandu.intake"
    label = "intake"
