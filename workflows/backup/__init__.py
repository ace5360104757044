"""Backup and restore of a whole installation: the database and the stored
files in one tar.gz with a manifest of hashes (workflows.backup.archive),
brought back only into an empty installation (workflows.backup.restore).
`manage.py backup` and `manage.py restore` call them."""
