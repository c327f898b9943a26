from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "jiandu.credit"
    label = "credit"
    verbose_name = "信用修复"
