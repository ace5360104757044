"""The May Day award's certificate layouts: 奖状 for units, 奖章 for
individuals, 工人先锋号 for teams (a certificate's layout is its award kind)."""

from django.utils.translation import gettext_lazy as _

from workflows.documents.layouts import CertificateLayout, register_certificate_layout

for layout in (
    CertificateLayout(
        "unit", _("Unit award (奖状)"), "awards/certificates/unit.html",
        style=".unit .frame { border-color: #b22222; } .unit h1 { letter-spacing: 24pt; }",
        sample_holder="示例机械有限公司", sample_award="五一劳动奖状",
    ),
    CertificateLayout(
        "individual", _("Individual medal (奖章)"), "awards/certificates/individual.html",
        style=".individual .frame { border-color: #b8860b; }",
        sample_holder="张三", sample_award="五一劳动奖章",
    ),
    CertificateLayout(
        "team", _("Team award (工人先锋号)"), "awards/certificates/team.html",
        style=".team .frame { border: 2mm solid #1f4e9a; } .team h1 { color: #1f4e9a; } .team .award { color: #1f4e9a; }",
        sample_holder="示例公司装配车间", sample_award="工人先锋号",
    ),
):
    register_certificate_layout(layout)
