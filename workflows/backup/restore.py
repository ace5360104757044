"""Bringing a backup back: into an empty installation only (no table in the
database, no file in the storage roots) unless forced. The archive is read
and checked in full first (workflows.backup.archive.read_archive); then the
database is loaded, the files put back and the row counts compared with the
manifest's."""

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext_lazy as _

from workflows.backup import database
from .archive import check_versions, read_archive, short_list, storage_roots, stored_files
from .errors import BackupError


@dataclass
class Restored:
    manifest: dict
    tables: int = 0
    rows: int = 0
    files: int = 0
    # Migrations of this code the backup had not applied: run `migrate`.
    pending_migrations: list = field(default_factory=list)


def _empty_storage():
    for root in storage_roots().values():
        if root.is_dir():
            for entry in root.iterdir():
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()


def _put_files(folder, manifest):
    roots = storage_roots()
    count = 0
    for name in manifest["members"]:
        if not name.startswith("files/"):
            continue
        _, key, relative = name.split("/", 2)
        target = roots[key] / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(folder) / name, target)
        count += 1
    return count


def refuse_unless_empty(force):
    """Raise unless the database has no table and the storage no file (or
    `force`); return whether something is there to replace."""
    tables = database.table_names()
    files = sum(1 for _ in stored_files())
    if tables and not force:
        raise BackupError(
            _("The database is not empty (%(count)s tables): restore into an empty database, "
              "or pass --force to replace everything in it."), count=len(tables))
    if files and not force:
        raise BackupError(
            _("The file storage is not empty (%(count)s files in %(roots)s): restore into empty folders, "
              "or pass --force to replace them."),
            count=files, roots=", ".join(str(root) for root in storage_roots().values()))
    return bool(tables), bool(files)


def restore_backup(path, force=False):
    with tempfile.TemporaryDirectory(prefix="unionflow-restore-") as folder:
        manifest = read_archive(path, folder)
        if manifest["engine"] != database.engine():
            raise BackupError(
                _("This backup holds a %(archive)s database; this installation runs on %(here)s."),
                archive=manifest["engine"], here=database.engine())
        check_versions(manifest, force)
        has_tables, has_files = refuse_unless_empty(force)
        if has_tables:
            database.clear()
        if has_files:
            _empty_storage()
        database.load(folder, manifest["database"])
        result = Restored(manifest=manifest, files=_put_files(folder, manifest))
    counts = database.current_row_counts()
    expected = manifest["row_counts"]
    differ = [table for table in set(expected) | set(counts) if expected.get(table) != counts.get(table)]
    if differ:
        raise BackupError(_("The database was restored but its row counts differ from the manifest's: %(tables)s"),
                          tables=short_list(differ))
    result.tables, result.rows = len(counts), sum(counts.values())
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    result.pending_migrations = sorted(
        f"{app}.{name}" for app, name in loader.disk_migrations if (app, name) not in loader.applied_migrations
    )
    return result
