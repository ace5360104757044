"""The second factor's pages: enrolment (QR code drawn here, first code,
recovery codes shown once), the check at each new session, and a district
administrator's reset of someone's lost device."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from workflows.middleware import client_ip
from workflows.organisations import passwords
from workflows.organisations.administration import administered_districts

from . import second_factor


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"), max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "inbox"


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    user = request.user
    if second_factor.has_second_factor(user):
        return render(request, "workflows/security/second_factor_status.html", {
            "required": second_factor.second_factor_required(user),
            "codes_left": second_factor.recovery_codes_left(user),
        })
    device = second_factor.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.do_confirm_second_factor(
            user=user, device=device, token=form.cleaned_data["token"], ip=client_ip(request)
        )
        if codes is not None:
            # The code just typed is the second factor of this session.
            otp_login(request, second_factor.confirmed_totp(user))
            request.session.pop(second_factor.SESSION_FREE, None)
            return render(request, "workflows/security/second_factor_done.html",
                          {"codes": codes, "next": resolve_url(_next(request))})
        form.add_error("token", _("The code is wrong or has expired: type the code the app shows now."))
    return render(request, "workflows/security/second_factor_enrol.html", {
        "form": form, "qr": second_factor.qr_svg(device), "secret": second_factor.secret_text(device),
        "required": second_factor.second_factor_required(user), "next": request.GET.get("next", ""),
    })


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    if not second_factor.has_second_factor(request.user):
        return redirect("second_factor_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.do_verify_second_factor(request=request, token=form.cleaned_data["token"]):
            return redirect(_next(request))
        form.add_error("token", _("The code is wrong or has expired. Type the code the app shows now, "
                                  "or one of your recovery codes."))
    return render(request, "workflows/security/second_factor_verify.html",
                  {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")})


@login_required
@require_http_methods(["GET", "POST"])
def account_reset(request, pk):
    districts = administered_districts(request.user)
    if not districts:
        raise Http404()
    district = districts[0]
    account = get_object_or_404(passwords.accounts_of_district(district), pk=pk)
    if request.method == "POST":
        second_factor.do_reset_second_factor(user=account, actor=request.user, district=district,
                                             ip=client_ip(request))
        messages.success(request, _("The second factor is reset: the account sets it up again at its next login."))
        return redirect("account_list")
    return render(request, "workflows/security/second_factor_reset.html", {
        "account": account, "has_device": second_factor.has_second_factor(account),
        "own": account.pk == request.user.pk,
    })
