"""The plaque certificate (牌匾证书) of a title: layout "model_home" of the
engine's certificates (workflows.documents), its subject the Title, so a
revocation (摘牌) shows in the title's history and on the verification
page. Text printed on paper is Chinese literal: it is an official document."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.audit import log_action
from awards.roles import Role
from workflows.models import Certificate
from workflows.documents.layouts import CertificateLayout, register_certificate_layout
from workflows.documents.series import register_series_titles
from workflows.documents.services import certificate_revoke

from .models import Campaign, Grade, Level

LAYOUT = "model_home"
# The label the certificate list's filter and the preview show.
register_certificate_layout(CertificateLayout(
    LAYOUT, _("Model workers' home plaque"), "modelhome/certificate_page.html",
    style=(".model_home .frame { border: 4mm double #b22222; } "
           ".model_home h1 { font-size: 48pt; letter-spacing: 10pt; margin-top: 10mm; }"),
    sample_holder="示例机械有限公司工会", sample_award="模范职工之家",
))
# The reasons the certificate carries when it is revoked: the verification
# page and the printed mark read them (已摘牌 / 已到期 / 已降级).
REVOKED_REASON = "摘牌"
EXPIRED_REASON = "到期"
DOWNGRADED_REASON = "降级"

TITLE_NAMES = {
    (Grade.MODEL, Level.HOME): "模范职工之家",
    (Grade.MODEL, Level.SMALL_HOME): "模范职工小家",
    (Grade.QUALIFIED, Level.HOME): "合格职工之家",
    (Grade.QUALIFIED, Level.SMALL_HOME): "合格职工小家",
}


def title_name(grade, level):
    return TITLE_NAMES[(grade, level)]


def issue_title_certificate(title, actor):
    """Number and record the title's certificate in its campaign's series;
    the PDF is rendered after commit. Call inside the deciding transaction."""
    campaign = Campaign.objects.select_for_update().get(pk=title.campaign_id)
    campaign.last_certificate_seq += 1
    campaign.save(update_fields=["last_certificate_seq"])
    seq = campaign.last_certificate_seq
    certificate = Certificate.objects.create(
        series=campaign.code, sequence=seq, number=campaign.format_certificate_number(seq),
        holder_name=title.holder.name, award_title=title_name(title.grade, title.level),
        issuer=campaign.district.name or settings.UNIONFLOW_ISSUER, issued_on=timezone.localdate(),
        layout=LAYOUT, subject=title, owner_organisation=title.holder,
    )
    title.certificate = certificate
    title.save(update_fields=["certificate"])
    log_action(title, "modelhome.certificate.issued", actor=actor, organisation=campaign.district,
               role=Role.DISTRICT_ADMIN, data={"certificate": certificate.number, "year": campaign.year})
    from workflows.documents.tasks import owe_certificate_document

    owe_certificate_document(certificate)
    return certificate


def revoke_title_certificate(title, actor, reason, ip=None):
    """Through the engine's revocation service (district administrator,
    audited on the title)."""
    if title.certificate_id and title.certificate.status == "valid":
        certificate_revoke(certificate=title.certificate, actor=actor, reason=reason, ip=ip)


def campaign_certificates(campaign):
    """The campaign's valid plaque certificates, in number order."""
    return Certificate.objects.filter(series=campaign.code, layout=LAYOUT, status="valid").order_by("sequence")



def campaign_titles(codes):
    """{certificate series: campaign title} for the certificate list's
    filter (workflows.documents.series), in one query."""
    return dict(Campaign.objects.filter(code__in=list(codes)).values_list("code", "title"))


register_series_titles(campaign_titles)
