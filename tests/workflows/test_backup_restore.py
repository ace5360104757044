"""`manage.py backup` and `manage.py restore`.

The round trips run the real commands on whole installations (separate
processes, the demo seeded): backup → restore into an empty installation →
`check_integrity`, then every table's row count and every document's hash
compared. The other tests check the refusals in process: a damaged archive
(a changed, missing, extra or unsafe member; a truncated file) and a
database that is not empty."""

import io
import tarfile

import pytest
from django.core.management import CommandError, call_command

from tests.installations import (
    drop_postgres_database, have_pg_tools, installation_env, manage, postgres_base_url, postgres_url,
    recreate_postgres_database, summary,
)
from workflows.backup.archive import create_backup, read_archive
from workflows.backup.errors import BackupError
from workflows.backup.restore import restore_backup
from workflows.backup.archive import MANIFEST, SIGNATURE
from workflows.backup.stream import gzip_writer
from workflows.models import Document

IMMEDIATE_TASKS = {"TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}


def round_trip(source, target, tmp_path):
    manage(source, "migrate", "--noinput", "-v0")
    manage(source, "seed_demo")
    archive = tmp_path / "backup.tar.gz"
    manage(source, "backup", "--output", str(archive))
    restored = manage(target, "restore", str(archive))
    assert "restore" in restored.stdout.lower() or "恢复" in restored.stdout
    integrity = manage(target, "check_integrity", check=False)
    assert integrity.returncode == 0, integrity.stderr
    assert "0 violations" in integrity.stdout

    before, after = summary(source), summary(target)
    assert after["rows"] == before["rows"]
    assert sum(before["rows"].values()) > 1000
    assert after["documents"] == before["documents"]
    assert len(before["documents"]) >= 13  # the demo's certificates at least
    assert all(recorded == on_disk for recorded, on_disk in after["documents"].values())

    # A second restore is refused; forced, it replaces everything alike.
    again = manage(target, "restore", str(archive), check=False)
    assert again.returncode == 1 and "数据库不是空的" in again.stderr and "The database is not empty" in again.stderr
    manage(target, "restore", str(archive), "--force")
    assert summary(target) == after


def test_round_trip_on_sqlite(tmp_path):
    source = installation_env(tmp_path / "source", f"sqlite:///{tmp_path / 'source.sqlite3'}", **IMMEDIATE_TASKS)
    target = installation_env(tmp_path / "target", f"sqlite:///{tmp_path / 'target.sqlite3'}", **IMMEDIATE_TASKS)
    round_trip(source, target, tmp_path)


@pytest.mark.skipif(postgres_base_url() is None,
                    reason="the PostgreSQL round trip needs a server: run with DATABASE_URL=postgres://…")
@pytest.mark.skipif(not have_pg_tools(), reason="pg_dump and pg_restore (PostgreSQL client) are not installed")
def test_round_trip_on_postgresql(tmp_path):
    base = postgres_base_url().rsplit("/", 1)[1] or "unionflow"
    names = f"{base}_bk_src", f"{base}_bk_dst"
    for name in names:
        recreate_postgres_database(name)
    try:
        source = installation_env(tmp_path / "source", postgres_url(names[0]), **IMMEDIATE_TASKS)
        target = installation_env(tmp_path / "target", postgres_url(names[1]), **IMMEDIATE_TASKS)
        round_trip(source, target, tmp_path)
    finally:
        for name in names:
            drop_postgres_database(name)


# Refusals, in process ------------------------------------------------------

@pytest.fixture
def archive(transactional_db, settings, tmp_path):
    """A backup of the test database holding one stored document."""
    from django.core.files.base import ContentFile

    Document.objects.create(kind="note", title="note", file=ContentFile(b"hello", name="note.txt"),
                            sha256="x", size=5)
    path, _manifest = create_backup(tmp_path / "b.tar.gz")
    return path


def rewrite(path, change):
    """Write the archive again with `change(members)` applied to its
    {name: bytes} (kept in order)."""
    with tarfile.open(path, "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar}
    change(members)
    # As create_backup writes it (workflows.backup.stream): only the change differs.
    with open(path, "wb") as raw, gzip_writer(raw) as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def stored_name(path):
    with tarfile.open(path, "r:gz") as tar:
        return next(n for n in tar.getnames() if n.startswith("files/private/"))


def refusal(path, tmp_path):
    with pytest.raises(BackupError) as caught:
        read_archive(path, tmp_path / "out")
    return caught.value


def test_the_archive_holds_the_files_and_a_manifest_of_their_hashes(archive, tmp_path):
    manifest = read_archive(archive, tmp_path / "out")
    name = stored_name(archive)
    assert (tmp_path / "out" / name).read_bytes() == b"hello"
    assert manifest["members"][name]["sha256"] == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    assert manifest["row_counts"]["workflows_document"] == 1
    assert "workflows" in manifest["app"]["migrations"]


def test_a_changed_member_is_named_in_chinese_and_english(archive, tmp_path):
    name = stored_name(archive)
    rewrite(archive, lambda members: members.update({name: b"HELLO"}))
    error = refusal(archive, tmp_path)
    assert name in error.in_language("en") and "SHA-256" in error.in_language("en")
    text = error.bilingual()
    assert "备份文件已损坏" in text and "The backup archive is damaged" in text
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(archive), "--check")
    assert "备份文件已损坏" in str(caught.value) and name in str(caught.value)


def test_a_missing_member_is_refused(archive, tmp_path):
    name = stored_name(archive)
    rewrite(archive, lambda members: members.pop(name))
    assert "missing" in refusal(archive, tmp_path).in_language("en")


def test_a_member_the_manifest_does_not_list_is_refused(archive, tmp_path):
    rewrite(archive, lambda members: members.update({"files/media/extra.txt": b"x"}))
    assert "files/media/extra.txt" in refusal(archive, tmp_path).in_language("en")


def test_an_entry_outside_the_archive_folders_is_refused_and_not_written(archive, tmp_path):
    rewrite(archive, lambda members: members.update({"files/private/../../escape.txt": b"x"}))
    assert "unexpected entry" in refusal(archive, tmp_path).in_language("en")
    assert not (tmp_path / "escape.txt").exists()


def test_an_archive_without_its_manifest_or_cut_short_is_refused(archive, tmp_path):
    data = archive.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) // 2])
    assert "cut short" in refusal(cut, tmp_path).in_language("en")
    rewrite(archive, lambda members: members.pop(MANIFEST))
    assert "no manifest" in refusal(archive, tmp_path).in_language("en")


def test_a_database_in_use_is_not_overwritten(archive):
    with pytest.raises(BackupError) as caught:
        restore_backup(archive)
    assert "not empty" in caught.value.in_language("en")
    assert "数据库不是空的" in caught.value.in_language("zh-hans")
    assert Document.objects.count() == 1


# Integrity of the file and authenticity of the manifest (issue 20) ---------

def flipped(path, offset, tmp_path):
    """A copy of the archive with the byte at `offset` inverted."""
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    copy = tmp_path / f"flipped-{offset}.tar.gz"
    copy.write_bytes(bytes(data))
    return copy


def check(path):
    """`manage.py restore --check`: (passed, what it said)."""
    out = io.StringIO()
    try:
        call_command("restore", str(path), "--check", stdout=out)
    except CommandError as refused:
        return False, str(refused)
    return True, out.getvalue()


def test_restore_check_passes_a_whole_archive_and_says_it_is_signed(archive):
    passed, said = check(archive)
    assert passed, said
    assert "备份文件完整" in said and "SECRET_KEY" in said


@pytest.mark.parametrize("where", ["gzip header time", "middle", "near the end", "crc", "length", "last"])
def test_a_byte_flipped_anywhere_is_refused(archive, tmp_path, where):
    size = archive.stat().st_size
    offset = {"gzip header time": 5, "middle": size // 2, "near the end": size - 12, "crc": size - 7,
              "length": size - 3, "last": size - 1}[where]
    passed, said = check(flipped(archive, offset, tmp_path))
    assert not passed and "备份文件已损坏" in said, said
    # Nothing was restored: the refusal comes before anything is touched.
    assert Document.objects.count() == 1


def test_every_single_byte_flipped_is_refused_or_changes_nothing(archive, tmp_path):
    """Exhaustively on the stored bytes after the first member's data
    (tar padding and end-of-archive blocks, the manifest, its signature, the
    gzip trailer): where `gzip -t` and tar alone saw nothing wrong before.
    A flipped byte is refused, or it changed no byte of what is restored:
    deflate may leave bits that decode to nothing (the last byte's padding,
    the code lengths of a symbol a block never uses), and content that is
    whole, member by member against the signed manifest, is what a restore
    needs. What is restored is never different from what was backed up."""
    reference = tmp_path / "reference"
    read_archive(archive, reference)
    original = {p.relative_to(reference): p.read_bytes() for p in reference.rglob("*") if p.is_file()}
    size = archive.stat().st_size
    refused = 0
    for offset in range(max(0, size - 400), size):
        out = tmp_path / f"out-{offset}"
        try:
            read_archive(flipped(archive, offset, tmp_path), out)
        except BackupError:
            refused += 1
            continue
        assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == original, offset
    assert refused >= min(size, 400) - 2  # at most a couple of padding bytes decode to the same content


def test_data_appended_after_the_stream_is_refused(archive, tmp_path):
    longer = tmp_path / "longer.tar.gz"
    longer.write_bytes(archive.read_bytes() + b"\0\0\0\0")
    passed, said = check(longer)
    assert not passed and "备份文件已损坏" in said


def test_a_member_rewritten_with_a_recomputed_manifest_is_refused(archive, tmp_path):
    """The attack the signature is for: change a stored file and write the
    manifest again with its new SHA-256 (as the unsigned format allowed)."""
    import hashlib
    import json

    name = stored_name(archive)

    def forge(members):
        members[name] = b"forged"
        manifest = json.loads(members[MANIFEST])
        manifest["members"][name] = {"sha256": hashlib.sha256(b"forged").hexdigest(), "size": 6}
        members[MANIFEST] = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()

    rewrite(archive, forge)
    error = refusal(archive, tmp_path)
    assert "signature" in error.in_language("en") and "签名" in error.in_language("zh-hans")
    passed, said = check(archive)
    assert not passed and "签名" in said


def test_an_unsigned_manifest_is_refused(archive, tmp_path):
    rewrite(archive, lambda members: members.pop(SIGNATURE))
    assert "not signed" in refusal(archive, tmp_path).in_language("en")


def test_the_key_is_the_backup_key_setting_and_is_not_in_the_archive(transactional_db, settings, tmp_path):
    settings.UNIONFLOW_BACKUP_KEY = "backup-key-" + "k" * 40
    path, _manifest = create_backup(tmp_path / "keyed.tar.gz")
    with tarfile.open(path, "r:gz") as tar:
        contents = b"".join(tar.extractfile(m).read() for m in tar if m.name in (MANIFEST, SIGNATURE))
    assert b"backup-key-" not in contents and b"UNIONFLOW_BACKUP_KEY" in contents
    assert read_archive(path, tmp_path / "out")["format_version"] == 2
    # Another installation's key (or none, SECRET_KEY's) does not verify it.
    settings.UNIONFLOW_BACKUP_KEY = "another-key-" + "k" * 40
    assert "another key" in refusal(path, tmp_path).in_language("en")
    settings.UNIONFLOW_BACKUP_KEY = ""
    assert "SECRET_KEY" in refusal(path, tmp_path).in_language("en")
