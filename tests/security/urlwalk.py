"""Every URL pattern of the project, from django.urls.get_resolver(), with its path
parameters filled from the sweep's dataset."""
import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve, Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern


@dataclass
class Route:
    route: str        # the full pattern, e.g. "people/<int:pk>/"
    name: str         # "officers:officer_detail"; unnamed patterns get "route:<pattern>"
    pattern: URLPattern

    @property
    def is_cms(self):
        return self.route.startswith("cms/")


def walk(resolver=None, prefix="", ns=None):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            n = ns
            if p.namespace:
                n = f"{ns}:{p.namespace}" if ns else p.namespace
            yield from walk(p, prefix + _text(p.pattern), n)
        elif isinstance(p, URLPattern):
            route = prefix + _text(p.pattern)
            name = (f"{ns}:{p.name}" if ns else p.name) if p.name else f"route:{route}"
            yield Route(route, name, p)


def _text(pattern):
    return str(pattern)


def all_routes():
    seen, out = set(), []
    for r in walk():
        key = (r.route, r.name)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


_CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>)?(?P<body>(?:[^()]|\([^()]*\))*)\)")
_SAMPLES = ["1", "x", "1/x", "casebank", "a/b/"]


def fill(route, values, default_int="1", default_str="x"):
    """The URL of ``route`` with parameters from ``values`` (name → str), or None
    when no sample matches a regex group."""
    text = route.route

    def conv(m):
        name = m.group("name")
        if name in values:
            return str(values[name])
        return default_int if m.group("conv") == "int" else default_str

    if "(" in text or text.startswith("^"):  # a regex pattern (somewhere in the chain)
        text = text.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\A", "")

        def group(m):
            name = m.group("name")
            if name and name in values:
                return str(values[name])
            body = m.group("body")
            if body.startswith("?:"):
                body = body[2:]
            for sample in _SAMPLES:
                try:
                    if re.fullmatch(body, sample):
                        return sample
                except re.error:
                    return "x"
            return sample

        prev = None
        while prev != text:
            prev, text = text, _GROUP.sub(group, text, count=1)
        text = text.replace("\\", "").replace("?", "")
    text = _CONVERTER.sub(conv, text)
    url = "/" + text
    try:
        match = resolve(url)
    except Resolver404:
        return None
    if match.route.replace("^", "").replace("$", "") and match.func is not route.pattern.callback:
        return None
    return url
