from django import template

from jiandu.ledger.figures import rate_text

register = template.Library()


@register.filter
def rate(value):
    """A completion rate as every page and the summary report write it ("—" for none)."""
    return rate_text(value)
