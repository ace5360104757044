"""The model-home application's page shows its process map: a return and
resubmission (two rounds in review), the inspection it is in, the named
inspectors holding it."""


from awards.modelhome.declaration import MODEL_HOME
from awards.modelhome.models import AppState as S
from tests.process_map_checks import assert_holders_shown, assert_map, taken_moves
from workflows.steps.decisions import decide

from .conftest import fill, to_inspection


def test_the_application_page_shows_its_map(mh, client):
    application = fill(mh)
    decide(case=application, actor=mh.reviewer_a, decision="return", comment="补充佐证")
    decide(case=application, actor=mh.submitter, decision="resubmit")
    to_inspection(mh, application)
    application.refresh_from_db()

    client.force_login(mh.admin_d)
    page = client.get(application.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    svg = assert_map(html, MODEL_HOME, current=S.INSPECTING,
                     visited={S.DRAFT, S.SUBMITTED, S.RETURNED, S.RECOMMENDED, S.INSPECTING}, rounds={S.SUBMITTED: 2})
    assert (S.RETURNED, S.SUBMITTED) in taken_moves(svg)
    side = assert_holders_shown(html, application)
    assert side.count("<li><strong>") == 2 and "inspector_1" in side and "inspector_2" in side
