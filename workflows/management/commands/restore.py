"""Bring a backup (`manage.py backup`) back into an empty installation: an
empty database (on PostgreSQL a freshly created one, not migrated) and empty
storage folders. The whole archive is checked against its manifest first; a
damaged one is refused and nothing is changed.

    manage.py restore var/backups/unionflow-20261201-120000.tar.gz
    manage.py restore x.tar.gz --check     # only check the archive
    manage.py restore x.tar.gz --force     # replace a database and files in use"""

import tempfile

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from workflows.backup.archive import read_archive
from workflows.backup.errors import BackupError
from workflows.backup.signing import key_source
from workflows.backup.restore import restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive into an empty installation (refuses a damaged archive)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--check", action="store_true", help="check the gzip stream, the manifest's signature and every member; restore nothing")
        parser.add_argument("--force", action="store_true",
                            help="replace a database and stored files that are not empty (everything in them is lost)")

    def handle(self, *args, archive, check=False, force=False, **options):
        try:
            if check:
                with tempfile.TemporaryDirectory(prefix="unionflow-check-") as folder:
                    manifest = read_archive(archive, folder)
                self.stdout.write(_("The archive is whole: %(members)s members match the manifest (%(created)s, "
                                    "%(engine)s, version %(version)s).") % {
                    "members": len(manifest["members"]), "created": manifest["created"],
                    "engine": manifest["engine"], "version": manifest["app"]["version"]})
                self.stdout.write(_("Its gzip stream is whole and its manifest is signed with this installation's "
                                    "backup key (%(setting)s).") % {"setting": key_source()})
                return
            result = restore_backup(archive, force=force)
        except BackupError as exc:
            raise CommandError(exc.bilingual())
        self.stdout.write(_("Restored %(tables)s tables (%(rows)s rows, as the manifest says) and %(files)s files "
                            "from the backup of %(created)s.") % {
            "tables": result.tables, "rows": result.rows, "files": result.files,
            "created": result.manifest["created"]})
        if result.pending_migrations:
            self.stdout.write(_("This code has %(count)s migrations the backup had not applied: run "
                                "`manage.py migrate`.") % {"count": len(result.pending_migrations)})
