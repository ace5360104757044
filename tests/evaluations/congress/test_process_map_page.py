"""The report's page shows its process map: returned at the check and
handed in again (two rounds), checked, the district's reviewers holding
the review."""


from evaluations.congress import services
from evaluations.congress.declaration import REPORT_PROCESS
from evaluations.congress.models import Report
from evaluations.congress.models import ReportState as S
from tests.process_map_checks import assert_holders_shown, assert_map, taken_moves
from workflows.steps.decisions import decide


def test_the_report_page_shows_its_map(client, tree, open_period, expense_data):
    report = Report.objects.get(period=open_period(), organisation=tree.union_a1)
    services.do_save_report_draft(report=report, data=expense_data(), actor=tree.submitter)
    services.do_submit_report(report=report, actor=tree.submitter)
    decide(case=report, actor=tree.reviewer_a, decision="return", comment="补充明细")
    decide(case=report, actor=tree.submitter, decision="resubmit")
    services.do_decide_report(report=report, decision="forward", comment="材料齐全", actor=tree.reviewer_a)
    report.refresh_from_db()

    client.force_login(tree.reviewer_d)
    page = client.get(report.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    svg = assert_map(html, REPORT_PROCESS, current=S.CHECKED,
                     visited={S.DRAFT, S.SUBMITTED, S.RETURNED, S.CHECKED}, rounds={S.SUBMITTED: 2, S.CHECKED: 1})
    assert taken_moves(svg) == {(S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.RETURNED), (S.RETURNED, S.SUBMITTED),
                                (S.SUBMITTED, S.CHECKED)}
    side = assert_holders_shown(html, report)
    assert tree.district.name in side
