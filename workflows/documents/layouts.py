"""Certificate layouts, registered by the processes that issue them: a
layout names the template of a certificate's page (the wording and heading
inside the common frame, QR code, number and issuer), the CSS that styles it
and the sample a preview prints. A certificate stores its layout's key; a
key nobody registered prints with the engine's plain "default" layout."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CertificateLayout:
    key: str
    label: object
    page_template: str
    style: str = ""
    sample_holder: str = "示例获奖者"
    sample_award: str = "荣誉称号"


DEFAULT = CertificateLayout("default", _("Certificate of honour"), "documents/certificate_page_default.html")

_LAYOUTS = {DEFAULT.key: DEFAULT}


def register_certificate_layout(layout):
    _LAYOUTS[layout.key] = layout


def certificate_layout(key):
    """The layout of `key`, or the default one."""
    return _LAYOUTS.get(key, DEFAULT)


def certificate_layouts():
    """Every registered layout, the default last."""
    return [layout for key, layout in _LAYOUTS.items() if key != DEFAULT.key] + [DEFAULT]


def is_layout(key):
    return key in _LAYOUTS
