from django import template

from bereik.selectors import suppressed

register = template.Library()


@register.filter
def onderdrukt(value: int) -> str:
    """A count as the report may show it ("< 5" for small numbers)."""
    return suppressed(value)
