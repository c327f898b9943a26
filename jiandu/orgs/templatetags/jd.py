"""Chinese display conventions: amounts in 元, dates, masking of identifiers."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def yuan(value):
    """12345.5 -> '12,345.50 元'; empty stays empty."""
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    text = f"{amount:,.2f}"
    if text.endswith(".00"):
        text = text[:-3]
    return f"{text} 元"


@register.filter
def cndate(value, style="short"):
    """Dates as 2026-11-26, or 2026年11月26日 with style 'long'."""
    if not value:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        if style == "long":
            return f"{value.year}年{value.month}月{value.day}日"
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        if style == "long":
            return f"{value.year}年{value.month}月{value.day}日"
        return value.strftime("%Y-%m-%d")
    return value


def mask(value: str, keep_start: int, keep_end: int) -> str:
    value = str(value or "")
    if len(value) <= keep_start + keep_end:
        return value
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


@register.filter
def mask_uscc(value):
    return mask(value, 6, 4) if value else "—"


@register.filter
def mask_idno(value):
    return mask(value, 3, 4) if value else "—"


@register.filter
def mask_phone(value):
    return mask(value, 3, 4) if value else "—"


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (keeps filters in paging links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
