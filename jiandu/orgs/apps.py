from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "jiandu.orgs"
    label = "orgs"
    verbose_name = "单位与用户"

    def ready(self):
        from jiandu.orgs import auth  # noqa: F401  (login/logout audit receivers)
