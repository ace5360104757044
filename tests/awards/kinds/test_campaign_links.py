"""From a kind to its campaigns: the kind's page offers to open a campaign
of it (that kind chosen on the form), the list of kinds links the
campaigns. Before, nothing on the kinds' pages led to the campaigns (only
the header's case list did): a clerk who had just set a kind up could not
find where to open a campaign of it (found walking it in the browser)."""

import re

import pytest
from django.urls import reverse

from tests.awards.kinds.conftest import definition
from awards.kinds import services

pytestmark = pytest.mark.django_db


def test_a_kinds_page_opens_a_campaign_of_that_kind(client, tree):
    first = services.do_create_kind(district=tree.district, code="a", definition=definition(title="甲"),
                                    actor=tree.admin_d)
    second = services.do_create_kind(district=tree.district, code="b", definition=definition(title="乙"),
                                     actor=tree.admin_d)
    client.force_login(tree.admin_d)
    page = client.get(reverse("kinds:detail", args=[second.kind_id])).content.decode()
    link = f'{reverse("kinds:campaign_open")}?kind={second.kind_id}'
    assert f'href="{link}"' in page
    form = client.get(link).content.decode()
    assert re.search(rf'<input type="checkbox" name="kinds" value="{second.kind_id}"[^>]* checked>', form)
    assert re.search(rf'<input type="checkbox" name="kinds" value="{first.kind_id}"(?![^>]* checked)[^>]*>', form)
    # Nonsense in the address chooses nothing and breaks nothing.
    assert client.get(f'{reverse("kinds:campaign_open")}?kind=x%00').status_code == 200
    assert reverse("kinds:campaign_list") in client.get(reverse("kinds:list")).content.decode()


def test_the_case_pages_certificate_link_downloads_the_pdf(client, tree, open_campaign):
    """"下载 PDF" saves the file, as the engine's own certificate block does
    (without `download` the browser only showed it)."""
    from awards.kinds.endings import certificates_of
    from tests.awards.kinds.test_endings import _grant, _kind
    from tests.awards.kinds.conftest import hand_in

    campaign = open_campaign(_kind(tree, "cert"))
    case = _grant(tree, hand_in(campaign, organisation=tree.union_a1, submitter=tree.submitter))
    [certificate] = certificates_of(case)
    client.force_login(tree.submitter)
    page = client.get(case.get_absolute_url()).content.decode()
    assert f'href="{reverse("certificate_pdf", args=[certificate.pk])}" download>' in page
