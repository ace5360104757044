"""The campaign's and the case's pages and the list of cases: dates,
filters, counts, panels and the closed campaign's tree."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.kinds import cases as case_services
from awards.kinds.models import KindCampaign, KindCase, KindCaseState as S


def test_a_case_keeps_its_first_hand_in_and_its_final_date(tree, make_kind, open_campaign, make_case):
    case = make_case(open_campaign(make_kind()))
    assert case.submitted_at is not None and case.decided_at is None
    case_services.do_withdraw_case(case=case, actor=tree.submitter)
    case = KindCase.objects.get(pk=case.pk)
    assert case.state == S.WITHDRAWN and case.decided_at >= case.submitted_at


def _list(client, query=""):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("kinds:case_list") + query)
    assert response.status_code == 200
    return response.content.decode(), len(ctx)


def test_the_list_filters_by_kind_and_union_in_as_many_queries_for_50_rows_as_for_5(
        tree, make_kind, open_campaign, make_case, client):
    campaign = open_campaign(make_kind())
    other = open_campaign(make_kind(title="另一荣誉"))
    first = make_case(campaign)
    second = make_case(other, organisation=tree.union_b1, submitter=tree.submitter_b)
    client.force_login(tree.admin_d)
    code = campaign.offered_versions[0].kind.code
    page, _n = _list(client, f"?kind={code}")
    assert f">{first.name}<" in page and f">{second.name}<" not in page
    page, _n = _list(client, f"?organisation={tree.union_b1.pk}")
    assert f">{first.name}<" not in page and f">{second.name}<" in page
    assert first.submitted_at.astimezone().strftime("%Y") in _list(client)[0]

    def grow(to):
        rows = [KindCase(campaign=campaign, kind_version=first.kind_version, organisation=tree.union_a1,
                         name=f"批量{n}", created_by=tree.submitter, submitted_at=first.submitted_at)
                for n in range(KindCase.objects.count(), to)]
        KindCase.objects.bulk_create(rows)
        for row in KindCase.objects.filter(name__startswith="批量"):
            KindCase.objects.filter(pk=row.pk).update(state=S.DISTRICT)
    grow(5)
    few = _list(client, "?page_size=50")[1]
    grow(50)
    assert _list(client, "?page_size=50")[1] <= few


def test_the_campaign_page_counts_places_and_notices_flat_in_cases(tree, make_kind, open_campaign, make_case,
                                                                    client):
    campaign = open_campaign(make_kind())
    make_case(campaign)
    client.force_login(tree.admin_d)
    url = reverse("kinds:campaign_detail", args=[campaign.pk])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    few = len(ctx)
    rows = {row["state"]: row["total"] for row in response.context["state_counts"]}
    assert sum(rows.values()) == 1 and [r["organisation"] for r in response.context["quota_rows"]]
    for n in range(2, 6):
        make_case(campaign, organisation=tree.union_b1 if n % 2 else tree.union_a1,
                  submitter=tree.submitter_b if n % 2 else tree.submitter)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert len(ctx) <= few and sum(r["total"] for r in response.context["state_counts"]) == 5


def test_a_closed_campaign_shows_the_tree_as_it_closed(tree, make_kind, open_campaign, client):
    from workflows.models import OrgKind
    from workflows.organisations.tree_changes import do_create_organisation

    campaign = open_campaign(make_kind())
    later = do_create_organisation(name="新区街道总工会", code="xinqu", kind=OrgKind.INTERMEDIATE, sector="",
                                   parent=tree.district, acting_user=tree.admin_d)
    client.force_login(tree.admin_d)
    url = reverse("kinds:campaign_detail", args=[campaign.pk])
    assert later in [row["organisation"] for row in client.get(url).context["quota_rows"]]
    KindCampaign.objects.filter(pk=campaign.pk).update(deadline=datetime.date.today() - datetime.timedelta(days=3))
    shown = [row["organisation"] for row in client.get(url).context["quota_rows"]]
    assert later not in shown


def test_the_case_page_shows_the_engine_panels(tree, make_kind, open_campaign, make_case, client):
    case = make_case(open_campaign(make_kind()))
    client.force_login(tree.admin_d)
    page = client.get(reverse("kinds:case_detail", args=[case.pk]))
    assert "deadlines" in page.context and "reassignable_tasks" in page.context
    assert reverse("task_reassign", args=[page.context["reassignable_tasks"][0].pk]) in page.content.decode()
