from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "jiandu.transfers"
    label = "transfers"
    verbose_name = "案件移送"
