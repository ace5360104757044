"""Channel secrets at rest: sealed with Fernet (AES-128-CBC + HMAC-SHA256)
under a key derived from SECRET_KEY, so a database dump or a backup does
not hand out the district's 企业微信/钉钉/Aliyun secrets. SECRET_KEY_FALLBACKS
still open secrets sealed under an earlier key (Django's key rotation);
a secret sealed under a key no longer configured cannot be read: the
delivery fails with errcode "secret" and the district enters it again."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.translation import gettext as _

from workflows.notifications.channels.base import DeliveryFailed

PREFIX = "fernet:"


def _fernet():
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([
        Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"unionflow.channel-secret:{key}".encode()).digest()))
        for key in keys
    ])


def seal(secret):
    return PREFIX + _fernet().encrypt(secret.encode("utf-8")).decode("ascii")


def unseal(stored):
    """The secret in clear, for the client that sends. An unsealed value
    (written outside the services) is taken as it is."""
    if not stored.startswith(PREFIX):
        return stored
    try:
        return _fernet().decrypt(stored[len(PREFIX):].encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise DeliveryFailed("secret", _("The stored secret cannot be read with this SECRET_KEY: enter it again.")) \
            from None
