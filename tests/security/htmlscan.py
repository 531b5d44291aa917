"""Find markup in a response that planted XSS payloads would have created, by
parsing the HTML as a browser does (entities decoded, attributes split) rather
than by searching the text: escaped payload text is harmless and is not reported."""
import re
from html.parser import HTMLParser

#: What the payloads run or set; found in an event handler or script, it is theirs.
PAYLOAD_CODE = re.compile(r"alert\(|__xss|prompt\(|confirm\(")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
#: Elements that only payloads put into pages (the site's own markup has none with these attributes).
PAYLOAD_ELEMENTS = {("img", "src", "x")}


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._script = None
        self._bold = 0

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on") and PAYLOAD_CODE.search(value):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES:
                url = re.sub(r"[\x00-\x20]", "", value).lower()
                if url.startswith(BAD_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "srcdoc":
                self.problems.append(f"<{tag} srcdoc>")
        for element, name, value in PAYLOAD_ELEMENTS:
            if tag == element and values.get(name) == value:
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self._script = values
        if tag == "b":
            self._bold += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._script = None
        if tag == "b":
            self._bold -= 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
        if tag == "b":
            self._bold = max(self._bold - 1, 0)

    def handle_data(self, data):
        if self._script is not None and self._script.get("type", "").lower() in JS_TYPES \
                and PAYLOAD_CODE.search(data):
            self.problems.append(f"<script>{data[:80]!r}")
        if self._bold and data.strip() == "x":  # the payloads' <b>x</b>
            self.problems.append("<b>x</b>")


def active_markup(html):
    """Markup in ``html`` that the payloads would have created (empty when all were escaped)."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.problems
