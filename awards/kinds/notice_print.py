"""The public notice (公示) of a campaign of a kind as printed and posted:
the notice running now, else the latest (the engine's notice_to_print),
its candidates in one table per kind the campaign offers (in the
campaign's order), with the columns the notice published. The values are
printed as they were published: choices already by their labels in the
district's language (notices.py publishes them so), the kind as the
table's heading rather than a column. For the district federation's own
staff only; rendered once per content (the engine's document cache).

The paper's fixed words (序号, 推荐单位, the lead) are Chinese in the
template and here, as on every official form the project prints."""

from workflows.documents.notice_print import notice_html, notice_tables
from workflows.organisations.access import memberships

from .models import KindCase
from .notices import OWN_FIELDS, field_labels

# The case model's own published fields as headed on paper.
OWN_COLUMNS_ZH = {"organisation": "推荐单位", "name": "姓名／名称"}


def may_print(user, campaign):
    """Holds a role at the campaign's district federation itself (not a
    union or a department under it)."""
    return any(m.organisation_id == campaign.district_id for m in memberships(user))


def notice_rows(notice):
    """The notice's entries grouped by the kind of their case, in the
    campaign's order of kinds; columns: the union, the name and the
    published fields' labels (a kind's table only the fields its own form
    has), never the kind's column, which is the heading."""
    campaign = notice.scope
    versions = campaign.offered_versions
    labels = field_labels(campaign)
    columns = {**OWN_COLUMNS_ZH, **{label: label for label in labels if label not in OWN_FIELDS}}
    own_labels = {version.pk: {spec["label"] for spec in version.definition["fields"] if spec.get("public")}
                  for version in versions}
    return notice_tables(
        notice, model=KindCase, group_field="kind_version", columns=columns,
        groups={version.pk: version.title for version in versions},
        columns_of=lambda version_pk, fields: [f for f in fields
                                               if f in OWN_COLUMNS_ZH or f in own_labels.get(version_pk, ())],
    )


def notice_document_html(notice):
    """The printed notice's HTML: what its PDF is rendered (and cached) from."""
    campaign = notice.scope
    return notice_html(notice, "kinds/notice.pdf.html", notice_rows(notice), campaign=campaign,
                       issuer=campaign.district.name)
