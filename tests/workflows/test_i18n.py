"""Chinese by default, English on request, viewflow's own strings in Chinese."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext


def test_pages_speak_chinese_by_default_and_english_on_request(tree, client):
    client.force_login(tree.reviewer_a)
    page = client.get(reverse("inbox")).content.decode()
    assert "我的待办" in page and "My tasks" not in page

    client.cookies.load({"django_language": "en"})
    page = client.get(reverse("inbox")).content.decode()
    assert "My tasks" in page and "我的待办" not in page


def test_every_catalogue_string_is_translated():
    """The zh_Hans catalogue has no empty or fuzzy entry (make messages, then translate)."""
    from pathlib import Path

    from django.conf import settings

    entries = (Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.po").read_text().split("\n\n")[1:]
    untranslated = [e for e in entries if e.rstrip().endswith('msgstr ""') or '\nmsgstr[0] ""' in e]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert not untranslated and not fuzzy, (untranslated + fuzzy)[:3]


def test_viewflow_strings_have_our_chinese_translation():
    with translation.override("zh-hans"):
        assert gettext("Process") == "流程"
        assert pgettext("STATUS", "Done") != "Done"
