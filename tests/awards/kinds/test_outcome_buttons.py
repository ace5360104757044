"""The final decision's buttons say the outcomes the district named for the
kind (授予, 不予授予), on the decision page and on its confirmation, not
the slots they fill ("结果 1")."""

import re

from django.urls import reverse

from awards.kinds.models import KindCaseState as S
from workflows.steps.decisions import decide


def _button_labels(page):
    return dict(re.findall(r'<button[^>]*name="decision" value="(outcome_\d)"[^>]*>([^<]*)</button>', page))


def test_the_buttons_and_the_confirmation_name_the_outcomes(client, tree, make_kind, open_campaign, make_case):
    campaign = open_campaign(make_kind(steps=()))
    case = make_case(campaign)
    decide(case=case, actor=tree.reviewer_d, decision="approve")
    case.refresh_from_db()
    assert case.state == S.DECIDING
    client.force_login(tree.admin_d)
    url = reverse("kinds:case_decide", args=[case.pk])
    page = client.get(url).content.decode()
    assert _button_labels(page) == {"outcome_1": "授予", "outcome_2": "不予授予"}
    assert "结果 1" not in page
    confirmation = client.post(url, {"decision": "outcome_2", "version": case.version}).content.decode()
    assert 'name="confirmed" value="1"' in confirmation
    assert "确定：不予授予" in confirmation and "结果 2" not in confirmation
    done = client.post(url, {"decision": "outcome_2", "version": case.version, "confirmed": "1"}, follow=True)
    case.refresh_from_db()
    assert case.state == S.NOT_GRANTED and case.outcome == "refused"
    assert "不予授予" in done.content.decode()


def test_the_api_names_the_outcomes_as_the_page_does(tree, make_kind, open_campaign, make_case):
    from tests.awards.kinds.test_api_and_search import api_case, bearer

    case = make_case(open_campaign(make_kind(steps=())))
    decide(case=case, actor=tree.reviewer_d, decision="approve")
    data = bearer(tree.admin_d).get(api_case(case)).json()
    # The outcomes by their names, and the return the final decision also offers.
    assert {d["code"]: d["label"] for d in data["decisions"]} == {"outcome_1": "授予", "outcome_2": "不予授予",
                                                                  "return": "退回修改"}
