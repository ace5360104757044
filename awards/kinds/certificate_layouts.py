"""The certificate layouts campaigns of a kind print with, registered with
the engine's certificate layouts (workflows.documents.layouts) beside the
plain certificate and chosen in the kind editor: May Day's three (奖状 for
units, 奖章 for individuals, 工人先锋号 for teams; a certificate's layout is
its award kind, and May Day's certificates carry these keys, so they print
from here too) and the plaque (牌匾). Each is the engine's certificate all
the same (numbered, QR-verifiable at /verify/, revocable and stamped once
revoked). Text printed on paper is Chinese literal: it is an official
document."""

from django.utils.translation import gettext_lazy as _

from workflows.documents.layouts import CertificateLayout, register_certificate_layout

PLAQUE = "plaque"

for layout in (
    CertificateLayout(
        "unit", _("Unit award (奖状)"), "kinds/certificates/unit.html",
        style=".unit .frame { border-color: #b22222; } .unit h1 { letter-spacing: 24pt; }",
        sample_holder="示例机械有限公司", sample_award="五一劳动奖状",
    ),
    CertificateLayout(
        "individual", _("Individual medal (奖章)"), "kinds/certificates/individual.html",
        style=".individual .frame { border-color: #b8860b; }",
        sample_holder="张三", sample_award="五一劳动奖章",
    ),
    CertificateLayout(
        "team", _("Team award (工人先锋号)"), "kinds/certificates/team.html",
        style=".team .frame { border: 2mm solid #1f4e9a; } .team h1 { color: #1f4e9a; } .team .award { color: #1f4e9a; }",
        sample_holder="示例公司装配车间", sample_award="工人先锋号",
    ),
    CertificateLayout(
        PLAQUE, _("Plaque (牌匾)"), "kinds/plaque_page.html",
        style=(".plaque .frame { border: 5mm solid #8b1a1a; background: #fffaf0; } "
               ".plaque h1 { font-size: 52pt; letter-spacing: 12pt; margin-top: 14mm; } "
               ".plaque .body { text-align: center; text-indent: 0; }"),
        sample_holder="示例机械有限公司工会", sample_award="示范点",
    ),
):
    register_certificate_layout(layout)
