"""The May Day award's old addresses, once its campaigns and nominations
are carried onto campaign kinds (carry.py; docs/mayday-as-kinds.md §3).

Every old address keeps answering. The object is looked up through the
kinds' scoped selectors first, so one outside the reader's reach is a 404
before any redirect: a redirect never tells whether it exists. A GET is
moved for good (301); a POST whose body the new page takes as it is keeps
its method (308); any other POST goes to the new page (303) with a
message and nothing saved (its fields were May Day's)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from awards.kinds import selectors
from awards.kinds.models import KindCase
from workflows.documents.views import get_certificate_for
from workflows.models import Attachment, Certificate

from .carry import AWARDS, STATES

KIND_CODES = dict(AWARDS)


class HttpResponsePermanentRedirectKeepingMethod(HttpResponseRedirect):
    status_code = 308


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def _moved(request, url, *, post="see_other"):
    """GET: 301. POST: 308 when the new address takes the same body, else
    303 with a message saying nothing was saved."""
    if request.method in ("GET", "HEAD"):
        return HttpResponsePermanentRedirect(url)
    if post == "keep":
        return HttpResponsePermanentRedirectKeepingMethod(url)
    messages.warning(request, _("This page has moved and nothing was saved: please do it again here."))
    return HttpResponseSeeOther(url)


def _campaign(request, code):
    return get_object_or_404(selectors.campaigns_visible_to(request.user), code=code)


def _case(request, pk):
    """The case carried from nomination `pk`, if the reader sees it (a
    database that never had May Day data has no such content type)."""
    return get_object_or_404(selectors.cases_visible_to(request.user), carried_from_type__app_label="awards",
                             carried_from_type__model="nomination", carried_from_id=pk)


def _with(url, query):
    query = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


@login_required
def campaign_list(request):
    return _moved(request, reverse("kinds:campaign_list"))


@login_required
def campaign_create(request):
    return _moved(request, reverse("kinds:campaign_open"))


@login_required
def campaign_page(request, code, *, name="kinds:campaign_detail", args=(), post="see_other"):
    """A campaign's page by its code → the same page of the campaign of
    kinds with that code (`name`: the new page's route, `args` after the
    campaign's id)."""
    campaign = _campaign(request, code)
    return _moved(request, reverse(name, args=[campaign.pk, *args]), post=post)


@login_required
def nomination_list(request):
    """The old filters in the kinds' words: the campaign by its id, the
    state by the state map, the award by its kind's code."""
    get = request.GET
    campaign = None
    if get.get("campaign"):
        campaign = selectors.campaigns_visible_to(request.user).filter(code=get["campaign"]).first()
    query = {"campaign": campaign.pk if campaign else None, "state": STATES.get(get.get("state", ""), ""),
             "kind": KIND_CODES.get(get.get("kind", ""), ""), "organisation": get.get("organisation"),
             "q": get.get("q"), "page": get.get("page")}
    return _moved(request, _with(reverse("kinds:case_list"), query))


@login_required
def nomination_create(request):
    campaign = _campaign(request, request.GET.get("campaign", ""))
    url = _with(reverse("kinds:case_new", args=[campaign.pk]), {"kind": KIND_CODES.get(request.GET.get("kind"))})
    return _moved(request, url)


@login_required
def nomination_page(request, pk, *, name="kinds:case_detail", post="see_other"):
    case = _case(request, pk)
    query = {"full": 1} if request.GET.get("id") == "full" or name == "kinds:case_printed" else {}
    return _moved(request, _with(reverse(name, args=[case.pk]), query), post=post)


@login_required
def nomination_edit(request, pk):
    """Returned: the revision form; a draft: its edit page; otherwise the
    case's page."""
    case = _case(request, pk)
    name = {"returned": "kinds:case_revise", "draft": "kinds:case_edit"}.get(case.state, "kinds:case_detail")
    return _moved(request, reverse(name, args=[case.pk]))


@login_required
def attachment(request, case_pk, old_pk):
    case = _case(request, case_pk)
    case_type = ContentType.objects.get_for_model(KindCase)
    files = Attachment.objects.filter(case_type=case_type, case_id=case.pk)
    found = files.filter(legacy_id=old_pk).first() or files.filter(pk=old_pk).first()
    if found is None:
        raise Http404()
    return HttpResponsePermanentRedirect(reverse("attachment_download", args=[found.pk]))


@login_required
def certificate(request, pk):
    """The case's latest certificate, at the engine's one address (it stamps
    a revoked one); temporary, as before: a reissue changes it."""
    case = _case(request, pk)
    found = (Certificate.objects.filter(content_type=ContentType.objects.get_for_model(KindCase), object_id=case.pk)
             .order_by("-created", "-pk").first())
    if found is None:
        raise Http404()
    return HttpResponseRedirect(reverse("certificate_pdf", args=[found.pk]))


@login_required
def bulk(request):
    messages.warning(request, _("The page was out of date: nothing was decided. Please choose again."))
    return HttpResponseSeeOther(reverse("inbox"))


@login_required
def certificate_reissue(request, pk):
    """A certificate keeps its id: looked up first among those the reader
    sees (the engine's scoped selector), and only a case of a kind's, so
    one out of reach is a 404 here as on the new page."""
    found = get_certificate_for(request.user, pk)
    if found.content_type_id != ContentType.objects.get_for_model(KindCase).pk:
        raise Http404()
    return _moved(request, reverse("kinds:certificate_reissue", args=[found.pk]), post="keep")


@login_required
def engine_decide(request, pk):
    """/cases/mayday/<pk>/decide/ (notification links, inbox bookmarks)."""
    case = _case(request, pk)
    return _moved(request, reverse("case_decide", args=["kind_case", case.pk]))
