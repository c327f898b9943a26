from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "jiandu.workdays"
    label = "workdays"
