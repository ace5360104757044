"""The approved list and the payment list of a campaign of a kind, as PDF
(the engine's rendering) and Excel (the engine's workbook writer). The
district sees every union; an intermediate union's reviewer its branch
only (the case selector scopes the rows); anyone else, and other
districts, a 404. And printing every certificate of a campaign: the
engine's print job, queued by the district administrator."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from workflows.documents.rendering import render_pdf
from workflows.documents.services import print_job_create
from workflows.documents.xlsx import Band, Sheet, write_workbook, xlsx_response
from workflows.exceptions import RuleViolation
from workflows.middleware import client_ip
from workflows.pages.forms import confirm_page, confirmed

from . import endings, selectors

FORMATS = ("pdf", "xlsx")


def _campaign(request, pk, fmt):
    if fmt not in FORMATS:
        raise Http404()
    campaign = selectors.campaign_for(request.user, pk)
    if not endings.may_see_lists(request.user, campaign):
        raise Http404()
    return campaign


def _pdf(data, filename):
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _sheet_title(version, several, fallback):
    # A sheet's name is at most 31 characters (the writer cuts) and holds
    # none of []:*?/\ (Excel refuses them).
    return re.sub(r"[\[\]:*?/\\]", "_", version.title) if several else fallback


@login_required
@require_GET
def approved_list(request, pk, fmt):
    """Kind by kind (a sheet each in Excel), each grouped per union."""
    campaign = _campaign(request, pk, fmt)
    ending = endings.ending_of(campaign)
    if not (ending["approved_list"] or ending["certificate"]):
        raise Http404()
    data, filename = approved_list_file(request.user, campaign, fmt)
    return xlsx_response(data, filename) if fmt == "xlsx" else _pdf(data, filename)


def approved_list_file(user, campaign, fmt):
    """(bytes, file name) of the list `user` sees (None: every union's, as
    `manage.py export_award_list` writes it)."""
    sections = endings.approved_list(user, campaign)
    title = _("Approved list: %(campaign)s") % {"campaign": campaign.title}
    filename = f"{campaign.title}-{_('approved list')}"
    several = len(sections) > 1
    if fmt == "xlsx":
        sheets = []
        for version, headers, groups in sections:
            rows = []
            for union, union_rows in groups:
                rows.append(Band(union, bold=True))
                rows += union_rows
            page_title = f"{title} · {version.title}" if several else title
            sheets.append(Sheet(_sheet_title(version, several, _("Approved list")), headers, rows, [page_title],
                                page_title=page_title))
        return write_workbook(sheets), f"{filename}.xlsx"
    data = render_pdf("kinds/approved_list.pdf.html", {"title": title, "campaign": campaign,
                                                      "sections": sections, "several": several},
                      orientation="landscape")
    return data, f"{filename}.pdf"


@login_required
@require_GET
def payment_list(request, pk, fmt):
    """Kind by kind, for the kinds whose ending has one."""
    campaign = _campaign(request, pk, fmt)
    if not endings.ending_of(campaign)["payment_list"]:
        raise Http404()
    sections = endings.payment_list(request.user, campaign)
    title = _("Payment list: %(campaign)s") % {"campaign": campaign.title}
    filename = f"{campaign.title}-{_('payment list')}"
    several = len(sections) > 1
    if fmt == "xlsx":
        sheets = []
        for version, field, groups, total in sections:
            rows = []
            for union, people, subtotal in groups:
                rows.append(Band(union, bold=True))
                rows += [[union, name, amount] for name, amount in people]
                rows.append(["", _("Subtotal"), subtotal])
            rows.append(["", _("Total"), total])
            headers = [_("Union"), _("Applicant or candidate"), field["label"]]
            page_title = f"{title} · {version.title}" if several else title
            sheets.append(Sheet(_sheet_title(version, several, _("Payment list")), headers, rows, [page_title],
                                page_title=page_title))
        return xlsx_response(write_workbook(sheets), f"{filename}.xlsx")
    data = render_pdf("kinds/payment_list.pdf.html", {"title": title, "campaign": campaign,
                                                     "sections": sections, "several": several})
    return _pdf(data, f"{filename}.pdf")


@login_required
@require_POST
def print_certificates(request, pk):
    """Every valid certificate of the campaign's series into one PDF, as
    the engine's background print job (its page shows the progress): the
    district administrator asks, confirms on the next page, and is taken
    to the job. A refusal (nothing to print) is told on the campaign's page."""
    campaign = selectors.administered_campaign(request.user, pk)
    certificates = endings.campaign_certificates(campaign)
    if not confirmed(request):
        count = certificates.count()
        return confirm_page(
            request, title=_("Print all certificates"),
            lines=[campaign.title, _("Valid certificates to print into one PDF: %(count)s.") % {"count": count}],
            submit=_("Print all certificates"), back_url=campaign.get_absolute_url())
    try:
        job = print_job_create(actor=request.user, certificates=certificates, organisation=campaign.district,
                               title=_("Certificates of %(campaign)s") % {"campaign": campaign.title},
                               series=endings.series_of(campaign), ip=client_ip(request))
    except RuleViolation as refusal:
        messages.error(request, refusal.message)
        return redirect(campaign.get_absolute_url())
    return redirect("print_job_detail", pk=job.pk)
