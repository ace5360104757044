"""Reading a page's forms as a browser would submit them: the hidden
inputs (and the textareas' text) of the form that carries the decision."""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self._current, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {"action": attrs.get("action") or "", "method": (attrs.get("method") or "get").lower(),
                             "hidden": {}, "buttons": [], "text": {}}
            self.forms.append(self._current)
        elif self._current is None:
            return
        elif tag == "input" and (attrs.get("type") or "text") == "hidden":
            self._current["hidden"][attrs.get("name")] = attrs.get("value") or ""
        elif tag == "button" and attrs.get("name"):
            self._current["buttons"].append((attrs["name"], attrs.get("value") or ""))
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self._current["text"][self._textarea] = ""

    def handle_data(self, data):
        if self._textarea and self._current is not None:
            self._current["text"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "textarea":
            self._textarea = None


def post_forms(html):
    """Every form posting on the page, as dicts: action, hidden, buttons, text."""
    parser = _Forms()
    parser.feed(html)
    return [f for f in parser.forms if f["method"] == "post"]


def decision_form(html):
    """The form the decision is chosen in (the one naming a decision, as a
    button or a field), or None."""
    for form in post_forms(html):
        if any(name == "decision" for name, _v in form["buttons"]) or "decision" in form["hidden"]:
            return form
    return None
