from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_th(context, key, label, default=""):
    """A <th> whose link sorts by `key`, toggling direction, keeping the other filters."""
    request = context["request"]
    current = request.GET.get("sort") or default
    params = request.GET.copy()
    params.pop("page", None)
    if current == key:
        params["sort"], arrow = f"-{key}", " ▲"
    elif current == f"-{key}":
        params["sort"], arrow = key, " ▼"
    else:
        params["sort"], arrow = f"-{key}", ""
    return format_html(
        '<th><a class="text-reset text-decoration-none" href="?{}">{}{}</a></th>',
        params.urlencode(),
        label,
        arrow,
    )


@register.inclusion_tag("enforcement/_count.html")
def list_count(page, noun="条"):
    return {"page": page, "noun": noun}
