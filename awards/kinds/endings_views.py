"""The approved list and the payment list of a campaign of a kind, as PDF
(the engine's rendering) and Excel (the engine's workbook writer). The
district sees every union; an intermediate union's reviewer its branch
only (the case selector scopes the rows); anyone else, and other
districts, a 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from workflows.documents.rendering import render_pdf
from workflows.documents.xlsx import Band, table_workbook, write_workbook, Sheet, xlsx_response

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


@login_required
@require_GET
def approved_list(request, pk, fmt):
    campaign = _campaign(request, pk, fmt)
    ending = campaign.version.definition.get("ends_in") or {}
    if not (ending.get("approved_list") or ending.get("certificate")):
        raise Http404()
    headers, rows = endings.approved_list(request.user, campaign)
    title = _("Approved list: %(campaign)s") % {"campaign": campaign.title}
    filename = f"{campaign.title}-{_('approved list')}"
    if fmt == "xlsx":
        return xlsx_response(table_workbook(title, headers, rows, sheet_title=_("Approved list")), f"{filename}.xlsx")
    data = render_pdf("kinds/approved_list.pdf.html", {"title": title, "campaign": campaign,
                                                      "headers": headers, "rows": rows}, orientation="landscape")
    return _pdf(data, f"{filename}.pdf")


@login_required
@require_GET
def payment_list(request, pk, fmt):
    campaign = _campaign(request, pk, fmt)
    if not (campaign.version.definition.get("ends_in") or {}).get("payment_list"):
        raise Http404()
    field, groups, total = endings.payment_list(request.user, campaign)
    title = _("Payment list: %(campaign)s") % {"campaign": campaign.title}
    filename = f"{campaign.title}-{_('payment list')}"
    if fmt == "xlsx":
        rows = []
        for union, people, subtotal in groups:
            rows.append(Band(union, bold=True))
            rows += [[union, name, amount] for name, amount in people]
            rows.append(["", _("Subtotal"), subtotal])
        rows.append(["", _("Total"), total])
        headers = [_("Union"), _("Applicant or candidate"), field["label"]]
        data = write_workbook([Sheet(_("Payment list"), headers, rows, [title], page_title=title)])
        return xlsx_response(data, f"{filename}.xlsx")
    data = render_pdf("kinds/payment_list.pdf.html", {"title": title, "campaign": campaign, "field": field,
                                                     "groups": groups, "total": total})
    return _pdf(data, f"{filename}.pdf")

