"""Which transitions are events: every transition writes its audit row (jiandu.audit.log),
so events are read off the audit trail as it is written, and the apps whose actions
they are import nothing of this one (it stands above them).

An app built later (instruments, issue 11) adds its codes with `register(code, event,
key_of)`; `key_of(object_id)` names the object by its natural key. An event goes to the
unit that may read its object; `unit_of(object_id)` names that unit where the audit
row's unit is another one (a complaint's row names the unit complained about)."""

from django.db.models.signals import post_save
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from jiandu.integrations import keys
from jiandu.integrations.webhooks import emit
from jiandu.ledger.models import Problem
from jiandu.monitoring.models import Alert
from jiandu.orgs.models import Unit
from jiandu.portal.models import Complaint, reference_of

# audit code -> (event type, the object's natural key from its id, its reading unit or None)
AUDIT_EVENTS: dict[str, tuple[str, object, object]] = {}


def register(code: str, event: str, key_of, unit_of=None) -> None:
    AUDIT_EVENTS[code] = (event, key_of, unit_of)


def _alert_key(pk) -> str:
    alert = Alert.objects.filter(pk=pk).only("rule", "subject_key").first()
    return f"{alert.rule}/{alert.subject_key}" if alert else ""


def _complaint_key(pk) -> str:
    return reference_of(int(pk))


def _complaint_unit(pk):
    """The unit handling the complaint (承办单位), as the API's complaint list is scoped:
    never the unit complained about, which must not hear of a report against it."""
    unit_id = Complaint.objects.filter(pk=pk).values_list("unit_id", flat=True).first()
    return Unit.objects.filter(pk=unit_id).first() if unit_id else None


def _problem_key(pk) -> str:
    return keys.problem_ref(int(pk))


def _instrument_key(pk) -> str:
    return keys.instrument_ref(int(pk))


register("ledger.problem.created", "problem.created", _problem_key)
register("ledger.problem.accepted", "problem.accepted", _problem_key)
register("monitoring.alert.confirmed", "alert.confirmed", _alert_key)
register("portal.complaint.received", "complaint.received", _complaint_key, _complaint_unit)
register("portal.complaint.closed", "complaint.closed", _complaint_key, _complaint_unit)
register("supervision.instrument.issued", "instrument.issued", _instrument_key)
register("supervision.instrument.replied", "instrument.replied", _instrument_key)


def on_audit(sender, instance, created, raw=False, **kwargs):
    if raw or not created or instance.action not in AUDIT_EVENTS:
        return
    event, key_of, unit_of = AUDIT_EVENTS[instance.action]
    if not instance.object_id:
        return
    unit = unit_of(instance.object_id) if unit_of else instance.unit
    emit(event, key_of(instance.object_id), unit=unit)


def connect():
    post_save.connect(on_audit, sender=AuditEvent, dispatch_uid="integrations.events")


def emit_overdue(today=None) -> int:
    """problem.overdue, once per problem and deadline (run by `jiandu webhooks`)."""
    today = today or timezone.localdate()
    count = 0
    for problem in Problem.objects.overdue(today).select_related("unit"):
        ref = keys.problem_ref(problem.pk)
        done = emit(
            "problem.overdue",
            ref,
            unit=problem.unit,
            data={"deadline": problem.deadline.isoformat() if problem.deadline else None},
            dedupe=f"problem.overdue:{ref}:{problem.deadline}",
        )
        count += done is not None
    return count
