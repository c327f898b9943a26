from django.apps import AppConfig

from jiandu.campaigns import phase_work


class AcceptanceConfig(AppConfig):
    name = "jiandu.acceptance"
    label = "acceptance"
    verbose_name = "总结验收"

    def ready(self):
        # Imported here, not at the top: views import models, which only load once the
        # app registry is ready.
        from jiandu.acceptance.views import campaign_work

        # The campaign page (campaigns stands below acceptance) shows its counts.
        phase_work.register(campaign_work)
