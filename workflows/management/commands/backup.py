"""The whole installation into one archive: the database (pg_dump on
PostgreSQL, the sqlite3 backup API on SQLite: both consistent while the site
runs) and the stored files, with a manifest of SHA-256 hashes and row counts.

    manage.py backup                       # var/backups/unionflow-<time>.tar.gz
    manage.py backup --output /mnt/b/x.tar.gz"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from workflows.backup.archive import create_backup
from workflows.backup.errors import BackupError


class Command(BaseCommand):
    help = "Write the database and the stored files into one tar.gz with a manifest of hashes."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="the archive to write (default: var/backups/unionflow-<time>.tar.gz)")

    def handle(self, *args, output=None, **options):
        try:
            path, manifest = create_backup(output)
        except BackupError as exc:
            raise CommandError(exc.bilingual())
        files = sum(1 for name in manifest["members"] if name.startswith("files/"))
        size = sum(member["size"] for member in manifest["members"].values())
        self.stdout.write(_("Backup written to %(path)s: %(tables)s tables, %(rows)s rows, %(files)s files "
                            "(%(size)s bytes before compression).") % {
            "path": path, "tables": len(manifest["row_counts"]), "rows": sum(manifest["row_counts"].values()),
            "files": files, "size": size})
