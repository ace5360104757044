"""The plaque (牌匾) a campaign of a kind may end in, registered with the
engine's certificate layouts (workflows.documents.layouts) beside the
plain certificate: chosen in the kind editor like any layout, it is the
engine's certificate all the same (numbered, QR-verifiable at /verify/,
revocable and stamped once revoked), printed as a plaque. Text printed on
paper is Chinese literal: it is an official document."""

from django.utils.translation import gettext_lazy as _

from workflows.documents.layouts import CertificateLayout, register_certificate_layout

PLAQUE = "plaque"

register_certificate_layout(CertificateLayout(
    PLAQUE, _("Plaque (牌匾)"), "kinds/plaque_page.html",
    style=(".plaque .frame { border: 5mm solid #8b1a1a; background: #fffaf0; } "
           ".plaque h1 { font-size: 52pt; letter-spacing: 12pt; margin-top: 14mm; } "
           ".plaque .body { text-align: center; text-indent: 0; }"),
    sample_holder="示例机械有限公司工会", sample_award="示范点",
))
