"""Titles held for a term (workflows.titles, workflows.models.titles) on the
toy's ToyTitle (tests/engine/toy/titles.py): a grant with its certificate,
a re-inspection's keep, downgrade and revoke (摘牌), expiry by the daily job
(`manage.py expire_titles`), re-inspections opened in bulk, and the
register's export (`manage.py export_titles`)."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import make_org, make_user
from tests.engine.toy import titles as toy_titles
from tests.engine.toy.models import ToyCase, ToyRound, ToyState, ToyTitle
from workflows.audit import history_of
from workflows.exceptions import AlreadyHandled, NotAllowed
from workflows.models import CertificateStatus, Grade, Notification, OrgKind, TitleStatus
from workflows.scheduling import daily_jobs
from workflows.titles import add_years, due_titles, registered


@pytest.fixture
def toy_round(people):
    return ToyRound.objects.create(code="toy-2026", year=2026, title="Toy round", district=people.district,
                                   submission_deadline=timezone.now() + datetime.timedelta(days=30))


@pytest.fixture
def granted(people, toy_round):
    return toy_titles.grant(holder=people.unit, round=toy_round, grade=Grade.MODEL, actor=people.admin)


def _actions(title):
    return [(e.action, e.actor) for e in history_of(title)]


def _overdue(title, days=1):
    ToyTitle.objects.filter(pk=title.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=days))
    title.refresh_from_db()


def test_a_grant_holds_the_title_for_its_term_with_a_numbered_certificate(people, toy_round, granted):
    today = timezone.localdate()
    title = ToyTitle.objects.select_related("certificate").get(pk=granted.pk)
    assert (title.status, title.grade, title.holder, title.granted_on, title.status_changed_on) == (
        TitleStatus.VALID, Grade.MODEL, people.unit, today, today)
    assert title.due_on == add_years(today, 3) and title.is_held
    certificate = title.certificate
    assert (certificate.number, certificate.series, certificate.sequence) == ("2026-0001", "toy-2026", 1)
    assert (certificate.holder_name, certificate.award_title, certificate.owner_organisation) == (
        people.unit.name, "Toy title (model)", people.unit)
    assert certificate.status == CertificateStatus.VALID and certificate.subject == title
    toy_round.refresh_from_db()
    assert toy_round.last_certificate_seq == 1
    assert _actions(title) == [("toy.title.granted", people.admin), ("toy.certificate.issued", people.admin)]
    grant = history_of(title).get(action="toy.title.granted")
    assert (grant.to_state, grant.decision, grant.organisation, grant.role) == (
        TitleStatus.VALID, Grade.MODEL, people.district, "district_admin")
    assert grant.data == {"round": "toy-2026", "due_on": title.due_on.isoformat()}


def test_keep_gives_a_new_term_and_keeps_the_certificate(people, granted):
    _overdue(granted, days=-10)  # due in ten days
    certificate = granted.certificate
    toy_titles.reinspected(granted, "keep", people.admin, comment="复查合格")
    granted.refresh_from_db()
    assert (granted.status, granted.grade, granted.certificate) == (TitleStatus.VALID, Grade.MODEL, certificate)
    assert granted.due_on == add_years(timezone.localdate(), 3)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID
    kept = history_of(granted).get(action="toy.title.kept")
    assert (kept.actor, kept.decision, kept.from_state, kept.to_state, kept.comment) == (
        people.admin, "keep", TitleStatus.VALID, TitleStatus.VALID, "复查合格")


def test_downgrade_revokes_the_certificate_and_issues_a_new_one(people, granted):
    old = granted.certificate
    toy_titles.reinspected(granted, "downgrade", people.admin, comment="复查降级")
    granted.refresh_from_db()
    old.refresh_from_db()
    assert (granted.status, granted.grade, granted.is_held) == (TitleStatus.DOWNGRADED, Grade.QUALIFIED, True)
    assert (old.status, old.revoked_reason) == (CertificateStatus.REVOKED, "降级")
    new = granted.certificate
    assert new != old and (new.number, new.award_title, new.status) == (
        "2026-0002", "Toy title (qualified)", CertificateStatus.VALID)
    assert [a for a, _ in _actions(granted)][2:] == [
        "workflows.certificate.revoked", "toy.title.downgraded", "toy.certificate.issued"]
    down = history_of(granted).get(action="toy.title.downgraded")
    assert (down.actor, down.from_state, down.to_state, down.decision) == (
        people.admin, TitleStatus.VALID, TitleStatus.DOWNGRADED, "downgrade")


def test_revoke_takes_the_title_and_its_certificate_and_tells_the_holder(people, granted):
    toy_titles.reinspected(granted, "revoke", people.admin, comment="复查不合格")
    granted.refresh_from_db()
    assert (granted.status, granted.is_held, granted.status_changed_on) == (
        TitleStatus.REVOKED, False, timezone.localdate())
    certificate = granted.certificate
    assert (certificate.status, certificate.revoked_reason) == (CertificateStatus.REVOKED, "摘牌")
    revoked = history_of(granted).get(action="toy.title.revoked")
    assert (revoked.actor, revoked.to_state, revoked.decision, revoked.comment) == (
        people.admin, TitleStatus.REVOKED, "revoke", "复查不合格")
    told = Notification.objects.get(event="toy.event.title_revoked")
    assert (told.user, told.data["reason"], told.url) == (people.submitter, "复查不合格", granted.get_absolute_url())
    # A title no longer held takes no other decision.
    with pytest.raises(AlreadyHandled):
        toy_titles.reinspected(granted, "keep", people.admin)


def test_the_daily_job_expires_overdue_titles_not_under_re_inspection(people, toy_round, granted):
    assert "expire_titles" in daily_jobs()
    under_review = toy_titles.grant(holder=people.town, round=toy_round, grade=Grade.QUALIFIED, actor=people.admin)
    not_yet = toy_titles.grant(holder=people.district, round=toy_round, grade=Grade.MODEL, actor=people.admin)
    _overdue(granted)
    _overdue(under_review)
    ToyTitle.objects.filter(pk=not_yet.pk).update(due_on=timezone.localdate())  # due today: not yet past
    toy_titles.open_reinspections([under_review], people.admin)

    out = io.StringIO()
    call_command("expire_titles", stdout=out)
    assert out.getvalue().strip() == "expire_titles: 1 title(s) expired."
    statuses = dict(ToyTitle.objects.values_list("pk", "status"))
    assert statuses == {granted.pk: TitleStatus.EXPIRED, under_review.pk: TitleStatus.VALID,
                        not_yet.pk: TitleStatus.VALID}
    granted.refresh_from_db()
    assert (granted.certificate.status, granted.certificate.revoked_reason) == (CertificateStatus.REVOKED, "到期")
    expired = history_of(granted).get(action="toy.title.expired")
    assert (expired.actor, expired.from_state, expired.to_state, expired.organisation) == (
        None, TitleStatus.VALID, TitleStatus.EXPIRED, people.district)
    assert expired.data == {"due_on": granted.due_on.isoformat()}
    assert history_of(granted).get(action="workflows.certificate.revoked").actor is None
    assert Notification.objects.get(event="toy.event.title_expired").user == people.submitter

    # Idempotent: run again, nothing more expires.
    out = io.StringIO()
    call_command("expire_titles", stdout=out)
    assert out.getvalue().strip() == "expire_titles: 0 title(s) expired."
    assert history_of(granted).filter(action="toy.title.expired").count() == 1


def test_re_inspections_open_in_bulk_for_held_titles_not_already_under_way(people, toy_round, granted):
    revoked = toy_titles.grant(holder=people.town, round=toy_round, grade=Grade.MODEL, actor=people.admin)
    toy_titles.reinspected(revoked, "revoke", people.admin, comment="摘牌")
    again = toy_titles.grant(holder=people.district, round=toy_round, grade=Grade.MODEL, actor=people.admin)

    [first, second] = toy_titles.open_reinspections([granted, revoked, again], people.admin)
    assert (first.held_title, second.held_title) == (granted, again)
    assert (first.organisation, first.created_by, first.state) == (people.unit, people.admin, ToyState.DRAFT)
    opened = history_of(granted).get(action="toy.title.reinspection_opened")
    assert (opened.actor, opened.role, opened.organisation, opened.data) == (
        people.admin, "district_admin", people.district, {"reinspection": first.pk})
    assert not history_of(revoked).filter(action="toy.title.reinspection_opened").exists()
    told = Notification.objects.get(event="toy.event.reinspection_opened")
    assert (told.user, told.url, told.key) == (
        people.submitter, first.get_absolute_url(), f"toy.reinspection:{first.pk}")

    # Already under way: skipped, nothing opened twice.
    assert toy_titles.open_reinspections([granted], people.admin) == []
    assert ToyCase.objects.filter(held_title=granted).count() == 1


def test_only_the_district_administrator_opens_re_inspections_and_nothing_is_left_half_done(
        people, toy_round, granted):
    with pytest.raises(NotAllowed):
        toy_titles.open_reinspections([granted], people.reviewer_d)
    # A title of another district among the picked: refused once the first
    # one's case is made, which is then undone with everything else.
    elsewhere = make_org("示范二区总工会", "district-2", OrgKind.DISTRICT)
    their_round = ToyRound.objects.create(code="toy-2026-b", year=2026, title="Their round", district=elsewhere,
                                          submission_deadline=toy_round.submission_deadline)
    their_admin = make_user("admin_b", (elsewhere, "district_admin"))
    theirs = toy_titles.grant(holder=make_org("乙厂工会", "unit-b", OrgKind.GRASSROOTS, elsewhere),
                              round=their_round, grade=Grade.MODEL, actor=their_admin)
    with pytest.raises(NotAllowed):
        toy_titles.open_reinspections([granted, theirs], people.admin)
    assert not ToyCase.objects.filter(held_title__isnull=False).exists()
    assert not Notification.objects.filter(event="toy.event.reinspection_opened").exists()
    assert not history_of(granted).filter(action="toy.title.reinspection_opened").exists()


def test_titles_falling_due_are_the_held_ones_due_within_the_window(people, toy_round, granted):
    today = timezone.localdate()
    revoked = toy_titles.grant(holder=people.town, round=toy_round, grade=Grade.MODEL, actor=people.admin)
    toy_titles.reinspected(revoked, "revoke", people.admin, comment="摘牌")
    ToyTitle.objects.update(due_on=today + datetime.timedelta(days=30))
    assert list(due_titles(ToyTitle.objects.all())) == [granted]
    assert list(due_titles(ToyTitle.objects.all(), within_days=29)) == []
    assert list(due_titles(ToyTitle.objects.all(), today=today + datetime.timedelta(days=31))) == []


def test_the_register_exports_every_title_or_one_status(people, toy_round, granted, tmp_path):
    revoked = toy_titles.grant(holder=people.town, round=toy_round, grade=Grade.MODEL, actor=people.admin)
    toy_titles.reinspected(revoked, "revoke", people.admin, comment="摘牌")
    today = timezone.localdate()
    ToyTitle.objects.filter(pk=revoked.pk).update(due_on=today + datetime.timedelta(days=1))
    assert registered("toy") is registered() is toy_titles.TITLES

    out, output = io.StringIO(), tmp_path / "titles.xlsx"
    call_command("export_titles", output=str(output), stdout=out)
    assert out.getvalue().strip() == f"{output}: 2 titles."
    rows = list(load_workbook(output).active.iter_rows(values_only=True))
    header = rows.index(tuple(toy_titles.HEADERS))
    day = datetime.datetime.combine(today, datetime.time())
    due = datetime.datetime.combine(add_years(today, 3), datetime.time())
    # Ordered by due date: the revoked one (due tomorrow) first.
    assert rows[header + 1:] == [
        (people.town.name, "model", "toy-2026", day, day + datetime.timedelta(days=1), "revoked", day, "2026-0002"),
        (people.unit.name, "model", "toy-2026", day, due, "valid", day, "2026-0001"),
    ]

    only = tmp_path / "valid.xlsx"
    call_command("export_titles", output=str(only), status="valid", stdout=io.StringIO())
    rows = list(load_workbook(only).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[header + 1:]] == [people.unit.name]

    with pytest.raises(CommandError, match="No register of titles of nosuch"):
        call_command("export_titles", output=str(only), process="nosuch")


def test_a_second_administrator_revokes_in_their_own_right(people, granted):
    """Ported from tests/awards/test_decision_pages.py (May Day's award): a
    deputy holding the administrator role at the district revokes as
    themselves, not on anyone's behalf."""
    from workflows.documents.services import certificate_revoke

    deputy = make_user("admin2", (people.district, "district_admin"))
    certificate = certificate_revoke(certificate=granted.certificate, actor=deputy, reason="材料不实")
    assert certificate.status == CertificateStatus.REVOKED
    entry = history_of(granted).get(action="workflows.certificate.revoked")
    assert (entry.actor, entry.on_behalf_of, entry.organisation, entry.comment) == (
        deputy, None, people.district, "材料不实")
