"""{% load gongwen_tags %}: the 公文 issued about an object, and a unit's inbox of 公文,
for any page to show without its view knowing about documents."""

from django import template
from django.contrib.contenttypes.models import ContentType

from jiandu.documents.models import IssuedDocument
from jiandu.orgs.access import scope, sees_all

register = template.Library()


def _visible(user):
    """Documents to a unit: that unit's users and the county's readers; documents to no
    single unit (通报, 工作总结): the county's readers only."""
    docs = IssuedDocument.objects.select_related("number", "unit", "served_by")
    if sees_all(user):
        return docs
    return scope(docs.filter(unit__isnull=False), user)


@register.inclusion_tag("documents/includes/issued_list.html", takes_context=True)
def documents_about(context, obj, kinds=""):
    """The documents about `obj` the user may open (optionally only `kinds`, comma-separated)."""
    user = context["request"].user
    docs = _visible(user).filter(
        subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk
    )
    if kinds:
        docs = docs.filter(kind__in=kinds.split(","))
    return {"docs": list(docs), "request": context["request"]}


@register.inclusion_tag("documents/includes/inbox.html", takes_context=True)
def unit_inbox(context):
    """The to-do page's 公文: the unit's documents not yet opened, then the latest ones."""
    user = context["request"].user
    if not user.unit_id:
        return {"docs": []}
    docs = list(
        scope(IssuedDocument.objects.filter(unit_id=user.unit_id), user)
        .select_related("number")
        .order_by("served_at", "-issued_at")[:10]
    )
    return {"docs": docs, "unit_id": user.unit_id, "unread": sum(not d.served_at for d in docs)}


@register.inclusion_tag("documents/includes/issued_list.html", takes_context=True)
def documents_about_any(context, objects, kinds=""):
    """The documents about any of `objects` (a queryset of one model), in one query."""
    user = context["request"].user
    docs = _visible(user).filter(
        subject_type=ContentType.objects.get_for_model(objects.model),
        subject_id__in=objects.order_by().values("pk"),
    )
    if kinds:
        docs = docs.filter(kind__in=kinds.split(","))
    return {"docs": list(docs), "request": context["request"]}
