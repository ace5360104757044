"""The model-home demo (every state, a disagreement, a title revoked after
re-inspection; safe to run twice) and the two commands on it."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook
from pypdf import PdfReader

from demo.modelhome import seed_model_home
from awards.modelhome.models import Application, AppState, Title, TitleStatus


@pytest.fixture
def demo(db):
    from demo.management.commands.seed_demo import Command

    seed = Command()
    seed.make_users(seed.make_orgs())
    return seed_model_home()


def test_demo_holds_every_state_a_disagreement_and_a_revoked_title(demo):
    states = set(Application.objects.filter(campaign=demo).values_list("state", flat=True))
    # Every state of a first application in 2024; a re-inspection awaiting its decision in 2022.
    assert states == set(AppState.values) - {AppState.REINSPECTED}
    assert Application.objects.filter(state=AppState.REINSPECTED, kind="reinspection").exists()
    assert Application.objects.filter(campaign=demo, disagreement=True).exists()
    revoked = Title.objects.get(status=TitleStatus.REVOKED)
    assert revoked.certificate.revoked_reason == "摘牌" and revoked.reinspections.get().state == AppState.NOT_GRANTED
    count = Application.objects.count()
    assert seed_model_home() == demo and Application.objects.count() == count


def test_print_certificates_and_export_titles_on_the_demo(demo, tmp_path):
    pdf = tmp_path / "plaques.pdf"
    call_command("print_certificates", campaign="model-home-2024", output=str(pdf), no_progress=True,
                 processes=1, stdout=io.StringIO())
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 3
    text = "".join(page.extract_text() for page in reader.pages)
    assert "模范职工之家" in text and "模范职工小家" in text and "合格职工之家" in text
    assert "区模家〔2024〕第001号" in text

    xlsx = tmp_path / "titles.xlsx"
    call_command("export_titles", format="xlsx", output=str(xlsx), stdout=io.StringIO())
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert len(rows) == 1 + Title.objects.count()
    assert "已摘牌" in {row[6] for row in rows[1:]}

    with pytest.raises(CommandError):
        call_command("print_certificates", campaign="no-such", output=str(pdf), no_progress=True)
