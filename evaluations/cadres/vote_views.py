"""The voting page: no login, a one-time code.

The code never travels in an address a server or proxy logs: the slip's QR
code carries it in the fragment (`/evaluations/vote/<eval>/#code=…`, never
sent in a request line); a small script served by the site
(static/js/vote_code.js, no inline script) puts it into the form and posts
it; a typed code is posted the same way. The ballot and confirmation forms
post to the bare address, the code in the body. An old link with `?code=`
is answered with a redirect to the fragment form (that one request line is
already in the log; nothing posts back to it).

The voter grades every cadre (a blank is an abstention), reviews the
choices on a confirmation page and casts; the answer shows the receipt
code. Nothing is kept in a session or a cookie between the steps, so no
server-side record ties a browser to a ballot.

Wrong codes are limited per address and per evaluation (ratelimit.py); a
valid unused code is never refused by a limit, a used one never counts."""

from urllib.parse import quote

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from ballots.codes import normalise_code

from . import ratelimit
from .forms import CodeEntryForm
from .models import ABSTAIN, Evaluation, Grade
from .voting import CodeRefused, check_code, clean_grades, do_cast_ballot


def _private(response):
    # Keep the pages out of caches and search engines. Not "no-referrer":
    # under it a browser sends `Origin: null` with the ballot's POST, which
    # the CSRF check refuses (403), so nobody could vote from a real
    # browser; same-origin requests only tell this site the address it
    # already served, which holds no code.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _entry_page(request, evaluation, form, status=200):
    return _private(render(request, "cadres/vote_code.html", {"evaluation": evaluation, "form": form}, status=status))


def _refused(request, evaluation, typed, exc):
    """The code form again with what was typed and why it was refused. Only
    a wrong code counts against the address; once over the limits a wrong
    code is answered 429 (the limits never refuse a valid code: it was
    looked up before this)."""
    status = 400
    message = exc.message
    if exc.kind == CodeRefused.WRONG:
        if ratelimit.WRONG_CODES.is_blocked(request, evaluation):
            status = 429
            message = _("Too many wrong codes were typed from this network. The code on your slip still works: "
                        "type it carefully. Other codes are refused for a few minutes.")
        ratelimit.WRONG_CODES.record(request, evaluation)
    form = CodeEntryForm(initial={"code": typed})
    form.refusal = message
    response = _entry_page(request, evaluation, form, status=status)
    if status == 429:
        response["Retry-After"] = str(ratelimit.WINDOW_SECONDS)
    return response


def _rows(cadres, chosen):
    labels = dict(Grade.choices)
    return [{"cadre": c, "grade": chosen.get(c.pk, ABSTAIN), "label": labels.get(chosen.get(c.pk, ABSTAIN), "")}
            for c in cadres]


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def vote(request, code):
    evaluation = get_object_or_404(Evaluation.objects.select_related("organisation"), code=code)
    if request.method == "GET" and "code" in request.GET:
        # An old link: the code goes to the fragment, off the request line.
        normalised = normalise_code(request.GET.get("code"))
        target = reverse("cadres:vote", args=[evaluation.code])
        return _private(redirect(f"{target}#code={quote(normalised)}" if normalised else target))
    if not evaluation.accepts_votes:
        return _private(render(request, "cadres/vote_closed.html", {"evaluation": evaluation}))
    typed = (request.POST.get("code") or "").strip() if request.method == "POST" else ""
    if not typed:
        return _entry_page(request, evaluation, CodeEntryForm())
    try:
        stored = check_code(evaluation, typed)
    except CodeRefused as exc:
        return _refused(request, evaluation, typed, exc)

    cadres = list(evaluation.cadres.all())
    action = request.POST.get("action", "")
    chosen = {c.pk: request.POST.get(f"cadre-{c.pk}", ABSTAIN) for c in cadres}
    context = {"evaluation": evaluation, "code": stored, "grades": Grade.choices, "rows": _rows(cadres, chosen)}
    if action not in ("review", "cast"):
        return _private(render(request, "cadres/vote_ballot.html", context))
    try:
        clean_grades(cadres, chosen)
    except CodeRefused as exc:
        context["error"] = exc.message
        return _private(render(request, "cadres/vote_ballot.html", context, status=400))
    if action == "review":
        context["abstentions"] = sum(1 for row in context["rows"] if not row["grade"])
        return _private(render(request, "cadres/vote_confirm.html", context))
    try:
        ballot = do_cast_ballot(evaluation=evaluation, code=stored, grades=chosen)
    except CodeRefused as exc:
        return _refused(request, evaluation, typed, exc)
    return _private(render(request, "cadres/vote_receipt.html", {"evaluation": evaluation, "ballot": ballot}))
