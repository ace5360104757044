"""A report's status badge is a state: 已提交, not the verb 提交; the date
column is 提交时间."""

import re

import pytest
from django.urls import reverse

from evaluations.congress import services
from evaluations.congress.models import Report

pytestmark = pytest.mark.django_db


def test_a_submitted_report_reads_yitijiao(client, tree, open_period, expense_data):
    report = Report.objects.get(period=open_period(), organisation=tree.union_a1)
    services.do_save_report_draft(report=report, data=expense_data(), actor=tree.submitter)
    services.do_submit_report(report=report, actor=tree.submitter)
    client.force_login(tree.submitter)
    page = client.get(reverse("congress:report_list")).content.decode()
    assert re.search(r'<span class="badge submitted">已提交</span>', page)
    assert "<th>提交时间</th>" in page and ">提交<" not in page
