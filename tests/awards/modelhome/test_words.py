"""Model-home wording: a re-inspection that revokes the title reads 摘牌 in
the application's history (a standards sheet's words are the engine's:
tests/workflows/test_scoring_standards.py)."""

import re
from decimal import Decimal

from django.urls import reverse

from workflows.steps.decisions import decide

from .test_titles import granted, reinspect


def test_a_revocation_reads_zhaipai_in_the_application_history(mh, client, pdf_renders):
    title = granted(mh)
    case = reinspect(mh, title, Decimal("0.6"))
    decide(case=case, actor=mh.admin_d, decision="revoke", comment="复查不合格")
    client.force_login(mh.admin_d)
    page = client.get(case.get_absolute_url()).content.decode()
    history = page[page.index("<h2>操作记录</h2>"):]
    acts = re.findall(r'data-label="操作">([^<]*)</td>', history)
    assert "摘牌" in acts and "未予命名" not in acts  # the act is not told as "not granted"


def test_the_review_form_labels_its_decision_in_chinese(mh, client):
    from .conftest import fill

    application = fill(mh)
    client.force_login(mh.reviewer_a)
    page = client.get(application.get_absolute_url()).content.decode()
    # The decision itself is taken on the engine's decision page: its buttons
    # and labels are the declaration's, in Chinese.
    assert "Decision" not in page


def test_the_certificate_filter_names_a_model_home_campaign_by_its_title(mh, client, pdf_renders):
    title = granted(mh)
    client.force_login(mh.admin_d)
    page = client.get(reverse("certificate_list")).content.decode()
    select = page[page.index('<select name="series">'):page.index("</select>", page.index('<select name="series">'))]
    assert title.certificate.series == mh.campaign.code
    assert f'value="{mh.campaign.code}"' in select and f">{mh.campaign.title}<" in select
