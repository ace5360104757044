"""Pages of a district's start-up and its accounts: the import template,
the import itself in two steps (errors by row and column, or what it will
create, update and rename with its warnings; then, confirmed, the new
accounts with their one-time passwords, shown once), resetting a clerk's password, and the
password change that a one-time password leads to."""


from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from workflows.exceptions import NotAllowed, RuleViolation
from workflows.middleware import client_ip
from workflows.models import Membership
from workflows.organisations.administration import administered_districts
from workflows.documents.xlsx import xlsx_response

from . import import_plan, import_sheets, imports, passwords

SESSION_PASSWORDS = "import_one_time_passwords"


def _district_of(user):
    districts = administered_districts(user)
    if not districts:
        raise NotAllowed(_("Only the district administrator can do this."))
    return districts[0]


class ImportForm(forms.Form):
    workbook = forms.FileField(label=gettext_lazy("Filled-in template (.xlsx)"))

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if upload.size > imports.MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        data = upload.read()
        if not data.startswith(b"PK\x03\x04"):
            raise forms.ValidationError(_("This is not an Excel (.xlsx) file."))
        return data


@login_required
def import_template(request):
    district = _district_of(request.user)
    return xlsx_response(import_sheets.template_xlsx(district), "组织与账号导入模板.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def district_import(request):
    """Two steps: an upload is checked and its plan shown (nothing changes);
    only the confirmation of that plan imports."""
    district = _district_of(request.user)
    if request.method == "POST" and "held" in request.POST:
        return _confirm_import(request, district)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["workbook"]
        checked = imports.check_workbook(data, district)
        if checked.errors:
            messages.error(request, _("Nothing was imported: %(n)d error(s) in the workbook.") % {"n": len(checked.errors)})
            errors = checked.errors
        else:
            plan = import_plan.plan_import(checked, district)
            if plan.empty:
                messages.info(request, _("The workbook changes nothing: every unit, account and role in it is already as it says."))
            else:
                token = import_plan.hold_workbook(request, data)
                return _check_page(request, district, plan, token)
    return render(request, "workflows/organisations/import.html",
                  {"form": form, "errors": errors, "district": district})


def _check_page(request, district, plan, token, status=200):
    return render(request, "workflows/organisations/import_check.html",
                  {"plan": plan, "held": token, "district": district}, status=status)


def _confirm_import(request, district):
    token = request.POST.get("held", "")
    data = import_plan.held_workbook(request, token)
    if data is None:
        messages.error(request, _("The checked workbook is no longer held (it is kept one day, for this session): upload it again."))
        return redirect("district_import")
    try:
        result = imports.do_import_district(data=data, district=district, actor=request.user, ip=client_ip(request),
                                            confirmed_plan=request.POST.get("plan", ""))
    except RuleViolation as exc:
        messages.error(request, exc.message)
        plan = getattr(exc, "plan", None)
        if plan is not None:
            return _check_page(request, district, plan, token, status=409)
        import_plan.release_workbook(request, token)
        return render(request, "workflows/organisations/import.html", {
            "form": ImportForm(), "errors": getattr(exc, "checked", imports.Checked()).errors, "district": district})
    import_plan.release_workbook(request, token)
    # Kept for one download of the sheet; shown on this page once.
    request.session[SESSION_PASSWORDS] = result.new_accounts
    return render(request, "workflows/organisations/import_done.html", {"result": result, "district": district})


@login_required
def import_passwords(request):
    _district_of(request.user)
    new_accounts = request.session.pop(SESSION_PASSWORDS, None)
    if not new_accounts:
        messages.error(request, _("The one-time passwords were downloaded already; reset a password if one is lost."))
        return redirect("district_import")
    return xlsx_response(import_sheets.passwords_xlsx(new_accounts), "一次性密码.xlsx")


@login_required
def account_list(request):
    district = _district_of(request.user)
    q = (request.GET.get("q") or "").strip()
    accounts = passwords.accounts_of_district(district).select_related("account_profile").prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("organisation").order_by(
            "organisation__path", "role"))).order_by("username")
    accounts = accounts.annotate(has_second_factor=Exists(
        TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
    if q:
        accounts = accounts.filter(Q(username__icontains=q) | Q(first_name__icontains=q))
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    return render(request, "workflows/organisations/account_list.html",
                  {"page_obj": page, "q": q, "query_string": f"q={q}" if q else "", "district": district})


@login_required
@require_http_methods(["GET", "POST"])
def account_reset_password(request, pk):
    # An account is an object of its district: whoever administers no
    # district gets the 404 anyone gets for another district's account.
    if not administered_districts(request.user):
        raise Http404()
    district = _district_of(request.user)
    account = get_object_or_404(passwords.accounts_of_district(district), pk=pk)
    if request.method == "POST":
        password = passwords.do_reset_password(user=account, actor=request.user, district=district,
                                               ip=client_ip(request))
        return render(request, "workflows/organisations/account_reset_done.html",
                      {"account": account, "password": password})
    return render(request, "workflows/organisations/account_reset.html", {"account": account})


class PasswordChangeRequiredView(auth_views.PasswordChangeView):
    """Where a one-time password leads: choose your own."""

    template_name = "workflows/organisations/password_change.html"
    success_url = reverse_lazy("inbox")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # What the person types here is the one-time password they were given.
        form.fields["old_password"].label = _("One-time password")
        return form

    def form_valid(self, form):
        response = super().form_valid(form)
        passwords.password_changed(self.request)
        messages.success(self.request, _("Your password is changed."))
        return response
