"""The pages of the API's settings: a person's tokens (and, for a district
administrator, the tokens of the district's accounts), and the district's
webhooks with each delivery's status. Someone else's token or webhook is a
404, as everywhere."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from workflows.api.tokens import (
    accounts_for_tokens, do_create_api_token, do_revoke_api_token, tokens_visible_to,
)
from workflows.organisations.administration import administered_districts
from workflows.api.webhooks import (
    delivery_outbox_state, do_create_webhook, do_disable_webhook, event_choices, webhooks_visible_to,
)
from workflows.exceptions import RuleViolation
from workflows.middleware import client_ip
from workflows.models import ApiScope

PAGE_SIZE = 25


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100,
                           help_text=gettext_lazy("What the token is for, e.g. the city federation's portal."))
    scope = forms.ChoiceField(label=gettext_lazy("Scope"), choices=ApiScope.choices, initial=ApiScope.READ)
    account = forms.ModelChoiceField(label=gettext_lazy("Account"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts_for_tokens(user)
        self.fields["account"].initial = user.pk
        self.fields["account"].empty_label = None


class WebhookForm(forms.Form):
    url = forms.URLField(label=gettext_lazy("URL"), max_length=500, assume_scheme="https",
                         help_text=gettext_lazy("The receiver's address (https://…)."))
    events = forms.MultipleChoiceField(label=gettext_lazy("Events"), widget=forms.CheckboxSelectMultiple,
                                       choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = event_choices()


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    form = TokenForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                token, secret = do_create_api_token(
                    account=form.cleaned_data["account"], name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"], acting_user=request.user, ip=client_ip(request))
            except RuleViolation as exc:
                form.add_error(None, exc.message)
            else:
                # Shown this once: only its hash is kept.
                return render(request, "workflows/api/token_created.html", {"token": token, "secret": secret})
        else:
            messages.error(request, _("Nothing was saved: correct what is marked below."))
    page = Paginator(tokens_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workflows/api/tokens.html", {"form": form, "page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def api_token_revoke(request, pk):
    token = get_object_or_404(tokens_visible_to(request.user), pk=pk)
    if request.method == "POST":
        do_revoke_api_token(token=token, acting_user=request.user, ip=client_ip(request))
        messages.success(request, _("The token is revoked: it no longer works."))
        return redirect("api_tokens")
    return render(request, "workflows/api/token_revoke.html", {"token": token})


def _district_or_404(user):
    districts = administered_districts(user)
    if not districts:
        raise Http404()
    return districts[0]


@login_required
@require_http_methods(["GET", "POST"])
def webhook_list(request):
    district = _district_or_404(request.user)
    form = WebhookForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                webhook = do_create_webhook(district=district, url=form.cleaned_data["url"],
                                            events=form.cleaned_data["events"], acting_user=request.user,
                                            ip=client_ip(request))
            except RuleViolation as exc:
                form.add_error(None, exc.message)
            else:
                return render(request, "workflows/api/webhook_created.html", {"webhook": webhook})
        else:
            messages.error(request, _("Nothing was saved: correct what is marked below."))
    page = Paginator(webhooks_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(event_choices())
    for webhook in page.object_list:
        webhook.event_labels = [labels.get(e, e) for e in webhook.events]
    return render(request, "workflows/api/webhooks.html", {"form": form, "page_obj": page, "district": district})


@login_required
def webhook_detail(request, pk):
    webhook = get_object_or_404(webhooks_visible_to(request.user), pk=pk)
    page = Paginator(webhook.deliveries.all(), PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(event_choices())
    for delivery in page.object_list:
        delivery.event_label = labels.get(delivery.event, delivery.event)
        delivery.outbox_state = delivery_outbox_state(delivery)
    return render(request, "workflows/api/webhook_detail.html", {"webhook": webhook, "page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def webhook_disable(request, pk):
    webhook = get_object_or_404(webhooks_visible_to(request.user), pk=pk)
    if request.method == "POST":
        do_disable_webhook(webhook=webhook, acting_user=request.user, ip=client_ip(request))
        messages.success(request, _("The webhook is switched off."))
        return redirect("webhook_detail", pk=webhook.pk)
    return render(request, "workflows/api/webhook_disable.html", {"webhook": webhook})
