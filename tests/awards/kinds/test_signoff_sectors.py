"""Sign-offs conditioned on the case's sector, as data of the kind: each
department of a route's sign-offs may be limited to sectors (audit for
state-owned enterprises only, as May Day asks); the case's sector is the
form's sector field, else the applying union's; a case no department
signs off goes on past the sign-offs."""

import copy
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.kinds import cases as case_services
from awards.kinds import services
from awards.kinds.definition import problems_of_kind
from awards.kinds.models import CampaignKind
from awards.kinds.models import KindCaseState as S
from workflows.models import SignoffStatus
from workflows.signoffs.services import current_round
from tests.awards.kinds.test_campaigns_and_cases import _decide
from tests.awards.kinds.test_kinds import editor_post

from .conftest import FIELDS, answers_post, definition

pytestmark = pytest.mark.django_db

SECTOR_FIELD = {"key": "unit_sector", "type": "sector", "label": "所属经济类型", "public": True}
ENTERPRISES = ["state_owned", "collective", "non_public"]
DEPARTMENTS = ["dept-tax", "dept-safety", "dept-audit"]


def _kind_definition(signoffs, *, fields=(*FIELDS, SECTOR_FIELD), steps=("signoffs",)):
    return definition(steps=steps, signoffs=signoffs, fields=list(fields))


@pytest.mark.parametrize("signoffs, fields, words", [
    ([{"department": "dept-audit", "sectors": ["state"]}], None, "dept-audit"),
    ([{"department": "dept-audit", "sectors": []}], None, "dept-audit"),
    ([{"department": "dept-audit", "sectors": ["state_owned", "state_owned"]}], None, "dept-audit"),
    ([{"department": "dept-audit", "sectors": "state_owned"}], None, "dept-audit"),
    ([{"department": "dept-nowhere", "sectors": ["state_owned"]}], None, "dept-nowhere"),
    ([{"sectors": ["state_owned"]}], None, ""),
    ([{"department": "dept-audit", "sectors": ["state_owned"], "when": "x"}], None, "when"),
    (["dept-tax", {"department": "dept-tax", "sectors": ["state_owned"]}], None, "dept-tax"),
    ([["dept-tax"]], None, ""),
])
def test_sign_off_sectors_are_checked_and_named_by_place(signoffs, fields, words):
    problems = problems_of_kind(_kind_definition(signoffs), departments=DEPARTMENTS)
    assert [place for place, _message in problems] == ["route.signoffs"], problems
    assert words in str(problems[0][1])


def test_two_sector_fields_are_refused_at_the_second():
    fields = [*FIELDS, SECTOR_FIELD, {**SECTOR_FIELD, "key": "other_sector"}]
    problems = problems_of_kind(_kind_definition(["dept-tax"], fields=fields), departments=DEPARTMENTS)
    assert [place for place, _message in problems] == [f"fields[{len(fields) - 1}].type"]


def test_plain_codes_mixed_with_sectors_and_no_sector_field_are_sound():
    mixed = ["dept-tax", {"department": "dept-audit", "sectors": ["state_owned"]}]
    assert problems_of_kind(_kind_definition(mixed), departments=DEPARTMENTS) == []
    # Without a sector field the union's sector decides.
    assert problems_of_kind(_kind_definition(mixed, fields=FIELDS), departments=DEPARTMENTS) == []
    assert problems_of_kind(_kind_definition(["dept-tax", "dept-safety"]), departments=DEPARTMENTS) == []


@pytest.fixture
def sector_kind(tree, departments, open_campaign):
    """A campaign whose tax signs off every enterprise case and audit the
    state-owned ones only; `case(sector, organisation)` hands one in and
    has the district approve it."""
    def make(signoffs=(dict(department="dept-tax", sectors=ENTERPRISES),
                       dict(department="dept-audit", sectors=["state_owned"])), *, steps=("signoffs",)):
        version = services.do_create_kind(district=tree.district, code="sector-kind",
                                          definition=_kind_definition(list(signoffs), steps=steps),
                                          actor=tree.admin_d)
        return open_campaign(version)
    return make


@pytest.fixture
def approved(tree, client):
    serial = iter(range(1, 100))

    def hand_in(campaign, sector, organisation=None, submitter=None):
        n = next(serial)
        data = {k.removeprefix("answers-"): v for k, v in answers_post(f"候选人{n}", n).items()
                if k.startswith("answers-")}
        form = case_services.form_class(campaign.offered_versions[0])({**data, "unit_sector": sector})
        assert form.is_valid(), form.errors
        case = case_services.do_create_case(campaign=campaign, organisation=organisation or tree.union_a1,
                                            name=f"候选人{n}", form=form, actor=submitter or tree.submitter,
                                            submit=True)
        return _decide(client, tree.reviewer_d, case, "approve")
    return hand_in


def _asked(client, officer, case):
    """The officer's department has a pending request for the case, and its
    sign-off page (where the engine's decision page sends it) is theirs."""
    client.force_login(officer)
    page = client.get(reverse("kinds:case_signoff", args=[case.pk]))
    pending = {r.department_id for r in current_round(case) if r.status == SignoffStatus.PENDING}
    mine = set(officer.memberships.values_list("organisation_id", flat=True))
    return page.status_code == 200 and 'name="agreed"' in page.content.decode() and bool(pending & mine)


def _agree(client, officer, case):
    client.force_login(officer)
    answer = client.post(reverse("kinds:case_signoff", args=[case.pk]), {"agreed": "1", "comment": ""})
    assert answer.status_code == 302, answer.status_code
    case.refresh_from_db()
    return case


def _seen(client, officer, case):
    client.force_login(officer)
    return client.get(reverse("kinds:case_detail", args=[case.pk])).status_code == 200


def test_a_non_public_case_goes_to_tax_only_a_state_owned_one_to_tax_and_audit(client, tree, departments,
                                                                              sector_kind, approved):
    campaign = sector_kind()
    private, state = approved(campaign, "non_public"), approved(campaign, "state_owned")
    assert private.state == state.state == S.SIGNOFFS
    assert _asked(client, departments["tax"], private) and not _asked(client, departments["audit"], private)
    assert _asked(client, departments["tax"], state) and _asked(client, departments["audit"], state)
    # A department sees the cases it is asked about, not the others of the version.
    assert _seen(client, departments["audit"], state) and not _seen(client, departments["audit"], private)
    assert not _seen(client, departments["safety"], state)
    # Tax alone agreeing moves the non-public case on; the state-owned one waits for audit.
    assert _agree(client, departments["tax"], private).state == S.DECIDING
    assert _agree(client, departments["tax"], state).state == S.SIGNOFFS
    assert _agree(client, departments["audit"], state).state == S.DECIDING


def test_a_case_no_department_signs_off_goes_straight_on(client, tree, departments, sector_kind, approved):
    case = approved(sector_kind(), "institution")
    assert case.state == S.DECIDING
    assert not _asked(client, departments["tax"], case) and not _seen(client, departments["tax"], case)


def test_a_case_no_department_signs_off_goes_on_to_the_notice(client, tree, departments, tree_notice_kind,
                                                               approved):
    case = approved(tree_notice_kind, "organ")
    assert case.state == S.AWAITING_NOTICE
    assert not _seen(client, departments["tax"], case) and not _seen(client, departments["audit"], case)


@pytest.fixture
def tree_notice_kind(tree, departments, open_campaign):
    version = services.do_create_kind(
        district=tree.district, code="sector-notice",
        definition=_kind_definition([{"department": "dept-tax", "sectors": ENTERPRISES}], steps=("signoffs", "notice")),
        actor=tree.admin_d)
    return open_campaign(version)


def test_a_blank_sector_is_the_unions(client, tree, departments, sector_kind, approved):
    campaign = sector_kind()
    # union_a1 is a non-public enterprise's union, union_b1 a hospital's:
    # a blank answer is saved as the union's sector (cases.answers_of).
    private = approved(campaign, "")
    assert private.state == S.SIGNOFFS and private.answers["unit_sector"] == "non_public"
    assert _asked(client, departments["tax"], private) and not _asked(client, departments["audit"], private)
    hospital = approved(campaign, "", tree.union_b1, tree.submitter_b)
    assert hospital.state == S.DECIDING and hospital.answers["unit_sector"] == "institution"
    # The answer, when given, wins over the union's sector.
    state = approved(campaign, "state_owned", tree.union_b1, tree.submitter_b)
    assert _asked(client, departments["audit"], state) and _seen(client, departments["audit"], state)


def test_a_department_of_every_sector_signs_off_every_case(client, tree, departments, sector_kind, approved):
    campaign = sector_kind(["dept-tax", {"department": "dept-audit", "sectors": ["state_owned"]}])
    case = approved(campaign, "institution")
    assert case.state == S.SIGNOFFS
    assert _asked(client, departments["tax"], case) and not _asked(client, departments["audit"], case)


def _sector_post(**changes):
    return editor_post(**{"steps": ["confirm", "notice", "signoffs"], "signoffs": ["dept-tax", "dept-audit"],
                          "signoff_sectors_dept-audit": ["state_owned"], "fields-TOTAL_FORMS": "4",
                          "fields-3-order": "4", "fields-3-key": "unit_sector", "fields-3-type": "sector",
                          "fields-3-label": "所属经济类型", "fields-3-public": "on", **changes})


def _ticked(page, name):
    """The values of the ticked boxes named `name` on `page`."""
    tags = re.findall(r"<input[^>]*>", page)
    return {(re.search(r'value="([^"]*)"', tag) or ["", "on"])[1] for tag in tags
            if f'name="{name}"' in tag and " checked" in tag}


def test_the_editor_saves_and_shows_again_the_sectors(client, tree, departments):
    client.force_login(tree.admin_d)
    response = client.post(reverse("kinds:create"), _sector_post())
    assert response.status_code == 302, response.content.decode()[:3000]
    kind = CampaignKind.objects.get()
    definition = kind.versions.get().definition
    assert definition["route"]["signoffs"] == ["dept-tax", {"department": "dept-audit", "sectors": ["state_owned"]}]
    assert definition["fields"][3] == {"key": "unit_sector", "type": "sector", "label": "所属经济类型",
                                       "required": False, "public": True}
    page = client.get(reverse("kinds:edit", args=[kind.pk])).content.decode()
    assert _ticked(page, "signoffs") == {"dept-tax", "dept-audit"}
    assert _ticked(page, "signoff_sectors_dept-audit") == {"state_owned"}
    assert _ticked(page, "signoff_sectors_dept-tax") == set()
    assert _ticked(page, "fields-3-public") == {"on"} and 'value="sector" selected' in page


def test_the_editor_keeps_the_sectors_typed_when_it_refuses(client, tree, departments):
    client.force_login(tree.admin_d)
    # A sector ticked for a department not chosen; and a bad outcome.
    response = client.post(reverse("kinds:create"), _sector_post(**{"signoff_sectors_dept-safety": ["collective"],
                                                                   "outcomes": "granted|授予|+"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert _ticked(page, "signoff_sectors_dept-safety") == {"collective"}
    assert _ticked(page, "signoff_sectors_dept-audit") == {"state_owned"}
    assert _ticked(page, "signoffs") == {"dept-tax", "dept-audit"}
    assert "应急管理局" in page and "或清除" in page
    assert not CampaignKind.objects.exists()


def test_a_kind_file_carries_the_sectors(client, tree, departments):
    mixed = ["dept-tax", {"department": "dept-audit", "sectors": ["state_owned"]}]
    version = services.do_create_kind(district=tree.district, code="sector-file",
                                      definition=_kind_definition(mixed), actor=tree.admin_d)
    client.force_login(tree.admin_d)
    exported = client.get(reverse("kinds:export", args=[version.kind_id])).content
    assert json.loads(exported)["definition"]["route"]["signoffs"] == mixed
    changed = json.loads(exported)
    changed["code"] = "sector-copy"
    response = client.post(reverse("kinds:import"),
                           {"file": SimpleUploadedFile("k.json", json.dumps(changed).encode())})
    assert response.status_code == 302
    copied = CampaignKind.objects.get(code="sector-copy").versions.get()
    assert copied.definition == version.definition and copied.fingerprint == version.fingerprint
    # A file naming a sector this installation does not know is refused whole.
    bad = copy.deepcopy(changed)
    bad["code"] = "sector-bad"
    bad["definition"]["route"]["signoffs"][1]["sectors"] = ["private"]
    response = client.post(reverse("kinds:import"), {"file": SimpleUploadedFile("k.json", json.dumps(bad).encode())})
    assert response.status_code == 400 and not CampaignKind.objects.filter(code="sector-bad").exists()
