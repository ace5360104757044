"""The register of titles (称号名册): filters, paging, Excel export, a
title's history, its certificate, and the district's bulk actions
(re-inspection 复查; titles expire by the daily job `expire_titles`)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from workflows.audit import history_of
from workflows.cases.confirmation import confirm_page
from workflows.exceptions import NotAllowed
from workflows.middleware import client_ip
from workflows.documents.xlsx import xlsx_response
from workflows.organisations.administration import administered_district_ids

from . import decisions, selectors
from .excel import titles_xlsx
from .forms import TitleFilterForm

PAGE_SIZE = 25


def filtered_titles(request):
    form = TitleFilterForm(request.GET or None)
    qs = selectors.visible_titles(request.user).order_by("due_on", "holder__path", "pk")
    if form.is_valid():
        if form.cleaned_data["status"]:
            qs = qs.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["due_before"]:
            qs = qs.filter(due_on__lte=form.cleaned_data["due_before"])
        if form.cleaned_data["q"]:
            qs = qs.filter(holder__name__icontains=form.cleaned_data["q"])
    return form, qs


@login_required
@require_GET
def register(request):
    form, qs = filtered_titles(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    is_admin = bool(administered_district_ids(request.user))
    today = timezone.localdate()
    return render(request, "modelhome/register.html", {
        "form": form, "page_obj": page, "query_string": params.urlencode(), "is_district_admin": is_admin,
        "due_count": decisions.due_titles(qs, today=today).count() if is_admin else 0,
        "today": today, "soon": today + datetime.timedelta(days=90),
    })


@login_required
@require_GET
def register_xlsx(request):
    _form, qs = filtered_titles(request)
    return xlsx_response(titles_xlsx(qs.select_related("certificate")), "titles.xlsx")


@login_required
@require_GET
def title_detail(request, pk):
    title = selectors.title_for(request.user, pk)
    return render(request, "modelhome/title_detail.html", {
        "title": title, "history": history_of(title),
        "reinspections": selectors.visible_applications(request.user).filter(title=title).order_by("-created"),
    })


@login_required
@require_GET
def title_certificate(request, pk):
    """The plaque certificate's old address: the engine's document view
    serves it (a revoked or expired one stamped 已撤销, with the reason)."""
    title = selectors.title_for(request.user, pk)
    if title.certificate_id is None:
        from django.http import Http404

        raise Http404()
    return redirect("certificate_pdf", pk=title.certificate_id)


@login_required
@require_POST
def reinspect(request):
    """The district opens re-inspection of the ticked titles (within
    reach), after a confirmation page listing them."""
    if not administered_district_ids(request.user):
        raise NotAllowed(_("Only the district administrator does this."))
    ids = [int(x) for x in request.POST.getlist("title") if x.isascii() and x.isdigit()]
    titles = list(selectors.visible_titles(request.user).filter(pk__in=ids))
    if not titles:
        messages.error(request, _("Tick at least one title."))
        return redirect("modelhome:register")
    if request.POST.get("confirmed") != "yes":
        return confirm_page(
            request, title=_("Confirm"), question=_("Open re-inspection for these titles?"), button=_("Confirm"),
            items=[f"{t} · {t.due_on:%Y-%m-%d}" for t in titles], hidden=[("title", t.pk) for t in titles],
            cancel_url=reverse("modelhome:register"))
    opened = decisions.reinspection_open(titles=titles, actor=request.user, ip=client_ip(request))
    messages.success(request, _("%(n)d re-inspection(s) opened; assign their inspectors.") % {"n": len(opened)})
    return redirect("modelhome:register")
