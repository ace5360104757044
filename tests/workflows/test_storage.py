from pathlib import Path

from workflows.documents.rendering import store_document


def test_documents_go_to_the_configured_private_root(db, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "elsewhere"
    document = store_document(kind="test", title="t", data=b"%PDF-1.7 test", filename="t.pdf")
    assert Path(document.file.path).is_relative_to(tmp_path / "elsewhere")
    assert (tmp_path / "elsewhere" / document.file.name).read_bytes() == b"%PDF-1.7 test"
