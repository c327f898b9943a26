from django.apps import AppConfig

from jiandu.campaigns import phase_work


class LedgerConfig(AppConfig):
    name = "jiandu.ledger"
    label = "ledger"

    def ready(self):
        # Imported here, not at the top: views import models, which only load once the
        # app registry is ready.
        from jiandu.ledger.views import campaign_work

        # The campaign page (campaigns stands below the ledger) shows the ledger's counts.
        phase_work.register(campaign_work)
