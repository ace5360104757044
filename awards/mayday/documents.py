"""The May Day award's paper: the award list (表彰名单, PDF and Excel), the
public notice (公示) of the candidates, the recommendation-approval form
(推荐审批表) of a nomination, and the campaign's certificates.

Text printed on paper is Chinese literal here and in the document templates
(the documents are official forms, not interface); the rendering, page sizes
and storage are workflows.documents.rendering'."""

from collections import OrderedDict

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from workflows.audit import history_of
from workflows.documents.rendering import html_to_pdf, render_html
from workflows.documents.xlsx import Band, Sheet, write_workbook
from workflows.models import Certificate, CertificateStatus, OrgKind
from workflows.notices.services import publishable

from awards.mayday.models import AwardKind, Nomination
from awards.mayday.selectors import grouped_by_award
from awards.mayday.models import NominationState as S

# The awards' names as printed on paper.
KIND_TITLES = OrderedDict(
    [
        (AwardKind.UNIT, "五一劳动奖状"),
        (AwardKind.INDIVIDUAL, "五一劳动奖章"),
        (AwardKind.TEAM, "工人先锋号"),
    ]
)
KIND_ORDER = {kind: i for i, kind in enumerate(KIND_TITLES)}

# Choices as printed on the forms.
GENDER_ZH = {"M": "男", "F": "女"}
POLITICAL_ZH = {
    "cpc": "中共党员", "cpc_probation": "中共预备党员", "cyl": "共青团员", "other_party": "民主党派", "masses": "群众",
}
EDUCATION_ZH = {
    "junior": "初中及以下", "senior": "高中（中专）", "college": "大专", "bachelor": "大学本科", "master": "硕士研究生",
    "doctor": "博士研究生",
}
CATEGORY_ZH = {
    "industrial_worker": "产业工人", "front_line": "一线职工", "technical": "专业技术人员", "enterprise_head": "企业负责人",
    "cadre": "机关事业单位干部", "migrant_worker": "农民工",
}
SECTOR_ZH = {
    "state_owned": "国有企业", "collective": "集体企业", "non_public": "非公有制企业", "institution": "事业单位",
    "organ": "机关",
}

def _valid_certificates(nominations):
    ct = ContentType.objects.get_for_model(Nomination)
    return {
        c.object_id: c
        for c in Certificate.objects.filter(
            content_type=ct, object_id__in=[n.pk for n in nominations], status=CertificateStatus.VALID
        )
    }


def award_list_rows(campaign):
    """The awarded nominations of a campaign, grouped by award kind and then
    by the nominating organisation. Each row: name, work unit, post,
    certificate number (blank while none is valid)."""
    nominations = list(
        Nomination.objects.filter(campaign=campaign, state=S.AWARDED).select_related("organisation")
    )
    certificates = _valid_certificates(nominations)

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


def award_list_html(campaign) -> str:
    """The award list's HTML: what its PDF is rendered (and cached) from."""
    return render_html(
        "documents/award_list.html",
        {**_campaign_context(campaign), "groups": award_list_rows(campaign)},
        size="A4",
        orientation="portrait",
    )


def award_list_pdf(campaign) -> bytes:
    return html_to_pdf(award_list_html(campaign))


XLSX_HEADERS = ["序号", "奖项", "推荐单位", "姓名／名称", "工作单位", "职务", "证书编号"]


def award_list_xlsx(campaign) -> bytes:
    """The award list as a table: each award a shaded band, each
    recommending union a lighter one, then its people numbered through."""
    rows, seq = [], 0
    for group in award_list_rows(campaign):
        rows.append(Band(f"{group['title']}（{group['count']}）", fill="F2DCDB", bold=True))
        for org in group["organisations"]:
            rows.append(Band(org["organisation"].name, fill="EEEEEE"))
            for row in org["rows"]:
                seq += 1
                rows.append([seq, group["title"], org["organisation"].name, row["name"], row["work_unit"],
                             row["post"], row["number"]])
    title = f"{campaign.title} 表彰名单"
    return write_workbook([Sheet("表彰名单", XLSX_HEADERS, rows, caption=[title], page_title=title)])


# The public notice (公示) prints what its PublicNotice published: the fields
# the campaign chose when it opened (NoticeEntry.published, copied then; the
# offered fields are awards.mayday.models.NOTICE_FIELD_CHOICES, never an ID number,
# a phone or a date of birth), its window and its dates.
NOTICE_COLUMNS_ZH = OrderedDict(
    [
        ("nominee_name", "姓名／名称"), ("gender", "性别"), ("ethnicity", "民族"), ("political_status", "政治面貌"),
        ("education", "学历"), ("organisation", "推荐单位"), ("work_unit", "工作单位"), ("post", "职务"),
        ("job_title", "职称／技术等级"), ("candidate_category", "人员类别"), ("honours", "曾获荣誉"),
        ("summary", "主要事迹"), ("kind", "奖项"),
    ]
)
NOTICE_VALUES_ZH = {
    "kind": KIND_TITLES, "gender": GENDER_ZH, "political_status": POLITICAL_ZH, "education": EDUCATION_ZH,
    "candidate_category": CATEGORY_ZH,
}
PERSONAL_FIELDS = ("gender", "ethnicity", "political_status", "education", "job_title", "candidate_category")
# Entries still on the notice (as its public page lists them): not those
# rejected on an upheld objection or withdrawn from it.
NOTICE_PRINTED_OUTCOMES = ("pending", "no_objection", "dismissed")


def public_notice_rows(notice):
    """The notice's candidates, grouped by award in the order unit,
    individual, team, each group in the notice's order:
    [{kind, title, count, columns: [(field, label)], rows: [[(field, value)]]}].
    Only the fields the notice published, in the order they were chosen;
    the award is the group's title, not a column."""
    fields = [f for f in notice.published_fields if f in NOTICE_COLUMNS_ZH and f != "kind" and publishable(f)]
    # Work unit and post read as one column, as on the paper forms.
    joined = "work_unit" in fields and "post" in fields
    if joined:
        fields.remove("post")
    entries = list(
        notice.entries.filter(
            content_type=ContentType.objects.get_for_model(Nomination), outcome__in=NOTICE_PRINTED_OUTCOMES
        ).order_by("position", "pk")
    )
    kinds = dict(Nomination.objects.filter(pk__in=[e.object_id for e in entries]).values_list("pk", "kind"))
    groups = {}
    for entry in entries:
        kind = kinds.get(entry.object_id, "")
        # A unit or a team has no gender, education, ...: those columns are
        # the individuals' only.
        kind_fields = [f for f in fields if kind == AwardKind.INDIVIDUAL or f not in PERSONAL_FIELDS]
        group = groups.setdefault(
            kind,
            {
                "kind": kind, "title": KIND_TITLES.get(kind, ""), "count": 0, "rows": [],
                "columns": [(f, "工作单位及职务" if joined and f == "work_unit" else NOTICE_COLUMNS_ZH[f]) for f in kind_fields],
            },
        )
        row = []
        for field in kind_fields:
            value = entry.published.get(field)
            value = NOTICE_VALUES_ZH.get(field, {}).get(value, value)
            value = "" if value is None else str(value)
            if joined and field == "work_unit" and entry.published.get("post"):
                value = f"{value}　{entry.published['post']}".strip()
            row.append((field, value))
        group["rows"].append(row)
        group["count"] += 1
    return sorted(groups.values(), key=lambda g: KIND_ORDER.get(g["kind"], 99))


def public_notice_html(notice, *, contact="") -> str:
    """The notice as printed and posted: its candidates with the published
    fields, its window in working days and its first and last days. Wide
    tables (more than five columns) print on landscape pages."""
    campaign = notice.scope
    groups = public_notice_rows(notice)
    wide = any(len(group["columns"]) > 5 for group in groups)
    return render_html(
        "documents/public_notice.html",
        {
            **_campaign_context(campaign),
            "notice": notice,
            "groups": groups,
            "days": notice.window_days,
            "opened_on": notice.opened_on,
            "closes_on": notice.closes_on,
            "contact": contact,
        },
        size="A4",
        orientation="landscape" if wide else "portrait",
    )


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
    the case's decisions in the audit log: the latest decision of each level
    wins (an earlier round returned and then approved shows the approval)."""
    latest = {}
    for entry in history_of(nomination):
        if entry.action not in DECISION_CODES or entry.organisation is None:
            continue
        kind = entry.organisation.kind
        if kind == OrgKind.SUB_UNION:
            kind = OrgKind.GRASSROOTS
        latest[kind] = entry
    blocks = []
    for kind, title in LEVEL_TITLES:
        entry = latest.get(kind)
        blocks.append(
            {
                "title": title,
                "decision": DECISION_CODES[entry.action] if entry else "",
                "opinion": (entry.comment if entry else "") or (DECISION_CODES[entry.action] if entry else ""),
                "reviewer": entry.actor_name if entry else "",
                "organisation": entry.organisation.name if entry else "",
                "date": timezone.localtime(entry.created).date() if entry else None,
            }
        )
    return blocks


def recommendation_form_html(nomination, *, full_id_number="") -> str:
    """The A3 form; the ID number masked unless the caller, who checked
    and recorded the reader's right to it, passes it in full."""
    n = nomination
    return render_html(
        "documents/recommendation_form.html",
        {
            "n": n,
            "id_number": full_id_number or n.masked_id_number,
            "gender": GENDER_ZH.get(n.gender, ""),
            "political_status": POLITICAL_ZH.get(n.political_status, ""),
            "education": EDUCATION_ZH.get(n.education, ""),
            "category": CATEGORY_ZH.get(n.candidate_category, ""),
            "sector": SECTOR_ZH.get(n.sector, ""),
            "campaign": nomination.campaign,
            "kind_title": KIND_TITLES.get(nomination.kind, nomination.kind),
            "blocks": opinion_blocks(nomination),
            "today": timezone.localdate(),
        },
        size="A3",
        orientation="portrait",
    )


def recommendation_form_pdf(nomination, *, full_id_number="") -> bytes:
    return html_to_pdf(recommendation_form_html(nomination, full_id_number=full_id_number))


# Certificates ---------------------------------------------------------------

def campaign_certificates(campaign):
    """The campaign's valid certificates in number order: what a print run
    of the whole campaign prints."""
    return Certificate.objects.filter(series=campaign.code, status=CertificateStatus.VALID).order_by("sequence")
