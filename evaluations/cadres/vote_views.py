"""The voting page: no login, a one-time code.

GET with ?code= (the slip's QR code) or a typed code opens the ballot; the
voter grades every cadre (a blank is an abstention), reviews the choices on
a confirmation page and casts. The answer shows the receipt code. Nothing
is kept in a session or a cookie between the steps: the code travels in
the form, so no server-side record ties a browser to a ballot."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import ratelimit
from .forms import CodeEntryForm
from .models import ABSTAIN, Evaluation, Grade
from .voting import CodeRefused, check_code, clean_grades, do_cast_ballot


def _private(response):
    # The code may be in the address: keep it out of caches, search engines
    # and the Referer header of any link followed to another site. Not
    # "no-referrer": under it a browser sends `Origin: null` with the
    # ballot's POST, which the CSRF check refuses (403), so nobody could
    # vote from a real browser; same-origin requests only tell this site
    # the address it already served.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _entry_page(request, evaluation, form, status=200):
    return _private(render(request, "cadres/vote_code.html", {"evaluation": evaluation, "form": form}, status=status))


def _refused(request, evaluation, typed, message):
    ratelimit.record_failure(request)
    form = CodeEntryForm(initial={"code": typed})
    form.refusal = message
    return _entry_page(request, evaluation, form, status=400)


def _rows(cadres, chosen):
    labels = dict(Grade.choices)
    return [{"cadre": c, "grade": chosen.get(c.pk, ABSTAIN), "label": labels.get(chosen.get(c.pk, ABSTAIN), "")}
            for c in cadres]


@never_cache
@require_http_methods(["GET", "POST"])
def vote(request, code):
    evaluation = get_object_or_404(Evaluation.objects.select_related("organisation"), code=code)
    if ratelimit.is_blocked(request):
        response = render(request, "cadres/vote_limited.html", {"evaluation": evaluation}, status=429)
        response["Retry-After"] = str(ratelimit.WINDOW_SECONDS)
        return _private(response)
    typed = (request.POST.get("code") or request.GET.get("code") or "").strip()
    if not evaluation.accepts_votes:
        return _private(render(request, "cadres/vote_closed.html", {"evaluation": evaluation}))
    if not typed:
        return _entry_page(request, evaluation, CodeEntryForm())
    try:
        stored = check_code(evaluation, typed)
    except CodeRefused as exc:
        return _refused(request, evaluation, typed, exc.message)

    cadres = list(evaluation.cadres.all())
    action = request.POST.get("action", "") if request.method == "POST" else ""
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
        return _refused(request, evaluation, typed, exc.message)
    return _private(render(request, "cadres/vote_receipt.html", {"evaluation": evaluation, "ballot": ballot,
                                                                  "rows": context["rows"]}))
