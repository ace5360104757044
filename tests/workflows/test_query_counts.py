"""Constant-cost pages: each page answers with the same number of SQL
queries at 10 cases as at 200. The cases are built through the
services, so tasks, audit entries and notices are the real ones."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.mayday import services
from awards.mayday.models import Quota
from awards.mayday.notices import campaign_notice_open
from tests.conftest import valid_id_number

SMALL, LARGE = 10, 200


class Scale:
    """Grows the campaign's cases in thirds: waiting for the chair, waiting
    for the district reviewer, on a public notice."""

    def __init__(self, tree, campaign, make_nomination):
        self.tree, self.campaign, self.make = tree, campaign, make_nomination
        self.count = 0
        self.notice = None
        Quota.objects.filter(campaign=campaign).update(count=10_000)

    def grow_to(self, total):
        tree = self.tree
        at_district, for_notice = [], []
        while self.count < total:
            self.count += 1
            nomination = self.make(
                nominee_name=f"候选人{self.count:04d}", id_number=valid_id_number(f"1101011985030{self.count:04d}")
            )
            share = self.count % 3
            if share:
                services.nomination_approve(nomination=nomination, actor=tree.chair)
                services.nomination_approve(nomination=nomination, actor=tree.reviewer_a)
                (at_district if share == 1 else for_notice).append(nomination)
        for nomination in for_notice:
            services.nomination_approve(nomination=nomination, actor=tree.reviewer_d)
        self.notice = campaign_notice_open(campaign=self.campaign, actor=tree.admin_d, nominations=for_notice)
        self.nomination = at_district[-1]
        self._grow_rules_and_shares(total)

    def _grow_rules_and_shares(self, total):
        """The campaign page lists quota shares and mix rules: more of
        each at the larger size."""
        from awards.quotas import mix_rule_create, quota_share

        tree, wanted = self.tree, 2 if total <= SMALL else 6
        # Shares of the unit and team awards only: the individual nominations
        # above come from union_a1 and must keep their room.
        targets = [(org, kind) for kind in ("unit", "team") for org in (tree.union_a1, tree.union_a2, tree.union_b1)]
        for org, kind in targets[Quota.objects.filter(campaign=self.campaign, parent__isnull=False).count():wanted]:
            quota_share(campaign=self.campaign, organisation=org, kind=kind, count=1, actor=tree.admin_d)
        for i in range(self.campaign_rules(), wanted):
            mix_rule_create(campaign=self.campaign, field="candidate_category", values=["front_line"],
                            comparison="min", percent=10 + i, actor=tree.admin_d, label=f"rule {i}")

    def campaign_rules(self):
        from workflows.mixrules import rules_of

        return rules_of(self.campaign).count()


def count_queries(client, url):
    client.get(url)  # warm the per-process caches (content types, roles)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def pages(scale):
    tree, code = scale.tree, scale.campaign.code
    return {
        "inbox, district reviewer": (tree.reviewer_d, "/inbox/"),
        "inbox search, district reviewer": (tree.reviewer_d, "/inbox/?q=候选人"),
        "inbox, chair": (tree.chair, "/inbox/"),
        "inbox search, chair": (tree.chair, "/inbox/?q=甲一"),
        "nominations list": (tree.admin_d, "/awards/nominations/"),
        "nominations list, reviewer": (tree.reviewer_a, "/awards/nominations/"),
        "nomination page": (tree.reviewer_d, f"/awards/nominations/{scale.nomination.pk}/"),
        "campaign page": (tree.admin_d, f"/awards/campaigns/{code}/"),
        "public notice list": (None, "/notices/"),
        "public notice": (None, f"/notices/{scale.notice.pk}/"),
        "public notice, page 2": (None, f"/notices/{scale.notice.pk}/?page=2"),
        "home": (None, "/"),
    }


def measure(client, scale):
    counts = {}
    for name, (user, url) in pages(scale).items():
        client.logout()
        if user is not None:
            client.force_login(user)
        if name == "public notice, page 2" and scale.count < 100:
            url = url.replace("page=2", "page=1")
        counts[name] = count_queries(client, url)
    return counts


@pytest.mark.django_db
def test_pages_cost_the_same_at_10_and_200_cases(client, tree, campaign, make_nomination, capsys):
    scale = Scale(tree, campaign, make_nomination)
    scale.grow_to(SMALL)
    small = measure(client, scale)
    scale.grow_to(LARGE)
    large = measure(client, scale)
    with capsys.disabled():
        print(f"\n{'page':36} {SMALL:>6} {LARGE:>6}")
        for name in small:
            print(f"{name:36} {small[name]:>6} {large[name]:>6}")
    assert large == small
