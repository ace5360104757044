"""A title's page with its history, its certificate, the register's sheet
at its old address, and the district's bulk re-inspection (复查) of the
titles ticked in the register (the engine's list page, lists.py; titles
expire by the daily job `expire_titles`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from workflows.cases.lists import filtered_cases
from workflows.cases.revisions import history_rows
from workflows.exceptions import NotAllowed
from workflows.middleware import client_ip
from workflows.documents.xlsx import xlsx_response
from workflows.organisations.administration import administered_district_ids
from workflows.pages.forms import confirm_page, confirmed

from . import decisions, selectors
from .excel import titles_xlsx
from .lists import TITLES


@login_required
@require_GET
def register_xlsx(request):
    """The register's sheet at its old address (the page's "Export to
    Excel" gives the same sheet, workflows.cases.list_views)."""
    return xlsx_response(titles_xlsx(filtered_cases(TITLES, request.user, request.GET)[1]), "titles.xlsx")


@login_required
@require_GET
def title_detail(request, pk):
    title = selectors.title_for(request.user, pk)
    return render(request, "modelhome/title_detail.html", {
        "title": title, "history_rows": history_rows(title),
        "reinspections": selectors.visible_applications(request.user).filter(title=title).order_by("-created"),
    })


@login_required
@require_GET
def title_certificate(request, pk):
    """The plaque certificate's old address: the engine's document view
    serves it (a revoked or expired one stamped 已撤销, with the reason)."""
    title = selectors.title_for(request.user, pk)
    if title.certificate_id is None:
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
    if not confirmed(request):
        return confirm_page(
            request, title=_("Confirm"), heading=_("Open re-inspection for these titles?"), submit=_("Confirm"),
            items=[f"{t} · {t.due_on:%Y-%m-%d}" for t in titles], hidden=[("title", t.pk) for t in titles],
            back_url=reverse("modelhome:register"))
    opened = decisions.reinspection_open(titles=titles, actor=request.user, ip=client_ip(request))
    messages.success(request, _("%(n)d re-inspection(s) opened; assign their inspectors.") % {"n": len(opened)})
    return redirect("modelhome:register")
