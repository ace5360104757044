"""One tar.gz holds a whole installation: the database (workflows.backup.
database), every stored file (PRIVATE_STORAGE_ROOT as files/private/…,
MEDIA_ROOT as files/media/…) and, last, manifest.json: the SHA-256 and size
of every member, the row count of every table, the engine, the app's
version and its applied migrations.

The manifest goes last because it is written once every hash is known; an
archive cut short therefore has none and is refused as damaged. After it
comes manifest.sig, an HMAC-SHA256 of the manifest's exact bytes under the
installation's backup key (workflows.backup.signing; the key is never in the
archive): an archive altered and given a recomputed manifest is refused.

The gzip stream is written with a fixed header (no name, no time) and read
back strictly (workflows.backup.stream): the header byte for byte, the
CRC-32 and length of the whole tar stream, nothing after its end. With the
members' SHA-256 and the signed manifest, a byte changed anywhere in the
file is refused. A restore reads and checks the whole archive into a
temporary folder before it touches the database or the storage, so a
damaged archive changes nothing."""

import datetime
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext_lazy as _

from workflows.backup import database
from workflows.backup import signing
from workflows.backup.stream import gzip_writer, verified_gzip_reader
from .errors import BackupError, damaged

FORMAT = "unionflow-backup"
# 2: a fixed gzip header and a signed manifest (manifest.sig).
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
# Archive folder → the setting naming the storage root it holds.
FILE_ROOTS = {"private": "PRIVATE_STORAGE_ROOT", "media": "MEDIA_ROOT"}
_BLOCK = 1 << 20


def storage_roots():
    return {key: Path(getattr(settings, name)) for key, name in FILE_ROOTS.items()}


def stored_files():
    """(member name, path) of every regular file in the storage roots. A
    root nested in another is archived once, under its own name."""
    roots = storage_roots()
    for key, root in roots.items():
        if not root.is_dir():
            continue
        others = [r.resolve() for k, r in roots.items() if k != key and r.resolve() != root.resolve()]
        for folder, dirs, files in os.walk(root):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if (here / d).resolve() not in others)
            for name in sorted(files):
                path = here / name
                if path.is_file() and not path.is_symlink():
                    yield f"files/{key}/{path.relative_to(root).as_posix()}", path


def app_version():
    """The commit of the running code when it is a git checkout."""
    try:
        done = subprocess.run(["git", "-C", str(settings.BASE_DIR), "describe", "--always", "--dirty"],
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else "unknown"


def applied_migrations():
    applied = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


class _Hashing(io.RawIOBase):
    """A file read through, hashing exactly the bytes tar takes from it."""

    def __init__(self, f):
        self.f, self.digest, self.size = f, hashlib.sha256(), 0

    def readable(self):
        return True

    def read(self, n=-1):
        data = self.f.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add(tar, name, path):
    info = tarfile.TarInfo(name)
    info.size = os.stat(path).st_size
    info.mtime = int(os.stat(path).st_mtime)
    info.mode = 0o600
    with open(path, "rb") as f:
        reader = _Hashing(f)
        tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": reader.size}


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o600
    info.mtime = int(datetime.datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def default_output():
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"unionflow-{stamp}.tar.gz"


def create_backup(output=None):
    """Write the archive (atomically: a crash leaves no file under its name);
    return (its path, its manifest). The database is copied first, the
    files after: a document's file is stored before its row commits, so
    every document in the copy finds its file."""
    output = Path(output or default_output())
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="unionflow-backup-") as tmp:
        member, counts = database.dump(tmp)
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "engine": database.engine(), "database": member,
            "app": {"version": app_version(), "migrations": applied_migrations()},
            "row_counts": counts, "members": {},
        }
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, gzip_writer(raw) as gz, tarfile.open(fileobj=gz, mode="w") as tar:
            manifest["members"][member] = _add(tar, member, os.path.join(tmp, member))
            for name, path in stored_files():
                manifest["members"][name] = _add(tar, name, path)
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            _add_bytes(tar, MANIFEST, data)
            _add_bytes(tar, SIGNATURE, signing.sign(data))
    os.replace(partial, output)
    return output, manifest


_damaged = damaged


def _safe_name(name):
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return False
    return name in (MANIFEST, SIGNATURE) or path.parts[0] == "database" or (
        len(path.parts) > 2 and path.parts[0] == "files" and path.parts[1] in FILE_ROOTS
    )


def short_list(names, limit=5):
    names = sorted(names)
    return ", ".join(names[:limit]) + (f" (+{len(names) - limit})" if len(names) > limit else "")


def read_archive(path, into):
    """Extract the archive into the folder `into`, checking the gzip stream,
    the manifest's signature and every member against the manifest; return
    the manifest. Raises BackupError naming what is wrong: unreadable, no
    manifest, not signed with this installation's key, missing, extra or
    changed members."""
    found, manifest_bytes, signature = {}, None, None
    try:
        with open(path, "rb") as raw:
            stream = verified_gzip_reader(raw)
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                for member in tar:
                    if not _safe_name(member.name) or not member.isfile() or signature is not None:
                        # The signature is the last member: nothing may follow it.
                        raise _damaged(_("unexpected entry %(name)s"), name=member.name)
                    source = tar.extractfile(member)
                    if member.name == MANIFEST:
                        manifest_bytes = source.read()
                        continue
                    if member.name == SIGNATURE:
                        signature = source.read()
                        continue
                    target = Path(into) / member.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    digest, size = hashlib.sha256(), 0
                    with open(target, "wb") as out:
                        for block in iter(lambda: source.read(_BLOCK), b""):
                            digest.update(block)
                            size += len(block)
                            out.write(block)
                    found[member.name] = {"sha256": digest.hexdigest(), "size": size}
            # tar stops at its end-of-archive blocks; the gzip stream's
            # CRC-32, length and end are checked only once it is read out.
            for block in iter(lambda: stream.read(_BLOCK), b""):
                if block.strip(b"\0"):
                    raise _damaged(_("it holds data after the end of its tar archive"))
    except FileNotFoundError:
        raise BackupError(_("No backup archive at %(path)s."), path=str(path))
    except (tarfile.TarError, EOFError, zlib.error, OSError, ValueError) as exc:
        raise _damaged(_("it cannot be read (%(error)s)"), error=str(exc) or type(exc).__name__)
    if manifest_bytes is None:
        raise _damaged(_("it has no manifest (%(name)s)"), name=MANIFEST)
    signing.verify(manifest_bytes, signature)
    try:
        manifest = json.loads(manifest_bytes.decode())
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(_("it has no manifest (%(name)s)"), name=MANIFEST)
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError(_("This backup was written by a newer version of UnionFlow (format %(version)s)."),
                          version=manifest.get("format_version"))
    listed = manifest.get("members", {})
    if missing := set(listed) - set(found):
        raise _damaged(_("members listed in the manifest are missing: %(names)s"), names=short_list(missing))
    if extra := set(found) - set(listed):
        raise _damaged(_("members not in the manifest: %(names)s"), names=short_list(extra))
    if changed := [name for name, seen in found.items() if seen["sha256"] != listed[name].get("sha256")]:
        raise _damaged(_("the SHA-256 of these members does not match the manifest: %(names)s"),
                       names=short_list(changed))
    if manifest.get("database") not in found:
        raise _damaged(_("it holds no database"))
    return manifest


def check_versions(manifest, force):
    """A backup whose migrations this code does not know comes from a newer
    version: its tables would not match the models."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, names in manifest["app"]["migrations"].items()
               for name in names if (app, name) not in known]
    if unknown and not force:
        raise BackupError(
            _("This backup comes from a newer version of UnionFlow (%(version)s): this code does not know "
              "its migrations %(names)s. Install that version first, or pass --force."),
            version=manifest["app"].get("version", "?"), names=short_list(unknown))
