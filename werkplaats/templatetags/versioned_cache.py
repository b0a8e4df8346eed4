"""{% versioned_cache %}: a part of a page that is the same for every visitor, from the cache
until the data it shows changes (werkplaats.cache), also on a logged-in visitor's page.

    {% load versioned_cache %}
    {% versioned_cache "leeratelier-deelnemers" leeratelier.pk versions="leerateliers netwerk" %}
      …
    {% endversioned_cache %}

The first argument names the part, the others tell its instances apart; `versions` names the
kinds of data it shows. Nothing personal belongs inside: no form, no message, no "you".
Whatever the part needs from the database should be read lazily (a QuerySet, or the
template tag that reads it inside the part), so that a cached part costs no query at all.
"""

from django import template

from werkplaats import cache

register = template.Library()


class VersionedCacheNode(template.Node):
    def __init__(self, nodelist, name, vary, names):
        self.nodelist, self.name, self.vary, self.names = nodelist, name, vary, names

    def render(self, context):
        return cache.fragment(
            self.name.resolve(context),
            [value.resolve(context) for value in self.vary],
            self.names,
            lambda: self.nodelist.render(context),
        )


@register.tag
def versioned_cache(parser, token):
    bits = token.split_contents()
    tag = bits.pop(0)
    names = [bit for bit in bits if bit.startswith("versions=")]
    if len(names) != 1 or not bits or bits[0].startswith("versions="):
        raise template.TemplateSyntaxError(
            f'{tag} needs a name, then what tells it apart, and versions="…".'
        )
    bits.remove(names[0])
    versions = names[0].removeprefix("versions=").strip("\"'").split()
    try:
        cache._check(versions)
    except ValueError as error:
        raise template.TemplateSyntaxError(str(error)) from error
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    return VersionedCacheNode(
        nodelist,
        parser.compile_filter(bits[0]),
        [parser.compile_filter(bit) for bit in bits[1:]],
        versions,
    )
