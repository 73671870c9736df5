"""Every URL the project routes, as an address that can be requested: the security tests walk these.

`every_route()` flattens the URL resolver (the project's own routes and every installed app's), fills each
route's parameters with a value (by name, from `values`, or a harmless default) and resolves the result, so
the tests see which view really answers it, after any route the project placed in front of an app's own.
"""

import re
from dataclasses import dataclass

from django.urls import Resolver404, get_resolver, resolve
from django.urls.resolvers import URLPattern, URLResolver

_CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?:[^()]|\([^()]*\))*\)")
DEFAULTS = {"int": "999999", "slug": "x", "str": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


@dataclass(frozen=True)
class Route:
    route: str  # the pattern as written, prefixes joined
    name: str | None
    path: str  # an address that resolves to this route's view (or to a route placed in front of it)
    view: str  # dotted name of the view that answers `path`


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def fill(route, values=None):
    values = values or {}

    def converter(match):
        return str(values.get(match["name"], DEFAULTS.get(match["conv"] or "str", "x")))

    def group(match):
        return str(values.get(match["name"], "x"))

    text = _NAMED_GROUP.sub(group, route)
    text = _CONVERTER.sub(converter, text)
    # What is left of regular expressions: anchors, unnamed groups and wildcards (Wagtail's catch-alls).
    text = text.replace("^", "").replace("$", "")
    text = re.sub(r"\((?:\(\?:[^()]*\)\*)\)", "", text)  # Wagtail's page path: any number of slugs
    text = re.sub(r"\(\\d\+\)", DEFAULTS["int"], text)
    text = re.sub(r"\([^()]*\)\*?", "x", text)
    text = text.replace(".*", "x").replace("\\", "")
    return "/" + text


def _view_name(func):
    view = getattr(func, "view_class", None) or func
    return f"{view.__module__}.{getattr(view, '__qualname__', view.__class__.__name__)}"


def every_route(values=None):
    seen = set()
    for route, name in _patterns(get_resolver().url_patterns):
        if route in seen:
            continue
        seen.add(route)
        path = fill(route, values)
        try:
            match = resolve(path)
        except Resolver404:
            continue
        yield Route(route=route, name=name, path=path, view=_view_name(match.func))
