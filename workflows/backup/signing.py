"""The manifest's signature: HMAC-SHA256 of its exact bytes under the
installation's backup key, so that an archive altered together with a
recomputed manifest is refused. The key is never written into the archive.

The key is UNIONFLOW_BACKUP_KEY when set. Otherwise it is derived from
SECRET_KEY, with a caveat the README states: a restore then needs the same
SECRET_KEY as the installation that wrote the backup (rotating SECRET_KEY
makes older backups refused), and whoever holds SECRET_KEY can sign. Set
UNIONFLOW_BACKUP_KEY, kept apart from the backups, to avoid both."""

import hashlib
import hmac
import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .errors import BackupError, damaged

ALGORITHM = "HMAC-SHA256"
BACKUP_KEY = "UNIONFLOW_BACKUP_KEY"
DERIVED = "SECRET_KEY"


def key_source():
    """The setting the key comes from."""
    return BACKUP_KEY if getattr(settings, "UNIONFLOW_BACKUP_KEY", "") else DERIVED


def _key():
    if key_source() == BACKUP_KEY:
        return settings.UNIONFLOW_BACKUP_KEY.encode()
    # A key of its own for this one use, not SECRET_KEY itself.
    return hmac.new(settings.SECRET_KEY.encode(), b"unionflow.backup.manifest", hashlib.sha256).digest()


def _mac(data):
    return hmac.new(_key(), data, hashlib.sha256).hexdigest()


def sign(manifest_bytes):
    """The bytes of manifest.sig: the algorithm, which setting the key came
    from (never the key), and the MAC."""
    return json.dumps({"algorithm": ALGORITHM, "key": key_source(), "mac": _mac(manifest_bytes)}).encode()


def verify(manifest_bytes, signature_bytes):
    """Raise BackupError unless `signature_bytes` is a valid signature of
    `manifest_bytes` under this installation's key."""
    if signature_bytes is None:
        raise damaged(_("its manifest is not signed (%(name)s is missing)"), name="manifest.sig")
    try:
        signature = json.loads(signature_bytes.decode())
        mac, algorithm, source = signature["mac"], signature["algorithm"], signature.get("key", "?")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise damaged(_("its manifest's signature cannot be read"))
    if algorithm != ALGORITHM or not isinstance(mac, str) or not hmac.compare_digest(mac, _mac(manifest_bytes)):
        raise BackupError(
            _("The backup archive was altered, or signed with another key, and was not restored: the signature "
              "of its manifest does not match this installation's backup key (%(here)s; the archive says it was "
              "signed with %(there)s). Restore with the key of the installation that wrote it."),
            here=key_source(), there=str(source)[:40])
