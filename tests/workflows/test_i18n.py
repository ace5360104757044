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


def test_the_password_rules_and_the_one_time_password_speak_chinese(client, tree):
    """Django 5.2 changed the wording of its too-short message; its own
    Chinese catalogue still has the old one, so ours carries it."""
    from django.urls import reverse

    client.force_login(tree.submitter)
    page = client.get(reverse("password_change_required")).content.decode()
    assert "一次性密码" in page and "旧密码" not in page
    refused = client.post(reverse("password_change_required"),
                          {"old_password": "pw", "new_password1": "Ab1x", "new_password2": "Ab1x"}).content.decode()
    assert "密码太短：至少需要 12 个字符。" in refused and "too short" not in refused
