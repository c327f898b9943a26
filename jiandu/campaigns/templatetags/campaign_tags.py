from django import template

register = template.Library()

BADGES = {
    "none": "bg-light text-dark border",
    "draft": "bg-secondary",
    "pending_signoff": "bg-info text-dark",
    "submitted": "bg-warning text-dark",
    "returned": "bg-danger",
    "accepted": "bg-success",
}


@register.filter
def report_badge(state):
    """Bootstrap classes of a self-check report state badge."""
    return BADGES.get(state or "none", "bg-secondary")


@register.filter
def problem_url(pattern, pk):
    """The ledger's problem URL built from its pattern for id 0."""
    if not pattern or not pk:
        return ""
    return pattern.replace("/0/", f"/{pk}/")
