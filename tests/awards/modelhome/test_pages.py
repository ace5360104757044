"""The route through the pages, as each person clicks it, and the pages'
query counts at two sizes."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.modelhome.models import Application, AppState, Title
from workflows.models import PublicNotice
from workflows.notices.services import close_notice

from .conftest import fill, score, to_inspection


def _sheet_post(application, scale, action="submit"):
    data = {"action": action, "comment": "现场查看台账"}
    for item in application.campaign.standard_version.ordered_items():
        if item.kind == "veto":
            data[f"veto_{item.pk}"] = "no"
        else:
            data[f"score_{item.pk}"] = f"{(item.max_points * scale if item.kind == 'scored' else 0):f}"
            data[f"evidence_{item.pk}"] = ""
    return data


def test_the_route_through_the_pages(mh, client):
    application = fill(mh)
    client.force_login(mh.reviewer_a)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "上级工会推荐意见" in page
    client.post(reverse("modelhome:application_review", args=[application.pk]),
                {"decision": "recommend", "comment": "同意推荐", "version": application.version})
    application.refresh_from_db()
    assert application.state == AppState.RECOMMENDED

    client.force_login(mh.admin_d)
    page = client.get(reverse("modelhome:assign", args=[application.pk])).content.decode()
    assert "inspector_1" in page
    client.post(reverse("modelhome:assign", args=[application.pk]),
                {"inspectors": [mh.inspector_1.pk], "version": application.version})
    application.refresh_from_db()
    assert application.state == AppState.RECOMMENDED  # one inspector is not enough
    client.post(reverse("modelhome:assign", args=[application.pk]),
                {"inspectors": [mh.inspector_1.pk, mh.inspector_2.pk], "version": application.version})
    application.refresh_from_db()
    assert application.state == AppState.INSPECTING

    for inspector, scale in ((mh.inspector_1, Decimal("0.9")), (mh.inspector_2, Decimal("1"))):
        client.force_login(inspector)
        page = client.get(reverse("modelhome:inspection_edit", args=[application.pk])).content.decode()
        assert 'name="viewport"' in page and "js/score-totals.js" in page and "sheet.css" in page
        client.post(reverse("modelhome:inspection_edit", args=[application.pk]), _sheet_post(application, scale))
    application.refresh_from_db()
    assert application.state == AppState.SCORED and application.inspected_total == Decimal("95.00")
    assert application.disagreement  # 90 and 100 differ by more than 5

    client.force_login(mh.admin_d)
    page = client.get(reverse("modelhome:compare", args=[application.pk])).content.decode()
    assert "inspector_1" in page and "inspector_2" in page and "95.00" in page and "考核分歧" in page
    confirm = client.post(reverse("modelhome:notice_open", args=[mh.campaign.code]))
    assert confirm.status_code == 200 and not PublicNotice.objects.exists()
    client.post(reverse("modelhome:notice_open", args=[mh.campaign.code]), {"confirmed": "yes"})
    notice = PublicNotice.objects.get()
    close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
    application.refresh_from_db()
    assert application.state == AppState.NOTICE_PASSED

    url = reverse("modelhome:decide", args=[application.pk])
    page = client.post(url, {"decision": "model", "comment": "", "version": application.version}).content.decode()
    assert "确认决定" in page and 'name="confirmed" value="1"' in page
    application.refresh_from_db()
    assert application.state == AppState.NOTICE_PASSED
    client.post(url, {"decision": "model", "comment": "", "version": application.version, "confirmed": "1"})
    application.refresh_from_db()
    assert application.state == AppState.GRANTED and Title.objects.filter(application=application).exists()


def test_an_inspectors_bad_entry_is_kept_and_refused(mh, client):
    application = to_inspection(mh, fill(mh))
    client.force_login(mh.inspector_1)
    data = _sheet_post(application, Decimal("1"))
    item = application.campaign.standard_version.ordered_items().get(code="5.1")
    data[f"score_{item.pk}"] = "6"
    page = client.post(reverse("modelhome:inspection_edit", args=[application.pk]), data).content.decode()
    assert "5.1" in page and 'value="6"' in page
    assert not application.inspections.get(inspector=mh.inspector_1).scores.exists()


def test_a_nul_in_the_inspectors_comment_is_dropped(mh, client):
    """Found by the form fuzzer on PostgreSQL, which refuses a NUL: a 500."""
    application = to_inspection(mh, fill(mh))
    client.force_login(mh.inspector_1)
    data = {**_sheet_post(application, Decimal("1"), action="draft"), "comment": "台账\x00齐全"}
    response = client.post(reverse("modelhome:inspection_edit", args=[application.pk]), data)
    assert response.status_code in (200, 302)
    assert application.inspections.get(inspector=mh.inspector_1).comment == "台账齐全"


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_query_counts_do_not_grow_with_rows(mh, client, django_user_model):
    from tests.conftest import make_org, make_user
    from workflows.models import OrgKind

    def add_units(n, start):
        for i in range(start, start + n):
            org = make_org(f"单位{i}工会", f"unit-{i}", OrgKind.GRASSROOTS, mh.town_a)
            application = fill(mh, org=org, submitter=make_user(f"s{i}", (org, "submitter")))
            to_inspection(mh, application)
            score(mh, application, mh.inspector_1)

    add_units(1, 0)
    client.force_login(mh.admin_d)
    urls = [reverse("modelhome:application_list"), reverse("modelhome:campaign_detail", args=[mh.campaign.code]),
            reverse("modelhome:register"), reverse("modelhome:index")]
    small = [_count(client, u) for u in urls]
    add_units(3, 1)
    large = [_count(client, u) for u in urls]
    assert small == large
    app = Application.objects.first()
    client.force_login(mh.inspector_1)
    assert _count(client, reverse("modelhome:inspection_edit", args=[app.pk])) < 40
