"""workflows.scoring.pages and .remedies through the toy's inspectors'
pages (tests/engine/toy/views.py, services in toy/scoring.py): the
district names inspectors; each fills their own sheet; the district asks
one to score again or adds one. A refused post comes back (400) with the
reason and what was chosen or typed, nothing saved; an inspector not
assigned to the case gets 404."""

from decimal import Decimal

import pytest
from django.conf import settings

from tests.conftest import make_user
from tests.engine.toy.models import ToyCase, ToyInspection, ToyScore
from workflows.audit import history_of
from workflows.models import ItemKind, Standard, StandardItem, StandardSection, StandardVersion


@pytest.fixture
def standard(people):
    version = StandardVersion.objects.create(
        standard=Standard.objects.create(code="toy-std", name="Toy standard", district=people.district), number=1)
    section = StandardSection.objects.create(version=version, position=1, title="Safety")
    items = [
        StandardItem.objects.create(section=section, position=1, code="1.1", text="Fire drills held",
                                    max_points=Decimal("60")),
        StandardItem.objects.create(section=section, position=2, code="1.2", text="Records kept",
                                    max_points=Decimal("40")),
        StandardItem.objects.create(section=section, position=3, code="1.3", text="A fatal accident",
                                    kind=ItemKind.VETO),
    ]
    return version, items


@pytest.fixture
def staff(people):
    """Inspectors of the district (the candidates) and one who is not."""
    people.insp_a = make_user("insp_a", (people.district, "inspector"))
    people.insp_b = make_user("insp_b", (people.district, "inspector"))
    people.insp_c = make_user("insp_c", (people.district, "inspector"))
    return people


@pytest.fixture
def case(people):
    return ToyCase.objects.create(title="甲一厂申请", organisation=people.unit, created_by=people.submitter)


def _client(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _assign_url(case, standard):
    return f"/toy/{case.pk}/inspectors/{standard[0].pk}/"


# The assign page ------------------------------------------------------------

def test_the_assign_page_lists_the_districts_inspectors(client, staff, case, standard):
    response = _client(client, staff.admin).get(_assign_url(case, standard))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Name two or more inspectors." in page
    assert all(name in page for name in ("insp_a", "insp_b", "insp_c"))
    assert "inspector1" not in page  # named on the toy's fan-out, no role at the district


def test_assigning_gives_each_inspector_a_sheet(client, staff, case, standard):
    response = _client(client, staff.admin).post(
        _assign_url(case, standard), {"inspectors": [staff.insp_a.pk, staff.insp_b.pk], "version": case.version})
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert set(case.inspections.values_list("inspector__username", flat=True)) == {"insp_a", "insp_b"}
    entry = history_of(case).get(action="toy.inspectors.assigned")
    assert entry.actor == staff.admin and entry.data == {"inspectors": ["insp_a", "insp_b"]}
    page = client.get("/toy/").content.decode()  # the next page shows the message
    assert "Inspectors assigned; each has their own scoring task." in page


def test_a_refused_assignment_is_400_with_the_reason_and_the_choice_kept(client, staff, case, standard):
    response = _client(client, staff.admin).post(
        _assign_url(case, standard), {"inspectors": [staff.insp_b.pk], "version": case.version})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Name two or more inspectors." in page
    assert "Nothing was saved: correct what is marked below." in page
    # The choice made is ticked again.
    assert "checked" in page.split(f'value="{staff.insp_b.pk}"')[1].split(">")[0]
    assert "checked" not in page.split(f'value="{staff.insp_a.pk}"')[1].split(">")[0]
    assert not ToyInspection.objects.exists()
    assert not history_of(case).exists()


def test_an_invalid_choice_is_400(client, staff, case, standard):
    response = _client(client, staff.admin).post(
        _assign_url(case, standard), {"inspectors": [staff.inspector1.pk, staff.insp_a.pk],
                                      "version": case.version})
    assert response.status_code == 400
    assert not ToyInspection.objects.exists()


# The sheet page ---------------------------------------------------------------

@pytest.fixture
def assigned(client, staff, case, standard):
    from tests.engine.toy import scoring

    scoring.assign(case=case, actor=staff.admin, inspectors=[staff.insp_a, staff.insp_b],
                   standard_version=standard[0], version=case.version)
    return case


def _sheet(items, one="50", two="30", veto="no", action="save", comment="On site 7 Dec"):
    return {"action": action, "comment": comment, f"score_{items[0].pk}": one, f"score_{items[1].pk}": two,
            f"veto_{items[2].pk}": veto}


def test_an_inspector_saves_then_submits_their_own_sheet(client, staff, assigned, standard):
    _, items = standard
    url = f"/toy/{assigned.pk}/score/"
    c = _client(client, staff.insp_a)
    page = c.get(url).content.decode()
    assert "Fire drills held" in page and "Records kept" in page
    assert c.post(url, _sheet(items, two="")).status_code == 302
    mine = ToyInspection.objects.get(case=assigned, inspector=staff.insp_a)
    assert {s.item.code: s.score for s in mine.scores.all()} == {"1.1": Decimal("50"), "1.2": None, "1.3": None}
    assert mine.submitted_at is None and "Scores saved." in c.get(url).content.decode()

    assert c.post(url, _sheet(items, action="submit")).status_code == 302
    mine.refresh_from_db()
    assert mine.is_submitted and mine.total == Decimal("80") and mine.comment == "On site 7 Dec"
    assert list(history_of(assigned).filter(actor=staff.insp_a).values_list("action", flat=True)) == [
        "toy.scores.saved", "toy.scores.submitted"]
    # Once submitted the sheet is shown locked; a further post changes nothing.
    assert c.post(url, _sheet(items, one="10", action="submit")).status_code == 200
    assert ToyScore.objects.get(inspection=mine, item=items[0]).score == Decimal("50")


def test_a_refused_submission_is_400_naming_the_item_with_what_was_typed(client, staff, assigned, standard):
    _, items = standard
    url = f"/toy/{assigned.pk}/score/"
    response = _client(client, staff.insp_a).post(url, _sheet(items, one="75", action="submit",
                                                              comment="typed remark"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "“1.1 Fire drills held”: 75.00 points is more than its 60.00." in page
    assert "Not submitted, nothing saved:" in page
    assert 'value="75"' in page and "typed remark" in page
    assert not ToyScore.objects.exists()
    assert not ToyInspection.objects.filter(submitted_at__isnull=False).exists()
    assert not history_of(assigned).filter(actor=staff.insp_a).exists()


def test_a_score_that_is_no_number_is_400_with_the_text_typed(client, staff, assigned, standard):
    _, items = standard
    response = _client(client, staff.insp_a).post(f"/toy/{assigned.pk}/score/", _sheet(items, one="fifty"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "“1.1”: write a number of points, e.g. 3 or 2.5." in page and 'value="fifty"' in page
    assert not ToyScore.objects.exists()


def test_an_inspector_not_assigned_gets_404(client, staff, assigned, standard):
    _, items = standard
    c = _client(client, staff.insp_c)
    url = f"/toy/{assigned.pk}/score/"
    assert c.get(url).status_code == 404
    assert c.post(url, _sheet(items, action="submit")).status_code == 404
    assert not ToyScore.objects.exists()


def test_someone_who_sees_the_case_but_holds_no_sheet_gets_404(client, staff, assigned):
    assert _client(client, staff.reviewer).get(f"/toy/{assigned.pk}/score/").status_code == 404


# The remedies -----------------------------------------------------------------

@pytest.fixture
def submitted(assigned, staff, standard):
    from tests.engine.toy import scoring

    _, items = standard
    for inspector, one in ((staff.insp_a, "50"), (staff.insp_b, "20")):
        inspection = ToyInspection.objects.get(case=assigned, inspector=inspector)
        scoring.save(inspection=inspection, actor=inspector, comment="", submit=True, answers={
            items[0].pk: {"score": Decimal(one)}, items[1].pk: {"score": Decimal("10")},
            items[2].pk: {"veto": False}})
    return assigned


def test_a_rescore_sends_the_inspector_back(client, staff, submitted):
    inspection = ToyInspection.objects.get(case=submitted, inspector=staff.insp_b)
    url = f"/toy/{submitted.pk}/remedies/"
    c = _client(client, staff.admin)
    response = c.post(url, {"remedy": "rescore", "rescore-inspection": inspection.pk,
                            "rescore-reason": "30 points apart", "rescore-version": submitted.version})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert not inspection.is_submitted
    entry = history_of(submitted).get(action="toy.inspectors.rescore")
    assert entry.comment == "30 points apart" and entry.data == {"inspector": "insp_b"}
    assert "Sent back to the inspectors&#x27; step: the inspector has a scoring task." in c.get(url).content.decode()


def test_a_third_inspector_is_added(client, staff, submitted):
    url = f"/toy/{submitted.pk}/remedies/"
    response = _client(client, staff.admin).post(url, {
        "remedy": "third", "third-inspector": staff.insp_c.pk, "third-reason": "A third view",
        "third-version": submitted.version})
    assert response.status_code == 302
    assert ToyInspection.objects.filter(case=submitted, inspector=staff.insp_c, submitted_at=None).exists()
    # The third inspector now reaches the sheet.
    client.force_login(staff.insp_c)
    assert client.get(f"/toy/{submitted.pk}/score/").status_code == 200


def test_a_remedy_without_a_reason_is_refused_and_kept(client, staff, submitted):
    inspection = ToyInspection.objects.get(case=submitted, inspector=staff.insp_b)
    response = _client(client, staff.admin).post(f"/toy/{submitted.pk}/remedies/", {
        "remedy": "rescore", "rescore-inspection": inspection.pk, "rescore-reason": "",
        "rescore-version": submitted.version})
    page = response.content.decode()
    assert "Please correct the errors below; nothing was saved." in page
    assert f'<option value="{inspection.pk}" selected>' in page
    assert ToyInspection.objects.get(pk=inspection.pk).is_submitted
    assert not history_of(submitted).filter(action__startswith="toy.inspectors.re").exists()


def test_a_remedy_the_service_refuses_is_said_with_what_was_typed(client, staff, submitted):
    """The form accepts the choice; the service refuses it (RuleViolation):
    its words are said, the forms drawn again with what was typed."""
    before = history_of(submitted).count()
    response = _client(client, staff.admin).post(f"/toy/{submitted.pk}/remedies/", {
        "remedy": "third", "third-inspector": staff.insp_a.pk, "third-reason": "typed reason",
        "third-version": submitted.version})
    assert response.status_code == 200
    page = response.content.decode()
    assert "insp_a already inspects this case." in page and "typed reason" in page
    assert ToyInspection.objects.filter(case=submitted).count() == 2
    assert history_of(submitted).count() == before


def test_the_remedies_are_not_found_for_anyone_but_the_district_administrator(client, staff, submitted):
    for user in (staff.reviewer, staff.insp_a, staff.insp_c):
        assert _client(client, user).post(f"/toy/{submitted.pk}/remedies/", {
            "remedy": "third", "third-inspector": staff.insp_c.pk, "third-reason": "x",
            "third-version": submitted.version}).status_code == 404
    assert not ToyInspection.objects.filter(inspector=staff.insp_c).exists()


def test_an_empty_post_is_refused_as_a_post(client, staff, case, standard):
    """A post carrying nothing (no tick, no version) is a refused post
    like any other: 400, the form's errors shown, nothing saved."""
    response = _client(client, staff.admin).post(_assign_url(case, standard), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ToyInspection.objects.exists()
