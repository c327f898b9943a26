from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "jiandu.portal"
    label = "portal"
