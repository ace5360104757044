"""Starting up a district from one workbook: 300 unions and 600 accounts,
every row checked (errors by row and column, nothing imported), then
imported, then imported again (updates, no duplicates); one-time passwords
changed at the first login; an administrator resets a clerk's password."""

import io
import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import AccountProfile, AuditEntry, Membership, Organisation
from workflows.organisations import import_sheets, imports, passwords

INTERMEDIATES, GRASSROOTS = 20, 280  # 300 unions
SECTORS = ["非公有制企业", "国有企业", "事业单位", "集体企业", "机关", ""]


def sheet_rows():
    orgs, accounts = [], []
    for i in range(INTERMEDIATES):
        orgs.append([f"town-{i:02d}", f"第{i + 1}街道总工会", "乡镇街道工会", "", ""])
        for r in range(2):
            accounts.append([f"town{i:02d}_review{r}", f"审核{i}-{r}", f"town-{i:02d}", "审核人", f"1380000{i:02d}{r:02d}"])
    for j in range(GRASSROOTS):
        code = f"union-{j:03d}"
        orgs.append([code, f"示范第{j + 1}有限公司工会", "基层工会", f"town-{j % INTERMEDIATES:02d}", SECTORS[j % len(SECTORS)]])
        accounts.append([f"u{j:03d}_submit", f"填报{j}", code, "经办人", f"1391{j:07d}"])
        accounts.append([f"u{j:03d}_chair", f"主席{j}", code, "工会主席", f"1371{j:07d}"])
    return orgs, accounts


def workbook_bytes(orgs, accounts):
    wb = Workbook()
    ws = wb.active
    ws.title = imports.ORG_SHEET
    ws.append(imports.ORG_HEADERS)
    for row in orgs:
        ws.append(row)
    ws = wb.create_sheet(imports.ACCOUNT_SHEET)
    ws.append(imports.ACCOUNT_HEADERS)
    for row in accounts:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def counts(district):
    return (
        Organisation.objects.filter(path__startswith=district.path).count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
    )


def test_300_unions_and_600_accounts(tree):
    district = tree.district
    orgs, accounts = sheet_rows()
    assert len(orgs) == 300 and len(accounts) == 600
    before = counts(district)

    # One version with errors: each named by sheet, row and column; nothing imported.
    bad_orgs = [row[:] for row in orgs]
    bad_accounts = [row[:] for row in accounts]
    bad_orgs[30][3] = "town-99"  # row 32: unknown parent
    bad_orgs[40][2] = "总公司"  # row 42: no such kind
    bad_orgs[50][0] = bad_orgs[49][0]  # row 52: code twice (so union-030 is missing)
    bad_accounts[99][4] = "12345"  # row 101: not a mobile number
    bad_accounts[0][3] = "工会主席"  # row 2: a chair at an intermediate union
    bad_accounts[500][2] = "nowhere"  # row 502: unknown unit
    with pytest.raises(RuleViolation) as err:
        imports.do_import_district(data=workbook_bytes(bad_orgs, bad_accounts), district=district, actor=tree.admin_d)
    found = {(e.sheet, e.row, e.column) for e in err.value.checked.errors}
    assert found == {
        ("组织", 32, "D"), ("组织", 42, "C"), ("组织", 52, "A"),
        ("账号", 101, "E"), ("账号", 2, "D"), ("账号", 502, "C"),
        ("账号", 102, "C"), ("账号", 103, "C"),  # the accounts of the missing union-030
    }
    assert counts(district) == before

    # The valid one: everything, at once.
    started = time.monotonic()
    result = imports.do_import_district(data=workbook_bytes(orgs, accounts), district=district, actor=tree.admin_d)
    elapsed = time.monotonic() - started
    print(f"import of 300 unions and 600 accounts: {elapsed:.1f} s")
    assert (result.orgs_created, len(result.new_accounts), result.memberships_added) == (300, 600, 600)
    assert counts(district) == (before[0] + 300, before[1] + 600, before[2] + 600)
    union = Organisation.objects.get(code="union-006")
    assert union.parent.code == "town-06" and union.sector == "non_public" and union.is_within(district)
    assert AccountProfile.objects.filter(must_change_password=True).count() == 600
    assert len({a["password"] for a in result.new_accounts}) == 600
    assert AuditEntry.objects.filter(action=imports.IMPORTED, object_id=district.pk).count() == 1

    # Imported again with one unit renamed and one phone changed: updated, nothing twice.
    orgs[100][1] = "示范第81有限公司工会（更名）"
    accounts[10][4] = "13999999999"
    again = imports.do_import_district(data=workbook_bytes(orgs, accounts), district=district, actor=tree.admin_d)
    assert (again.orgs_created, again.orgs_updated, len(again.new_accounts), again.accounts_updated,
            again.memberships_added) == (0, 1, 0, 1, 0)
    assert counts(district) == (before[0] + 300, before[1] + 600, before[2] + 600)
    assert Organisation.objects.get(code=orgs[100][0]).name.endswith("（更名）")


def test_only_the_district_administrator_imports(tree):
    data = workbook_bytes(*sheet_rows())
    for user in (tree.reviewer_d, tree.submitter, tree.reviewer_a):
        with pytest.raises(NotAllowed):
            imports.do_import_district(data=data, district=tree.district, actor=user)


def test_import_page_template_errors_passwords_and_first_login(client, tree, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher", "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    client.force_login(tree.admin_d)
    template = load_workbook(io.BytesIO(client.get(reverse("district_import_template")).content))
    assert [c.value for c in template[imports.ORG_SHEET][1]] == imports.ORG_HEADERS
    assert [c.value for c in template[imports.ACCOUNT_SHEET][1]] == imports.ACCOUNT_HEADERS

    orgs = [["town-c", "丙镇工会", "乡镇街道工会", "", ""], ["union-c1", "丙一厂工会", "基层工会", "town-c", "bad"]]
    accounts = [["c1_submit", "周填报", "union-c1", "经办人", "13700000001"]]
    page = client.post(reverse("district_import"), {"workbook": io.BytesIO(workbook_bytes(orgs, accounts))})
    assert page.status_code == 200 and "单位性质" in page.content.decode() and "未导入" in page.content.decode()
    assert not Organisation.objects.filter(code="town-c").exists()

    orgs[1][4] = "非公有制企业"
    upload = io.BytesIO(workbook_bytes(orgs, accounts))
    upload.name = "import.xlsx"
    check = client.post(reverse("district_import"), {"workbook": upload})
    assert check.status_code == 200 and not Organisation.objects.filter(code="town-c").exists()
    page = client.post(reverse("district_import"), {"held": check.context["held"], "plan": check.context["plan"].digest})
    assert page.status_code == 200
    password = page.context["result"].new_accounts[0]["password"]
    assert password in page.content.decode()
    sheet = load_workbook(io.BytesIO(client.get(reverse("district_import_passwords")).content))
    assert [c.value for c in sheet.active[2]] == ["c1_submit", "周填报", "丙一厂工会", password]
    # Shown and downloadable once.
    assert client.get(reverse("district_import_passwords")).status_code == 302

    # First login with the one-time password: every page leads to the password change.
    client.logout()
    # Through the login page (the login backend wants the request).
    assert client.post(reverse("login"), {"username": "c1_submit", "password": password}).status_code == 302
    assert client.get(reverse("inbox"))["Location"] == reverse("password_change_required")
    response = client.post(reverse("password_change_required"), {
        "old_password": password, "new_password1": "Gonghui-2025-xin", "new_password2": "Gonghui-2025-xin"})
    assert response.status_code == 302
    assert client.get(reverse("inbox")).status_code == 200
    assert not AccountProfile.objects.get(user__username="c1_submit").must_change_password


def test_administrator_resets_a_clerks_password(client, tree):
    client.force_login(tree.admin_d)
    url = reverse("account_reset_password", args=[tree.submitter.pk])
    assert tree.submitter.username in client.get(url).content.decode()  # the confirmation page
    page = client.post(url)
    password = page.context["password"]
    tree.submitter.refresh_from_db()
    assert tree.submitter.check_password(password)
    assert AccountProfile.objects.get(user=tree.submitter).must_change_password
    entry = AuditEntry.objects.get(action=passwords.PASSWORD_RESET)
    assert entry.actor == tree.admin_d and entry.data["user"] == tree.submitter.pk
    # Nobody else resets passwords: to them, as to the administrator for an
    # account outside the district, the account is not found.
    client.force_login(tree.reviewer_d)
    assert client.post(url).status_code == 404
    client.force_login(tree.admin_d)
    outsider = get_user_model().objects.create_user("elsewhere", password="pw")
    assert client.post(reverse("account_reset_password", args=[outsider.pk])).status_code == 404
    assert client.get(reverse("account_list")).status_code == 200


def test_a_move_by_import_is_audited_and_refused_while_it_leaves_open_steps_behind(tree, make_mayday_case):
    from workflows.steps.decisions import decide
    from workflows.audit import history_of

    row = [["union-b1", tree.union_b1.name, "基层工会", "town-a", "事业单位"]]
    n = make_mayday_case(org=tree.union_b1, submitter=tree.submitter_b, sector="institution")
    decide(decision="confirm", case=n, actor=tree.chair_b)  # waits for town B's review
    with pytest.raises(RuleViolation) as refused:
        imports.do_import_district(data=workbook_bytes(row, []), district=tree.district, actor=tree.admin_d)
    assert "“组织”表第 2 行" in refused.value.message
    assert str(n) in refused.value.message
    assert Organisation.objects.get(pk=tree.union_b1.pk).parent == tree.town_b
    decide(decision="forward", case=n, actor=tree.reviewer_b)  # past town B
    imports.do_import_district(data=workbook_bytes(row, []), district=tree.district, actor=tree.admin_d)
    moved = Organisation.objects.get(pk=tree.union_b1.pk)
    assert moved.parent == tree.town_a
    entry = history_of(moved).get(action="workflows.organisation.moved")
    assert entry.actor == tree.admin_d and entry.data["parent"] == [tree.town_b.pk, tree.town_a.pk]
    assert entry.data["path"][1] == moved.path


def test_the_unchanged_template_imports_nothing_and_says_why(client, tree):
    client.force_login(tree.admin_d)
    template = client.get(reverse("district_import_template")).content
    assert import_sheets.EXAMPLE_SHEET in load_workbook(io.BytesIO(template)).sheetnames
    before = counts(tree.district), AuditEntry.objects.count()
    upload = io.BytesIO(template)
    upload.name = "模板.xlsx"
    page = client.post(reverse("district_import"), {"workbook": upload})
    assert page.status_code == 200 and "held" not in page.context
    assert "示例" in page.content.decode() and "不会导入" in page.content.decode()
    assert (counts(tree.district), AuditEntry.objects.count()) == before


def test_example_rows_of_an_old_template_are_refused_by_row(tree):
    """The template handed out before: its example rows on the real sheets.
    Imported, they renamed the real reviewer cg_review and made a second
    城关机械 union; now each is an error naming its row."""
    reviewer = get_user_model().objects.create_user("cg_review", first_name="赵志强")
    orgs = [["chengguan", "城关镇总工会", "乡镇街道工会", "", ""],
            ["cg-jixie", "城关机械制造有限公司工会", "基层工会", "chengguan", "非公有制企业"]]
    accounts = [["cg_review", "王审核", "chengguan", "审核人", "13800000001"]]
    with pytest.raises(RuleViolation) as refused:
        imports.do_import_district(data=workbook_bytes(orgs, accounts), district=tree.district, actor=tree.admin_d)
    assert {(e.sheet, e.row) for e in refused.value.checked.errors} == {("组织", 2), ("组织", 3), ("账号", 2)}
    reviewer.refresh_from_db()
    assert reviewer.first_name == "赵志强"


def test_the_check_page_lists_creations_renames_and_warnings_before_anything_changes(client, tree):
    from workflows.models import Membership

    tree.union_a1.refresh_from_db()
    orgs = [
        [tree.union_a1.code, tree.union_a1.name + "（新名）", "基层工会", tree.town_a.code, ""],
        ["twin", tree.union_a2.name, "基层工会", tree.town_a.code, ""],  # a second unit with an existing name
    ]
    accounts = [
        [tree.submitter.username, "王某某", tree.union_a1.code, "经办人", "13700000009"],  # a renamed person
        [tree.reviewer_b.username, tree.reviewer_b.first_name or "审核", tree.town_a.code, "审核人", "13700000008"],
    ]
    client.force_login(tree.admin_d)
    upload = io.BytesIO(workbook_bytes(orgs, accounts))
    upload.name = "x.xlsx"
    check = client.post(reverse("district_import"), {"workbook": upload})
    assert check.status_code == 200
    plan = check.context["plan"]
    text = check.content.decode()
    assert "（新名）" in text and "王某某" in text
    warned_rows = {(line.sheet, line.row) for line in plan.warnings}
    assert {("组织", 2), ("组织", 3), ("账号", 2), ("账号", 3)} <= warned_rows
    # Nothing changed by the check.
    assert not Organisation.objects.filter(code="twin").exists()
    tree.submitter.refresh_from_db()
    assert tree.submitter.first_name != "王某某"

    # Someone changes the tree between the check and the confirmation: the
    # confirmation is refused with the new plan, nothing imported.
    Organisation.objects.filter(pk=tree.union_a1.pk).update(name="第三个名字")
    stale = client.post(reverse("district_import"), {"held": check.context["held"], "plan": plan.digest})
    assert stale.status_code == 409 and not Organisation.objects.filter(code="twin").exists()

    confirmed = client.post(reverse("district_import"),
                            {"held": stale.context["held"], "plan": stale.context["plan"].digest})
    assert confirmed.status_code == 200 and "result" in confirmed.context
    assert Organisation.objects.get(code="twin").name == tree.union_a2.name
    tree.submitter.refresh_from_db()
    assert tree.submitter.first_name == "王某某"
    assert Membership.objects.filter(user=tree.reviewer_b, organisation=tree.town_a).exists()
    # The held workbook is gone: a replayed confirmation imports nothing more.
    again = client.post(reverse("district_import"), {"held": check.context["held"], "plan": plan.digest})
    assert again.status_code == 302
