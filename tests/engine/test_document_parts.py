"""The engine's document parts a process prints from data, through the toy
process: a notice's tables (workflows.documents.notice_print), the opinion
boxes of an approval form (opinions) and a round's certificates
(round_certificates)."""

from types import SimpleNamespace

from tests.engine.toy.models import ToyCase
from workflows.audit import history_of
from workflows.documents.notice_print import notice_html, notice_tables, notice_to_print
from workflows.documents.opinions import level_opinions
from workflows.documents.round_certificates import issue_round_certificate, round_certificates, valid_certificates_of
from workflows.documents.services import certificate_revoke
from workflows.models import Certificate, OrgKind


def test_notice_tables_print_the_published_fields_by_group(people, journey):
    small, notice = journey.in_notice(title="甲一厂申请")
    big = journey.awaiting_notice(title="乙厂申请")
    ToyCase.objects.filter(pk=small.pk).update(category="small")
    ToyCase.objects.filter(pk=big.pk).update(category="large")
    second = journey.publish(big)
    # Both on one notice, with more fields than the toy publishes.
    notice.entries.model.objects.filter(object_id=big.pk).update(notice=notice, position=2)
    notice.published_fields = ["title", "unit", "post", "size", "id_number", "category"]
    notice.save()
    notice.entries.filter(object_id=small.pk).update(published={
        "title": "甲一厂申请", "unit": "甲一厂", "post": "车间", "size": "s", "id_number": "110101199001011234"})
    notice.entries.filter(object_id=big.pk).update(published={"title": "乙厂申请", "unit": "乙厂", "size": "l"})
    columns = {"title": "名称", "unit": "单位", "post": "职务", "size": "规模", "id_number": "身份证号", "category": "类别"}

    tables = notice_tables(
        notice, model=ToyCase, group_field="category", groups={"large": "大厂", "small": "小厂"}, columns=columns,
        values={"size": {"s": "小", "l": "大"}}, joined=("unit", "post", "单位及职务"),
        columns_of=lambda group, fields: [f for f in fields if group == "small" or f != "size"],
    )

    # Groups in the order given; the group's field is its title, not a
    # column; an ID number is never printed, whatever the columns offer.
    assert [(t["kind"], t["title"], t["count"]) for t in tables] == [("large", "大厂", 1), ("small", "小厂", 1)]
    assert tables[0]["columns"] == [("title", "名称"), ("unit", "单位及职务")]
    assert tables[0]["rows"] == [[("title", "乙厂申请"), ("unit", "乙厂")]]
    assert tables[1]["columns"] == [("title", "名称"), ("unit", "单位及职务"), ("size", "规模")]
    assert tables[1]["rows"] == [[("title", "甲一厂申请"), ("unit", "甲一厂　车间"), ("size", "小")]]
    assert notice_to_print(notice.scope) == second  # both open: the latest
    html = notice_html(notice, "workflows/documents/notice.html", tables, issuer="示范区总工会")
    assert "甲一厂　车间" in html and "110101199001011234" not in html


def test_level_opinions_take_each_levels_latest_decision(people, journey):
    case = journey.in_inspection()
    approval = history_of(case).get(decision="approve")
    blocks = level_opinions(case, decisions={approval.action: "同意"},
                            levels=[(OrgKind.INTERMEDIATE, "镇工会意见"), (OrgKind.DISTRICT, "区总工会意见")])
    assert [b["title"] for b in blocks] == ["镇工会意见", "区总工会意见"]
    assert (blocks[0]["opinion"], blocks[0]["reviewer"], blocks[0]["organisation"]) == (
        approval.comment or "同意", approval.actor_name, people.town.name)
    assert blocks[0]["date"] is not None
    assert (blocks[1]["opinion"], blocks[1]["date"]) == ("", None)  # nobody decided there: blank to fill in


def test_a_rounds_certificates_are_numbered_listed_and_dropped_once_revoked(people, journey):
    case = journey.submitted()
    taken = []

    def take():
        taken.append(len(taken) + 1)
        return taken[-1], f"示〔2025〕{taken[-1]:03d}号"

    round_ = SimpleNamespace(code="toy-2025", district=people.district, take_certificate_number=take)
    certificate = issue_round_certificate(
        case, round_, actor=people.admin, holder_name=case.title, award_title="先进集体", issuer="示范区总工会",
        layout="default", owner=case.organisation, audit_code="toy.certificate.issued", role="district_admin")

    assert (certificate.series, certificate.sequence, certificate.number) == ("toy-2025", 1, "示〔2025〕001号")
    assert history_of(case).get(action="toy.certificate.issued").data == {
        "certificate": certificate.number, "certificate_id": certificate.pk}
    assert valid_certificates_of([case]) == {case.pk: certificate}
    assert list(round_certificates(round_)) == [certificate]
    certificate_revoke(certificate=certificate, actor=people.admin, reason="撤销")
    assert valid_certificates_of([case]) == {} and list(round_certificates(round_)) == []
    assert Certificate.objects.filter(series="toy-2025").count() == 1 and valid_certificates_of([]) == {}


def test_a_banded_list_prints_the_same_rows_on_paper_and_in_excel():
    import io

    from openpyxl import load_workbook

    from workflows.documents.banded_list import Column, Group, banded_list_html, banded_list_xlsx

    columns = [Column("名称", "name", "40mm"), Column("编号", "number", "30mm", keep_words=False)]
    groups = [Group("先进集体", "unit", 2, [("甲镇工会", [{"name": "甲一厂", "number": "A-1"},
                                                        {"name": "甲二厂", "number": "A-2"}])])]
    html = banded_list_html("workflows/documents/banded_list.html", columns, groups)
    assert "先进集体（2个）" in html and "col.name { width: 40mm; }" in html
    assert '<td class="seq">2</td><td class="name"><span class="nobr">甲二厂</span></td><td class="number">A-2</td>' in html

    data = banded_list_xlsx(groups, sheet="名单", title="示范名单", headers=["序号", "名称", "单位", "编号"],
                            cells=lambda group, band, row: [row["name"], band, row["number"]])
    ws = load_workbook(io.BytesIO(data)).active
    values = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    assert values == [["示范名单"], ["序号", "名称", "单位", "编号"], ["先进集体（2）"], ["甲镇工会"],
                      [1, "甲一厂", "甲镇工会", "A-1"], [2, "甲二厂", "甲镇工会", "A-2"]]
    assert ws.print_title_rows == "$2:$2" and ws["A3"].fill.fgColor.rgb.endswith("F2DCDB")
