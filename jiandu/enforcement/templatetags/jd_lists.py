from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_th(context, key, label, default="", fold=False):
    """A <th> whose link sorts by `key`, toggling direction, keeping the other filters;
    `fold` hides it on a phone (the row's main cell repeats it, jiandu/lib/README.md)."""
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
        '<th{}><a class="text-reset text-decoration-none" href="?{}">{}{}</a></th>',
        ' class="d-none d-md-table-cell"' if fold else "",
        params.urlencode(),
        label,
        arrow,
    )
