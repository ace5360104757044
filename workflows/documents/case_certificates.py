"""A case's certificate as a process's pages offer it: the latest one
issued for the case, who may take a copy, and the reissue page of a revoked
one (templates/workflows/certificate_reissue.html). Every download goes
through the engine's document view (workflows.documents.views), which
stamps a revoked certificate."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from workflows.documents.views import get_certificate_for
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.middleware import client_ip
from workflows.models import Certificate
from workflows.organisations.access import memberships
from workflows.organisations.administration import administered_district


def certificate_of(case):
    """The latest certificate issued for `case` (valid or not), or None."""
    return (
        Certificate.objects.filter(content_type=ContentType.objects.get_for_model(case), object_id=case.pk)
        .select_related("document", "owner_organisation").order_by("-created", "-pk").first()
    )


def may_take_copy(user, organisation):
    """The recipient's organisation and its district federation may download
    a certificate; the branch in between sees it but takes no copy."""
    district_id = organisation.ancestor_ids[0] if organisation.ancestor_ids else organisation.pk
    return any(m.organisation_id in (organisation.pk, district_id) for m in memberships(user))


def reissue_page(request, pk, *, model, reissue):
    """The district administrator reissues a revoked certificate of a case
    of `model` (the engine's certificate page links here); `reissue(
    certificate=, actor=, comment=, ip=)` is the process's service."""
    certificate = get_certificate_for(request.user, pk)
    if certificate.content_type.model_class() is not model:
        raise Http404()
    if request.method == "POST":
        try:
            new = reissue(certificate=certificate, actor=request.user,
                          # A NUL means nothing in a comment, and PostgreSQL refuses it.
                          comment=request.POST.get("comment", "").replace("\x00", "")[:2000], ip=client_ip(request))
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("A new certificate %(number)s is issued.") % {"number": new.number})
            return redirect("certificate_detail", pk=new.pk)
    elif administered_district(request.user, certificate.owner_organisation) is None:
        raise NotAllowed(_("Only the district administrator can reissue a certificate."))
    return render(request, "workflows/certificate_reissue.html", {"certificate": certificate})
