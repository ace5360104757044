"""The login page and the sign-on through the union's identity service.

The service's URLs always exist (the access matrix sees them) and answer
404 while their integration is off. A subject the app does not know gets
the refusal page (账号未开通) naming what to give the district
administrator; a district administrator links accounts on the account's
sign-on page."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_cas_ng import views as cas_views
from mozilla_django_oidc import views as oidc_views

from workflows.exceptions import RuleViolation
from workflows.middleware import client_ip
from workflows.models import ExternalIdentity, SignOnProvider
from workflows.organisations import passwords
from workflows.organisations.administration import administered_districts

from . import identities


def signon_choices():
    """The identity services switched on, for the login page."""
    return {"oidc": settings.UNIONFLOW_OIDC, "cas": settings.UNIONFLOW_CAS}


class LoginView(auth_views.LoginView):
    """Django's login, with the identity service's buttons when enabled;
    with local passwords off the password form shows only when asked for
    (?local=1, a superuser repairing the sign-on)."""

    template_name = "registration/login.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            signon=signon_choices(),
            show_password_form=settings.UNIONFLOW_LOCAL_PASSWORDS or "local" in self.request.GET
            or self.request.method == "POST",
        )
        return context


def _enabled(flag):
    if not getattr(settings, flag):
        raise Http404()


def oidc_start(request):
    _enabled("UNIONFLOW_OIDC")
    request.session.pop(identities.REFUSED_SESSION_KEY, None)
    return oidc_views.OIDCAuthenticationRequestView.as_view()(request)


def oidc_callback(request):
    _enabled("UNIONFLOW_OIDC")
    return oidc_views.OIDCAuthenticationCallbackView.as_view()(request)


def cas_login(request):
    _enabled("UNIONFLOW_CAS")
    if "ticket" not in request.GET:
        request.session.pop(identities.REFUSED_SESSION_KEY, None)
    try:
        return cas_views.LoginView.as_view()(request)
    except PermissionDenied:
        return redirect("signon_refused")


def signon_refused(request):
    """Where a sign-on that found no account ends (the failure URL of both
    services)."""
    refused = request.session.pop(identities.REFUSED_SESSION_KEY, None)
    return render(request, "workflows/security/signon_refused.html", {
        "refused": refused,
        "provider_label": SignOnProvider(refused["provider"]).label if refused else "",
    }, status=403)


class LinkForm(forms.Form):
    provider = forms.ChoiceField(label=gettext_lazy("Identity service"), choices=SignOnProvider.choices)
    subject = forms.CharField(
        label=gettext_lazy("Identifier at the identity service"), max_length=255,
        help_text=gettext_lazy("The stable identifier (OIDC sub, CAS user) shown on the refusal page."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_signon(request, pk):
    """A district administrator links or unlinks an account's identities
    at the identity service."""
    districts = administered_districts(request.user)
    if not districts:
        raise Http404()
    district = districts[0]
    account = get_object_or_404(passwords.accounts_of_district(district), pk=pk)
    form = LinkForm(request.POST if request.POST.get("action") == "link" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "unlink":
                identity = get_object_or_404(ExternalIdentity, user=account, pk=request.POST.get("identity") or 0)
                identities.do_unlink_identity(identity=identity, actor=request.user, district=district,
                                              ip=client_ip(request))
                messages.success(request, _("The sign-on account is unlinked."))
                return redirect("account_signon", pk=account.pk)
            if form.is_valid():
                identities.do_link_identity(
                    user=account, provider=form.cleaned_data["provider"], subject=form.cleaned_data["subject"],
                    actor=request.user, district=district, ip=client_ip(request),
                )
                messages.success(request, _("The sign-on account is linked."))
                return redirect("account_signon", pk=account.pk)
            if request.POST.get("action") != "link":
                form = LinkForm()
                messages.error(request, _("Choose what to do."))
        except RuleViolation as exc:
            messages.error(request, exc.message)
    return render(request, "workflows/security/account_signon.html", {
        "account": account, "form": form, "identities": account.external_identities.order_by("provider", "subject"),
    })
