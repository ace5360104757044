"""The site's own answer to a request Django refuses before any view runs
(handler400): a Host the site does not answer to, a form with more fields
than DATA_UPLOAD_MAX_NUMBER_FIELDS, a body past DATA_UPLOAD_MAX_MEMORY_SIZE.

Invariant: templates/400.html is rendered without a request context and
needs nothing but collected static files. The request may be the very
thing that is wrong (request.get_host() raises again for a bad Host), so
neither the page nor this view may touch it, the session, the user or the
database. Django's default handler would render the first "400.html" on
the template path, and without ours that was viewflow's, whose stylesheet
collectstatic does not keep: a 500 instead of a 400."""

from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse
from django.template import loader


def _reason(exception):
    if isinstance(exception, DisallowedHost):
        return "host"
    if isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        return "too_many_fields"
    if isinstance(exception, RequestDataTooBig):
        return "too_large"
    return "other"


def bad_request(request, exception=None):
    reason = _reason(exception)
    html = loader.get_template("400.html").render({"reason": reason})
    # A body too large is a 413, as the rate-limit middleware answers one it can
    # refuse by its announced length before reading it.
    response = HttpResponse(html, status=413 if reason == "too_large" else 400)
    response["Cache-Control"] = "no-store"
    return response
