from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "jiandu.standards"
    label = "standards"
