"""State changes of the ledger. One function per transition: it checks permission,
writes the change and its audit row in one transaction."""

from django.db import transaction

from jiandu.audit.log import log
from jiandu.ledger.models import Lead, Problem


@transaction.atomic
def create_problem(
    *, unit, focus_area, description, source, actor=None, severity=Problem.Severity.NORMAL,
    campaign=None, source_ref="", self_check_answer=None, measures="", responsible_person="",
    deadline=None, request=None,
) -> Problem:
    """Put a problem into a unit's ledger. Callers (self-check acceptance, alert
    confirmation, complaints, supervisors) have checked their own permission."""
    problem = Problem.objects.create(
        unit=unit, focus_area=focus_area, description=description, source=source, severity=severity,
        campaign=campaign, source_ref=source_ref[:120], self_check_answer=self_check_answer,
        measures=measures, responsible_person=responsible_person, deadline=deadline,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log("ledger.problem.created", actor=actor, obj=problem, request=request,
        data={"source": source, "source_ref": source_ref})
    return problem


@transaction.atomic
def create_lead(*, unit, title, description, source, source_ref="", actor=None, request=None) -> Lead:
    """Hand a clue to the discipline commission (移交纪委)."""
    lead = Lead.objects.create(
        unit=unit, title=title[:200], description=description, source=source, source_ref=source_ref[:120],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log("ledger.lead.created", actor=actor, obj=lead, unit=unit, request=request,
        data={"source": source, "source_ref": source_ref})
    from jiandu.orgs.models import User
    from jiandu.orgs.notify import notify

    readers = User.objects.filter(roles__code="discipline", is_active=True).distinct()
    transaction.on_commit(lambda: notify(readers, f"新线索：{lead.title}", description[:200], url=f"/ledger/leads/{lead.pk}/"))
    return lead
