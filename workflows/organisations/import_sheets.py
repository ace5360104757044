"""The shape of the start-up workbook: its sheets and headers, what may be
imported under what and with which roles (processes register theirs), the
spellings accepted for kinds, sectors and roles, the template handed out
(its examples on a sheet of their own, never read) and the sheet of
one-time passwords. Checking and importing are in `imports`, the plan shown
before committing in `import_plan`."""


from django.utils import translation

from workflows.documents.xlsx import Sheet, write_workbook
from workflows.models import OrgKind, Sector
from workflows.organisations.roles import ADMINISTRATOR, role_label

ORG_SHEET, ACCOUNT_SHEET = "组织", "账号"
ORG_HEADERS = ["编码", "名称", "类型", "上级编码", "单位性质"]
ACCOUNT_HEADERS = ["用户名", "姓名", "单位编码", "角色", "手机"]
# What may be imported under what: the kind decides the parent's kind.
IMPORT_KINDS = {
    OrgKind.INTERMEDIATE: {OrgKind.DISTRICT},
    OrgKind.GRASSROOTS: {OrgKind.DISTRICT, OrgKind.INTERMEDIATE},
    OrgKind.SUB_UNION: {OrgKind.GRASSROOTS},
}
# Roles an import may give, and the kinds of organisation they are held at.
# The engine knows its own administrator; each process registers its roles
# (register_importable_role, from its AppConfig.ready).
IMPORT_ROLES = {ADMINISTRATOR: {OrgKind.DISTRICT}}


def register_importable_role(code, kinds, *, synonyms=()):
    IMPORT_ROLES[code] = set(kinds)
    SYNONYMS.setdefault(code, []).extend(synonyms)


# Spellings people use besides the labels.
SYNONYMS = {
    OrgKind.INTERMEDIATE: ["乡镇街道工会", "乡镇工会", "街道工会", "局工委", "中间层工会"],
    OrgKind.SUB_UNION: ["分工会", "工会小组"],
    Sector.STATE_OWNED: ["国有企业", "国企"],
    Sector.COLLECTIVE: ["集体企业"],
    Sector.NON_PUBLIC: ["非公有制企业", "非公企业", "民营企业"],
    ADMINISTRATOR: ["管理员"],
}


def _choices(enum, allowed):
    """Accepted spellings → value: the code, the English and the Chinese
    label, and the usual other names."""
    accepted = {}
    for value, label in enum.choices:
        if value not in allowed:
            continue
        accepted[str(value).lower()] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                accepted[str(label).strip().lower()] = value
        for synonym in SYNONYMS.get(value, []):
            accepted[synonym] = value
    return accepted


def _labels(enum, values):
    with translation.override("zh-hans"):
        return "、".join(str(enum(v).label) for v in values)


def _role_choices():
    """Accepted spellings of the importable roles → code."""
    accepted = {}
    for code in IMPORT_ROLES:
        accepted[code.lower()] = code
        for language in ("en", "zh-hans"):
            with translation.override(language):
                accepted[str(role_label(code)).strip().lower()] = code
        for synonym in SYNONYMS.get(code, []):
            accepted[synonym] = code
    return accepted


def _role_labels(codes):
    with translation.override("zh-hans"):
        return "、".join(str(role_label(code)) for code in codes)


def _example_role(kind):
    return next((code for code, kinds in IMPORT_ROLES.items() if kind in kinds), ADMINISTRATOR)


# The template ---------------------------------------------------------------

EXAMPLE_SHEET = "示例"
# The example rows of templates handed out before the examples had a sheet
# of their own: found on a real sheet, such a row is refused, never imported
# (one renamed the real reviewer cg_review and made a second 城关机械 union).
OLD_TEMPLATE_EXAMPLES = {
    ORG_SHEET: [("chengguan", "城关镇总工会"), ("cg-jixie", "城关机械制造有限公司工会")],
    ACCOUNT_SHEET: [("cg_review", "王审核", "13800000001"), ("cgjx_submit", "李填报", "13800000002")],
}


def example_rows(sheet):
    if sheet == ORG_SHEET:
        return [
            ["example-town", "（示例）某某镇总工会", _labels(OrgKind, [OrgKind.INTERMEDIATE]), "", ""],
            ["example-factory", "（示例）某某机械有限公司工会", _labels(OrgKind, [OrgKind.GRASSROOTS]), "example-town",
             _labels(Sector, [Sector.NON_PUBLIC])],
        ]
    return [
        ["example_review", "（示例）王审核", "example-town", _role_labels([_example_role(OrgKind.INTERMEDIATE)]),
         "13800000001"],
        ["example_submit", "（示例）李填报", "example-factory", _role_labels([_example_role(OrgKind.GRASSROOTS)]),
         "13800000002"],
    ]


def _is_example(sheet, values):
    if sheet == ORG_SHEET:
        key = (values["编码"], values["名称"])
        current = {(row[0], row[1]) for row in example_rows(ORG_SHEET)}
    else:
        key = (values["用户名"], values["姓名"], values["手机"])
        current = {(row[0], row[1], row[4]) for row in example_rows(ACCOUNT_SHEET)}
    return key in current or key in OLD_TEMPLATE_EXAMPLES[sheet]

def template_xlsx(district):
    examples = [["以下为填写示例，本表不会导入。请在「组织」「账号」两表中填写。"], [ORG_SHEET], ORG_HEADERS,
                *example_rows(ORG_SHEET), [], [ACCOUNT_SHEET], ACCOUNT_HEADERS, *example_rows(ACCOUNT_SHEET)]
    notes = [[line] for line in [
        f"区总工会：{district.name}（编码 {district.code}）。上级编码留空即直属区总工会。",
        "组织「类型」可填：" + _labels(OrgKind, IMPORT_KINDS),
        "「单位性质」可填：" + _labels(Sector, [v for v in Sector.values if v]) + "（可留空）",
        "账号「角色」可填：" + _role_labels(IMPORT_ROLES) + "；一人多个角色或单位时每个一行。",
        "「手机」填11位手机号。再次导入时按编码、用户名更新，不会重复建立。",
        "新账号的一次性密码在导入后显示一次，首次登录须修改。",
    ]]
    title = f"{district.name} 组织和账号导入表"
    # The examples stand on a sheet of their own, which is never read: a
    # template uploaded unchanged imports nothing (and says so).
    widths = [18, 36, 16, 18, 16]
    return write_workbook([Sheet(ORG_SHEET, ORG_HEADERS, widths=widths), Sheet(ACCOUNT_SHEET, ACCOUNT_HEADERS, widths=widths),
                           Sheet(EXAMPLE_SHEET, None, examples), Sheet("说明", None, notes)], title=title)


def passwords_xlsx(new_accounts):
    """The sheet of new accounts and their one-time passwords."""
    rows = [[a["username"], a["name"], a["unit"], a["password"]] for a in new_accounts]
    return write_workbook([Sheet("一次性密码", ["用户名", "姓名", "单位", "一次性密码"], rows,
                                 page_title="新账号一次性密码")])
