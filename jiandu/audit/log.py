import ipaddress
from functools import cache

from django.conf import settings

from jiandu.audit.models import AuditEvent


@cache
def _networks(entries: tuple[str, ...]):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(text: str):
    try:
        address = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    # A dual-stack server ([::]) sees an IPv4 peer as ::ffff:a.b.c.d: the same address.
    return getattr(address, "ipv4_mapped", None) or address


def _trusted(address, networks) -> bool:
    return address is not None and any(address in net for net in networks)


def trusted_proxies_configured() -> bool:
    return bool(settings.TRUSTED_PROXIES)


def from_trusted_proxy(request) -> bool:
    """Whether the peer (REMOTE_ADDR) is one of JIANDU_TRUSTED_PROXIES."""
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    return _trusted(_address(request.META.get("REMOTE_ADDR") or ""), networks)


def client_ip(request):
    """The visitor's address. Behind a reverse proxy listed in JIANDU_TRUSTED_PROXIES it
    is read from X-Forwarded-For, right to left: each trusted proxy appends the address
    it saw, so the first entry not a trusted proxy is the client. Entries further left
    were written by the client and are not believed. From any other peer the header is
    ignored, so nobody can choose their own address (and escape the portal limits)."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    peer = _address(remote or "")
    if peer is not None:
        remote = str(peer)
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _trusted(peer, networks):
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote  # a malformed chain: keep the proxy's address, believe nothing
        if not _trusted(address, networks):
            return str(address)
    return str(address) if hops else remote  # every hop a proxy: the first one asked


def _event(action, *, actor, obj, unit, data, ip, object_repr=None) -> AuditEvent:
    if unit is None and obj is not None:
        unit = getattr(obj, "unit", None)
    return AuditEvent(
        actor=actor,
        actor_name=(actor.display_name if actor else (data or {}).get("actor_name", "")) or "",
        unit=unit if getattr(unit, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(
            object_repr if object_repr is not None else str(obj) if obj is not None else ""
        )[:300],
        data=data or {},
        ip=ip,
    )


def _known(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def log(action: str, *, actor=None, obj=None, unit=None, data=None, request=None, object_repr=None):
    """Append one audit row. `action` is a dotted code such as `ledger.problem.accepted`."""
    event = _event(
        action,
        actor=_known(actor),
        obj=obj,
        unit=unit,
        data=data,
        ip=client_ip(request),
        object_repr=object_repr,
    )
    event.save(force_insert=True)
    return event


def log_many(action: str, events, *, actor=None, request=None) -> list[AuditEvent]:
    """Append one audit row per (obj, data) pair in batched inserts, the same rows `log`
    writes one by one: for a transition that creates many objects at once (a draw's
    planned inspections), where a query per row would dominate its time."""
    actor, ip = _known(actor), client_ip(request)
    rows = [
        _event(action, actor=actor, obj=obj, unit=None, data=data, ip=ip) for obj, data in events
    ]
    return AuditEvent.objects.bulk_create(rows, batch_size=500)
