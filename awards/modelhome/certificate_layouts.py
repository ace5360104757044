"""The plaque certificate's layout (模范职工之家 / 小家), registered with the
engine's certificate layouts (workflows.documents.layouts)."""

from django.utils.translation import gettext_lazy as _

from workflows.documents.layouts import CertificateLayout, register_certificate_layout

from .certificates import LAYOUT

register_certificate_layout(CertificateLayout(
    LAYOUT, _("Model workers' home plaque"), "modelhome/certificate_page.html",
    style=".model_home .frame { border: 4mm double #b22222; } .model_home h1 { font-size: 48pt; letter-spacing: 10pt; margin-top: 10mm; }",
    sample_holder="示例机械有限公司工会", sample_award="模范职工之家",
))
