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
