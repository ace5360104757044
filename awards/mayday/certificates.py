"""The May Day award's certificates: the number the campaign allocates, the
title printed as on the award's other paper, reissue after a revocation. The
numbering, the record and the reissue are the engine's
(workflows.documents.round_certificates, case_certificates)."""

from django.utils.translation import gettext as _

from awards.mayday.documents import KIND_TITLES
from awards.mayday.models import Campaign, Nomination
from awards.mayday.models import NominationState as S
from awards.roles import Role
from workflows.conflicts import retry_on_conflict
from workflows.documents.case_certificates import reissue_certificate
from workflows.documents.round_certificates import issue_round_certificate, register_round_series
from workflows.rowlocks import locked_related


def issue_certificate(nomination, actor):
    """Allocate the next number of the campaign and record the certificate
    (its layout is the award kind; the engine's issue_round_certificate).
    The caller has locked the campaign row before the nomination's
    (docs/lock-order.md: the award's `lock_first`, the reissue below); the
    copy the award's `lock_first` locked and kept on the nomination in this
    transaction is used as it is, any other caller's row is locked (again)
    here, which keeps the number safe for any caller."""
    campaign = locked_related(nomination, "campaign")
    return issue_round_certificate(
        nomination, campaign, actor=actor, holder_name=nomination.nominee_name,
        award_title=f"{campaign.year}年度{KIND_TITLES[nomination.kind]}", issuer=campaign.issuing_body,
        layout=nomination.kind, owner=nomination.organisation, audit_code="awards.certificate.issued",
        role=Role.DISTRICT_ADMIN,
    )


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


# The certificate list's filter names a campaign's series by its title.
register_round_series(Campaign)
