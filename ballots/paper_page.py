"""The tellers' page of a vote's paper ballots (ballots.paper):
each batch's count and status, never a teller's keyed grades (neither
teller sees the other's entry); a teller enters a pile, or keys a waiting
one a second time. A refusal or a typo comes back with what was typed
(HTTP 400). The process routes its two addresses (taking the case's
`code`, and a batch's `number`) to `batches_view` and `confirm_view` with
its `PaperPage`: its `PaperBallots`, how it finds a case in the user's
scope (`case_for(user, code)`, a 404 outside) and what is its own: `intro` (a template drawn above the batches: the ballot's order),
the help text of a ballot's line (`first_help`, `second_help`), the
states in which piles come in (`open_states`) and in which the count is
sealed (`sealed_states`, saying `sealed_message`), the addresses of the
page and of a batch's second entry (`url`, `confirm_url`) and its marks
beside the heading (`badges(case)`: [(class, label)])."""

from dataclasses import dataclass
from typing import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from workflows.exceptions import NotAllowed, RuleViolation

from .paper import confirm_batch, enter_batch


@dataclass(frozen=True)
class PaperPage:
    paper: object  # the process's PaperBallots
    case_for: Callable  # (user, code) → the case, in the user's scope
    intro: str
    first_help: object
    second_help: object
    open_states: tuple
    sealed_states: tuple
    url: Callable  # case → the page's address
    confirm_url: Callable  # (case, number) → the address of a batch's second entry
    sealed_message: object = ""
    badges: Callable = lambda case: []


class BatchForm(forms.Form):
    """A teller's own entry of a pile. The first teller also says which
    rater category the pile is from (weighted votes)."""

    declared_count = forms.IntegerField(label=gettext_lazy("ballots in the pile"), min_value=1, max_value=1000)
    ballots = forms.CharField(label=gettext_lazy("ballots, one per line"),
                              widget=forms.Textarea(attrs={"rows": 10, "autocomplete": "off"}))
    category = forms.ChoiceField(label=gettext_lazy("rater category of the pile"), required=False, choices=())

    def __init__(self, *args, categories=(), help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ballots"].help_text = help_text
        if categories:
            self.fields["category"].choices = [(c, c) for c in categories]
            self.fields["category"].required = True
        else:
            del self.fields["category"]


class ConfirmBatchForm(forms.Form):
    """The second teller's own entry of the same pile (they never see the
    first)."""

    declared_count = forms.IntegerField(label=gettext_lazy("ballots you counted in the pile"), min_value=1,
                                        max_value=1000)
    ballots = forms.CharField(label=gettext_lazy("ballots, one per line"),
                              widget=forms.Textarea(attrs={"rows": 10, "autocomplete": "off"}))

    def __init__(self, *args, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ballots"].help_text = help_text


def _said(exc):
    return exc.message if isinstance(exc.message, list) else [exc.message]


def _page(request, page, case, *, form=None, confirm_form=None, confirm_number=None, errors=()):
    paper = page.paper
    batches = list(paper.batches(case).select_related("entered_by", "confirmed_by"))
    for batch in batches:
        # One form per waiting batch (its own prefix, so ids stay unique);
        # the one just posted comes back with what was typed.
        batch.check_form = (confirm_form if batch.number == confirm_number and confirm_form is not None
                            else ConfirmBatchForm(prefix=f"check{batch.number}", help_text=page.second_help))
        batch.confirm_url = page.confirm_url(case, batch.number)
    return render(request, "ballots/paper_batches.html", {
        "case": case, "intro": page.intro, "errors": errors, "batches": batches, "confirm_number": confirm_number,
        "form": form or BatchForm(categories=paper.categories(case), help_text=page.first_help),
        "is_teller": paper.is_teller(request.user, case), "categories": paper.categories(case),
        "open": case.state in page.open_states, "sealed": case.state in page.sealed_states,
        "badges": page.badges(case), "sealed_message": page.sealed_message, "not_teller": paper.words["not_teller"],
    }, status=400 if errors else 200)


def batches_page(request, page, case):
    """The page; a post is the first teller's entry of a new pile."""
    form = BatchForm(request.POST or None, categories=page.paper.categories(case), help_text=page.first_help)
    errors = []
    if request.method == "POST":
        if not page.paper.is_teller(request.user, case):
            raise NotAllowed(page.paper.words["not_teller"])
        if form.is_valid():
            try:
                batch = enter_batch(page.paper, case=case, declared_count=form.cleaned_data["declared_count"],
                                    text=form.cleaned_data["ballots"], actor=request.user,
                                    category=form.cleaned_data.get("category", ""))
            except RuleViolation as exc:
                errors = _said(exc)
            else:
                messages.success(request, _("Batch %(n)s entered: the other teller keys it too.") % {"n": batch.number})
                return redirect(page.url(case))
        else:
            errors = [_("Please correct the errors below.")]
    return _page(request, page, case, form=form, errors=errors)


def confirm_page(request, page, case, number):
    """The second teller's own entry of batch `number`, compared with the
    first; a typo in it comes back with what was typed."""
    batch = page.paper.batches(case).filter(number=number).first()
    if batch is None:
        raise Http404()
    form = ConfirmBatchForm(request.POST, prefix=f"check{number}", help_text=page.second_help)
    if not form.is_valid():
        return _page(request, page, case, confirm_form=form, confirm_number=number,
                     errors=[_("Please correct the errors below.")])
    try:
        result = confirm_batch(page.paper, batch=batch, declared_count=form.cleaned_data["declared_count"],
                               text=form.cleaned_data["ballots"], actor=request.user)
    except RuleViolation as exc:
        return _page(request, page, case, confirm_form=form, confirm_number=number, errors=_said(exc))
    if result.status == "confirmed":
        messages.success(request, _("Batch %(n)s: both entries agree, its ballots are counted.") % {"n": result.number})
    else:
        messages.error(request, _("Batch %(n)s refused: %(reason)s") % {"n": result.number, "reason": result.refusal})
    return redirect(page.url(case))


@login_required
@require_http_methods(["GET", "POST"])
def batches_view(request, code, page):
    return batches_page(request, page, page.case_for(request.user, code))


@login_required
@require_POST
def confirm_view(request, code, number, page):
    return confirm_page(request, page, page.case_for(request.user, code), number)
