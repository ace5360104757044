"""The May Day award's paper: the award list (表彰名单, PDF and Excel), the
public notice (公示) of the candidates, the recommendation-approval form
(推荐审批表) of a nomination; the certificates' award titles.

Text printed on paper is Chinese literal here and in the document templates
(the documents are official forms, not interface). What is not the award's
own is the engine's: rendering, page sizes and storage
(workflows.documents.rendering), the list in groups and bands
(banded_list), the notice's tables (notice_print), the opinion boxes
(opinions)."""

from django.utils import timezone

from workflows.documents.banded_list import Column, Group, banded_list_html, banded_list_xlsx
from workflows.documents.notice_print import notice_html, notice_tables
from workflows.documents.opinions import level_opinions
from workflows.documents.rendering import html_to_pdf, render_html
from workflows.documents.round_certificates import valid_certificates_of
from workflows.models import OrgKind

from awards.mayday.models import AwardKind, Nomination
from awards.mayday.selectors import grouped_by_award
from awards.mayday.models import NominationState as S

# The awards' names as printed on paper (and on the certificates).
KIND_TITLES = {AwardKind.UNIT: "五一劳动奖状", AwardKind.INDIVIDUAL: "五一劳动奖章", AwardKind.TEAM: "工人先锋号"}

# Choices as printed on the forms and the notice, by field.
PRINTED_CHOICES = {
    "kind": KIND_TITLES,
    "gender": {"M": "男", "F": "女"},
    "political_status": {
        "cpc": "中共党员", "cpc_probation": "中共预备党员", "cyl": "共青团员", "other_party": "民主党派", "masses": "群众",
    },
    "education": {
        "junior": "初中及以下", "senior": "高中（中专）", "college": "大专", "bachelor": "大学本科", "master": "硕士研究生",
        "doctor": "博士研究生",
    },
    "candidate_category": {
        "industrial_worker": "产业工人", "front_line": "一线职工", "technical": "专业技术人员",
        "enterprise_head": "企业负责人", "cadre": "机关事业单位干部", "migrant_worker": "农民工",
    },
    "sector": {
        "state_owned": "国有企业", "collective": "集体企业", "non_public": "非公有制企业", "institution": "事业单位",
        "organ": "机关",
    },
}


def award_list_rows(campaign):
    """The awarded nominations of a campaign, grouped by award kind and then
    by the nominating organisation. Each row: name, work unit, post,
    certificate number (blank while none is valid)."""
    nominations = list(
        Nomination.objects.filter(campaign=campaign, state=S.AWARDED).select_related("organisation")
    )
    certificates = valid_certificates_of(nominations)

    def row(n):
        certificate = certificates.get(n.pk)
        return {
            "nomination": n,
            "name": n.nominee_name,
            "work_unit": n.work_unit or n.organisation.name,
            "post": n.post,
            "number": certificate.number if certificate else "",
        }

    groups = grouped_by_award(nominations, row)
    for group in groups:
        group["title"] = KIND_TITLES.get(group["kind"], group["kind"])
    return groups


def _campaign_context(campaign):
    return {"campaign": campaign, "issuer": campaign.issuing_body, "today": timezone.localdate()}


# The award list on paper: its columns after 序号 (heading, key, width); 职务
# wide enough for a post such as 党支部书记兼车间主任.
LIST_COLUMNS = [
    Column("姓名／名称", "name", "34mm"), Column("工作单位", "work_unit", "50mm"), Column("职务", "post", "42mm"),
    Column("证书编号", "number", "42mm", keep_words=False),
]
XLSX_HEADERS = ["序号", "奖项", "推荐单位", "姓名／名称", "工作单位", "职务", "证书编号"]


def _banded(campaign):
    """The award list as the engine's banded list: each award a group, each
    recommending union a band."""
    return [Group(g["title"], g["kind"], g["count"], [(o["organisation"].name, o["rows"]) for o in g["organisations"]])
            for g in award_list_rows(campaign)]


def award_list_html(campaign) -> str:
    """The award list's HTML: what its PDF is rendered (and cached) from."""
    return banded_list_html("documents/award_list.html", LIST_COLUMNS, _banded(campaign),
                            **_campaign_context(campaign))


def award_list_pdf(campaign) -> bytes:
    return html_to_pdf(award_list_html(campaign))


def award_list_xlsx(campaign) -> bytes:
    """The award list as a table: each award a shaded band, each
    recommending union a lighter one, then its people numbered through."""
    return banded_list_xlsx(
        _banded(campaign), sheet="表彰名单", title=f"{campaign.title} 表彰名单", headers=XLSX_HEADERS,
        cells=lambda group, union, row: [group.title, union, row["name"], row["work_unit"], row["post"], row["number"]],
    )


# The public notice (公示) prints what its PublicNotice published: the fields
# the campaign chose when it opened (NoticeEntry.published, copied then; the
# offered fields are awards.mayday.models.NOTICE_FIELD_CHOICES, never an ID number,
# a phone or a date of birth), its window and its dates.
NOTICE_COLUMNS_ZH = {
    "nominee_name": "姓名／名称", "gender": "性别", "ethnicity": "民族", "political_status": "政治面貌",
    "education": "学历", "organisation": "推荐单位", "work_unit": "工作单位", "post": "职务",
    "job_title": "职称／技术等级", "candidate_category": "人员类别", "honours": "曾获荣誉",
    "summary": "主要事迹", "kind": "奖项",
}
PERSONAL_FIELDS = ("gender", "ethnicity", "political_status", "education", "job_title", "candidate_category")


def public_notice_rows(notice):
    """The notice's candidates, grouped by award in the order unit,
    individual, team (the engine's notice_tables). Only the fields the
    notice published, in the order they were chosen; the award is the
    group's title, not a column; work unit and post read as one column, as
    on the paper forms; a unit or a team has no gender, education, ...:
    those columns are the individuals' only."""
    return notice_tables(
        notice, model=Nomination, group_field="kind", groups=KIND_TITLES, columns=NOTICE_COLUMNS_ZH,
        values=PRINTED_CHOICES, joined=("work_unit", "post", "工作单位及职务"),
        columns_of=lambda kind, fields: [f for f in fields if kind == AwardKind.INDIVIDUAL or f not in PERSONAL_FIELDS],
    )


def public_notice_html(notice, *, contact="") -> str:
    """The notice as printed and posted, in the award's wording."""
    return notice_html(notice, "documents/public_notice.html", public_notice_rows(notice),
                       **_campaign_context(notice.scope), contact=contact)


def public_notice_pdf(notice, *, contact="") -> bytes:
    return html_to_pdf(public_notice_html(notice, contact=contact))


# Recommendation-approval form ----------------------------------------------

DECISION_CODES = {
    "awards.nomination.confirmed": "确认并上报",
    "awards.nomination.approved": "同意推荐",
    "awards.nomination.returned": "退回修改",
    "awards.nomination.rejected": "不予推荐",
    "awards.nomination.awarded": "同意授予",
    "awards.nomination.not_awarded": "不予授予",
}
LEVEL_TITLES = [
    (OrgKind.GRASSROOTS, "基层工会意见"),
    (OrgKind.INTERMEDIATE, "乡镇（街道）工会、局工委意见"),
    (OrgKind.DISTRICT, "区总工会意见"),
]


def opinion_blocks(nomination):
    """One block per review level (grassroots, intermediate, district), from
    the case's decisions in the audit log (a sub-union decides as its
    grassroots union); the latest decision of each level wins."""
    return level_opinions(nomination, decisions=DECISION_CODES, levels=LEVEL_TITLES,
                          same_level={OrgKind.SUB_UNION: OrgKind.GRASSROOTS})


def recommendation_form_html(nomination, *, full_id_number="") -> str:
    """The A3 form; the ID number masked unless the caller, who checked
    and recorded the reader's right to it, passes it in full."""
    n = nomination
    return render_html(
        "documents/recommendation_form.html",
        {
            "n": n,
            "id_number": full_id_number or n.masked_id_number,
            "printed": {field: choices.get(getattr(n, field), "") for field, choices in PRINTED_CHOICES.items()},
            "campaign": nomination.campaign,
            "kind_title": KIND_TITLES.get(nomination.kind, nomination.kind),
            "blocks": opinion_blocks(nomination),
            "today": timezone.localdate(),
        },
        size="A3",
        orientation="portrait",
    )

