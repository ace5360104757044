"""Kinds of campaign are data: the application's code names no particular
kind (issue 18). Only the tests, the migrations and the demo's seeding may
hold them; the demo ships them as definitions made through the editor's
service."""

import io
import os
from pathlib import Path

from django.core.management import call_command

from awards.kinds.models import CampaignKind, KindCampaign, KindCase

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("优秀工会工作者", "职工书屋", "金秋助学")
# Not the application's code: the tests, the demo's seeding, the virtualenv.
OUTSIDE = {"tests", "demo", ".venv", "node_modules", ".git"}


def test_no_python_file_of_the_application_names_a_kind_of_campaign():
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        # Pruned, not filtered: the virtualenv alone is thousands of files.
        subfolders[:] = [d for d in subfolders if d != "migrations" and not d.startswith(".")
                         and not (Path(folder) == ROOT and d in OUTSIDE)]
        for name in files:
            if name.endswith(".py"):
                path = Path(folder) / name
                text = path.read_text(encoding="utf-8", errors="replace")
                found += [f"{path.relative_to(ROOT)}: {kind}" for kind in NAMES if kind in text]
    assert found == []


def test_the_demo_ships_the_three_kinds_with_campaigns_and_cases_in_several_states(db, settings):
    settings.DEVELOPMENT = True  # seed_demo refuses a production configuration
    call_command("seed_demo", stdout=io.StringIO())
    titles = {k.versions.get().title for k in CampaignKind.objects.all()}
    # The demo's own three, and May Day's three made from the starters (data files too).
    assert titles == {"优秀工会工作者", "职工书屋示范点创建", "金秋助学", "五一劳动奖状", "五一劳动奖章", "工人先锋号"}
    aid = KindCampaign.objects.get(offers__title="金秋助学")
    definition = aid.offered_versions[0].definition
    # The amount asked for is paid, not the family's income (both are money).
    assert definition["ends_in"] == {"certificate": None, "approved_list": False, "payment_list": True,
                                     "payment_field": "amount"}
    assert "notice" not in definition["route"]["steps"]
    assert {f["type"] for f in definition["fields"]} >= {"money", "file"}
    assert set(aid.cases.values_list("state", flat=True)) >= {"granted", "not_granted", "district", "confirming"}
    honour = KindCampaign.objects.get(offers__title="优秀工会工作者")
    assert set(honour.cases.values_list("state", flat=True)) >= {
        "draft", "confirming", "intermediate", "district", "in_notice", "rejected"}
    room = KindCampaign.objects.get(offers__title="职工书屋示范点创建")
    assert room.offered_versions[0].definition["applicant"] == "union" and room.cases.filter(state="in_notice").exists()
    # Its two inspectors score on the district's standard; it ends in a plaque.
    assert room.offered_versions[0].definition["route"]["scoring"] == {"inspectors": 2}
    assert room.offered_versions[0].definition["ends_in"]["certificate"]["layout"] == "plaque"
    assert room.standard_version is not None and room.standard_version.is_in_use
    assert set(room.cases.values_list("state", flat=True)) >= {"in_notice", "scoring", "assigning", "district"}
    for case in room.cases.filter(state="in_notice"):
        assert [i.submitted_at is not None for i in case.inspections.all()] == [True, True]
    half = room.cases.get(state="scoring")
    assert sorted(i.submitted_at is not None for i in half.inspections.all()) == [False, True]
    # Every letter of admission is kept with its case.
    assert all(case.attachment_files.filter(kind="letter").exists() for case in aid.cases.all())

    counts = (CampaignKind.objects.count(), KindCampaign.objects.count(), KindCase.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (CampaignKind.objects.count(), KindCampaign.objects.count(), KindCase.objects.count()) == counts
