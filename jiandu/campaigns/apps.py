from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "jiandu.campaigns"
    label = "campaigns"
