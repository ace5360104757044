"""The May Day award's certificates: the number the campaign allocates, the
title printed in the district's language, reissue after a revocation."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awards.mayday.models import Campaign, Nomination
from awards.mayday.models import NominationState as S
from awards.roles import Role
from workflows.audit import log_action
from workflows.conflicts import retry_on_conflict
from workflows.models import Certificate
from workflows.documents.case_certificates import certificate_of, reissue_certificate  # noqa: F401 (services names it)
from workflows.rowlocks import locked_related
from workflows.documents.series import register_series_titles


def certificate_award_title(campaign, nomination):
    """The title printed on the certificate, always in the district's
    language (Chinese), whatever language the deciding user browses in."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(year)s %(award)s") % {"year": campaign.year, "award": nomination.award_title}


def issue_certificate(nomination, actor):
    """Allocate the next number of the campaign and record the certificate;
    its PDF is rendered after commit (and on first download if the worker
    has not got to it yet). The caller has locked the campaign row before
    the nomination's (docs/lock-order.md: the award's `lock_first`, the
    reissue below); the copy the award's `lock_first` locked and kept on
    the nomination in this transaction is used as it is, any other caller's
    row is locked (again) here, which keeps the number safe for any caller."""
    campaign = locked_related(nomination, "campaign")
    seq, number = campaign.take_certificate_number()
    certificate = Certificate.objects.create(
        series=campaign.code,
        sequence=seq,
        number=number,
        holder_name=nomination.nominee_name,
        award_title=certificate_award_title(campaign, nomination),
        issuer=campaign.issuing_body,
        issued_on=timezone.localdate(),
        layout=nomination.kind,
        content_type=ContentType.objects.get_for_model(nomination),
        object_id=nomination.pk,
        owner_organisation=nomination.organisation,
    )
    log_action(
        nomination, "awards.certificate.issued", actor=actor, organisation=campaign.district,
        role=Role.DISTRICT_ADMIN, data={"certificate": certificate.number},
    )
    from workflows.documents.tasks import owe_certificate_document

    owe_certificate_document(certificate)
    return certificate


@retry_on_conflict
def certificate_reissue(*, certificate, actor, comment="", ip=None):
    """A revoked certificate of an awarded nomination is replaced by a new
    certificate with the campaign's next number (the engine's reissue,
    workflows.documents.case_certificates). District administrator only."""
    return reissue_certificate(
        certificate=certificate, actor=actor, comment=comment, ip=ip, case_model=Nomination, round_field="campaign",
        granted=lambda nomination: nomination.state == S.AWARDED, issue=issue_certificate,
        audit_code="awards.certificate.reissued",
        not_granted=_("Only an awarded nomination can receive a certificate."),
        already_valid=_("This nomination already has a valid certificate."),
    )


def campaign_titles(codes):
    """{certificate series: campaign title} for the certificate list's
    filter (workflows.documents.series), in one query."""
    return dict(Campaign.objects.filter(code__in=list(codes)).values_list("code", "title"))


register_series_titles(campaign_titles)
