"""A case's certificate as a process's pages offer it: the latest one
issued for the case, who may take a copy, and the reissue page of a revoked
one (templates/workflows/certificate_reissue.html). Every download goes
through the engine's document view (workflows.documents.views), which
stamps a revoked certificate."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from workflows.audit import log_action
from workflows.documents.views import get_certificate_for
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.middleware import client_ip
from workflows.models import Certificate, CertificateStatus
from workflows.organisations.access import memberships
from workflows.organisations.administration import administered_district
from workflows.organisations.roles import ADMINISTRATOR
from workflows.rowlocks import mark_locked


def certificate_of(case):
    """The latest certificate issued for `case` (valid or not), or None."""
    return (
        Certificate.objects.filter(content_type=ContentType.objects.get_for_model(case), object_id=case.pk)
        .select_related("document", "owner_organisation").order_by("-created", "-pk").first()
    )


def latest_certificates(model, pks):
    """{case pk: its latest certificate} of the cases `pks` of `model`, in
    one query (a list page's rows)."""
    return {c.object_id: c for c in Certificate.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=pks).order_by("created", "pk")}


def may_take_copy(user, organisation):
    """The recipient's organisation and its district federation may download
    a certificate; the branch in between sees it but takes no copy."""
    district_id = organisation.ancestor_ids[0] if organisation.ancestor_ids else organisation.pk
    return any(m.organisation_id in (organisation.pk, district_id) for m in memberships(user))


def reissue_certificate(*, certificate, actor, case_model, round_field, granted, issue, audit_code,
                        not_granted, already_valid, comment="", ip=None):
    """A revoked certificate of a granted case is replaced by a new one with
    its round's next number (the revoked one stays revoked); district
    administrator only. The lock order of a grant (docs/lock-order.md): the
    round (its counter numbers the certificate; kept on the case, marked as
    locked, so `issue(case, actor)` uses this copy), the case, then the
    certificate. `granted(case)`: may it hold one; the messages say why not.
    Audited on the case as `audit_code`."""
    if administered_district(actor, certificate.owner_organisation) is None:
        raise NotAllowed(_("Only the district administrator can reissue a certificate."))
    field = case_model._meta.get_field(round_field)
    round_id = case_model.objects.filter(pk=certificate.object_id).values_list(field.attname, flat=True).first()
    with transaction.atomic():
        round_ = field.related_model.objects.select_for_update().filter(pk=round_id).first()
        case = case_model.objects.select_for_update().get(pk=certificate.object_id)
        if round_ is not None:
            field.set_cached_value(case, mark_locked(round_))
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if not locked.is_revoked:
            raise RuleViolation(_("Only a revoked certificate can be reissued."))
        if not granted(case):
            raise RuleViolation(not_granted)
        if Certificate.objects.filter(content_type=locked.content_type, object_id=case.pk,
                                      status=CertificateStatus.VALID).exists():
            raise AlreadyHandled(already_valid)
        new = issue(case, actor)
        log_action(case, audit_code, actor=actor, organisation=round_.district, role=ADMINISTRATOR, comment=comment,
                   ip=ip, data={"certificate": new.number, "certificate_id": new.pk, "replaces": locked.number,
                                "replaces_id": locked.pk})
    return new


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
