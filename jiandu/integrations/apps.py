from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "jiandu.integrations"
    label = "integrations"
    verbose_name = "系统对接"

    def ready(self):
        from jiandu.ledger.models import DeadlineChange, Escalation, Problem, ProgressNote
        from jiandu.lib.stamps import follow
        from jiandu.monitoring.models import Alert, RuleRun
        from jiandu.orgs.models import Unit
        from jiandu.portal.models import Complaint, ComplaintMessage
        from jiandu.supervision.models import Instrument, InstrumentReply

        # `updated_at` of what the API serves moves with every transition, and a record
        # of a problem's or complaint's history moves its parent (updated_since sync).
        for model in (Unit, Problem, Alert, Complaint, RuleRun):
            follow(model)
        for model in (ProgressNote, DeadlineChange, Escalation):
            follow(model, parent="problem")
        follow(ComplaintMessage, parent="complaint")
        follow(Instrument)
        follow(InstrumentReply, parent="instrument")

        from jiandu.integrations import events

        # Events out, read off the audit trail every transition writes.
        events.connect()
