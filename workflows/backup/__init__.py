"""Backup and restore of a whole installation: the database and the stored
files in one tar.gz with a manifest of hashes (workflows.backup.archive),
brought back only into an empty installation (workflows.backup.restore).
`manage.py backup` and `manage.py restore` call them."""

from .archive import create_backup, read_archive
from .errors import BackupError
from .restore import restore_backup

__all__ = ["BackupError", "create_backup", "read_archive", "restore_backup"]
