from django.apps import AppConfig

from jiandu.campaigns import phase_work


class SupervisionConfig(AppConfig):
    name = "jiandu.supervision"
    label = "supervision"
    verbose_name = "监督检查"

    def ready(self):
        # Imported here, not at the top: views import models, which only load once the
        # app registry is ready.
        from jiandu.supervision.views import campaign_work

        # The campaign page (campaigns stands below supervision) shows the visits' count.
        phase_work.register(campaign_work)
