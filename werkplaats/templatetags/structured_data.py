"""`{{ data|json_ld }}`: schema.org data for search engines and citation tools, as the one
`<script type="application/ld+json">` a page carries.

The JSON is escaped the way Django's `json_script` escapes it (`<`, `>` and `&` as unicode
escapes), so no value can close the script element. A data block is never executed, so the
Content-Security-Policy has nothing to allow.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data: dict) -> str:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    # Safe: every character that could end the element or start markup is escaped above.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # nosec B308 B703
