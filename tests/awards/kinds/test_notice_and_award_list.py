"""A campaign of kinds' notice and award list (docs/mayday-as-kinds.md P4,
P5, P7): the preview before publishing with the official title, rows by
kind; the printed notice for the district only; the award list page by
kind with certificate numbers, scoped, flat in queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.kinds.models import KindCaseState as S
from awards.kinds.notices import do_publish_notice
from tests.awards.kinds.test_multikind import _case, _grant, _kinds, _open
from workflows.models import NoticeEntry, PublicNotice
from workflows.steps.decisions import decide

pytestmark = pytest.mark.django_db


def test_the_preview_shows_the_rows_by_kind_and_publishing_needs_the_confirmation(client, tree):
    unit, medal = _kinds(tree, steps=("notice",))
    campaign = _open(tree, unit, medal)
    for n, version in ((1, medal), (2, unit)):
        decide(case=_case(campaign, version, tree, n), actor=tree.reviewer_d, decision="approve")
    url = reverse("kinds:campaign_notice", args=[campaign.pk])
    client.force_login(tree.admin_d)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"关于{campaign.title}推荐对象的公示" in page and "评选类别" in page
    assert page.index("五一劳动奖状") < page.index("五一劳动奖章")  # the campaign's order of kinds
    assert not PublicNotice.objects.exists()
    client.post(url)  # not confirmed: still the preview
    assert not PublicNotice.objects.exists()
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    notice = PublicNotice.objects.get()
    assert notice.title == f"关于{campaign.title}推荐对象的公示"
    assert [e.published["评选类别"] for e in notice.entries.order_by("position")] == ["五一劳动奖状", "五一劳动奖章"]
    # The public page shows the labels as published.
    public = client.get(reverse("notice_detail", args=[notice.pk])).content.decode()
    assert "评选类别" in public and "五一劳动奖章" in public
    # A later batch says so.
    decide(case=_case(campaign, unit, tree, 3), actor=tree.reviewer_d, decision="approve")
    second = do_publish_notice(campaign=campaign, actor=tree.admin_d)
    assert second.title.endswith("（第二批）")


def test_the_printed_notice_is_the_districts_only(client, tree):
    unit, medal = _kinds(tree, steps=("notice",))
    campaign = _open(tree, unit, medal)
    decide(case=_case(campaign, medal, tree, 1), actor=tree.reviewer_d, decision="approve")
    do_publish_notice(campaign=campaign, actor=tree.admin_d)
    url = reverse("kinds:notice_pdf", args=[campaign.pk])
    client.force_login(tree.submitter)
    assert client.get(url).status_code == 403
    client.force_login(tree.admin_d)
    assert url in client.get(reverse("kinds:campaign_detail", args=[campaign.pk])).content.decode()
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert NoticeEntry.objects.count() == 1


def _award_page(client, campaign):
    return client.get(reverse("kinds:award_list", args=[campaign.pk]))


def test_the_award_list_shows_certificate_numbers_by_kind_scoped_and_flat(client, tree,
                                                                           django_capture_on_commit_callbacks):
    unit, medal = _kinds(tree)
    campaign = _open(tree, unit, medal)
    with django_capture_on_commit_callbacks(execute=True):
        mine = _grant(tree, _case(campaign, medal, tree, 1))
        theirs = _grant(tree, _case(campaign, unit, tree, 2, organisation=tree.union_b1,
                                    submitter=tree.submitter_b))
    assert mine.state == S.GRANTED and theirs.state == S.GRANTED, theirs.state
    client.force_login(tree.admin_d)
    page = _award_page(client, campaign).content.decode()
    assert mine.name in page and theirs.name in page and "JC2026-001" in page and "JZ2026-002" in page
    assert page.index("五一劳动奖状") < page.index("五一劳动奖章")
    client.force_login(tree.submitter)  # their own union's rows only
    page = _award_page(client, campaign).content.decode()
    assert mine.name in page and theirs.name not in page

    client.force_login(tree.admin_d)
    with CaptureQueriesContext(connection) as few:
        _award_page(client, campaign)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3, 8):
            _grant(tree, _case(campaign, medal, tree, n))
    with CaptureQueriesContext(connection) as more:
        assert _award_page(client, campaign).content.decode().count('data-label="证书编号">J') == 7
    assert len(more) == len(few)
    # The approved list's Excel has the numbers too.
    import io

    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(client.get(reverse("kinds:approved_list", args=[campaign.pk, "xlsx"])).content))
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert "JC2026-007" in cells and "JZ2026-002" in cells
