"""The plaque certificate (牌匾证书) of a title: layout "model_home" of the
engine's certificates (workflows.documents), its subject the Title, so a
revocation (摘牌) shows in the title's history and on the verification
page. Text printed on paper is Chinese literal: it is an official document."""

from django.utils.translation import gettext_lazy as _

from workflows.models import Grade
from workflows.documents.layouts import CertificateLayout, register_certificate_layout
from workflows.documents.round_certificates import register_round_series, round_certificates

from .models import Campaign, Level

LAYOUT = "model_home"
# The label the certificate list's filter and the preview show.
register_certificate_layout(CertificateLayout(
    LAYOUT, _("Model workers' home plaque"), "modelhome/certificate_page.html",
    style=(".model_home .frame { border: 4mm double #b22222; } "
           ".model_home h1 { font-size: 48pt; letter-spacing: 10pt; margin-top: 10mm; }"),
    sample_holder="示例机械有限公司工会", sample_award="模范职工之家",
))

TITLE_NAMES = {
    (Grade.MODEL, Level.HOME): "模范职工之家",
    (Grade.MODEL, Level.SMALL_HOME): "模范职工小家",
    (Grade.QUALIFIED, Level.HOME): "合格职工之家",
    (Grade.QUALIFIED, Level.SMALL_HOME): "合格职工小家",
}


def campaign_certificates(campaign):
    """The campaign's valid plaque certificates, in number order."""
    return round_certificates(campaign).filter(layout=LAYOUT)


# The certificate list names a campaign's series by its title.
register_round_series(Campaign)
