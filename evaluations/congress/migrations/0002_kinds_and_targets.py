"""The report kinds and the work plan's targets the district starts with
(domain.md §4 and its targets); both are data the district may edit."""

from django.db import migrations

T, TA, D, I, DT, IT = "text", "textarea", "decimal", "integer", "date", "items"


def f(name, label, ftype, required=False):
    return {"name": name, "label": label, "type": ftype, "required": required}


KINDS = [
    {
        "code": "entertainment-expenses", "name": "业务招待费报告", "period": "half_year", "ordering": 1,
        "due_rule": {"after": "period_end", "working_days": 20},
        "schema": [
            f("budget", "预算金额（元）", D, True),
            f("actual", "实际支出（元）", D, True),
            f("items", "主要开支项目", IT, True),
            f("compliance", "执行规定情况", TA),
            f("review_opinion", "职代会审议意见", TA, True),
            f("review_date", "审议日期", DT, True),
        ],
        "checks": [{"rule": "items_total", "items": "items", "total": "actual"}],
        "attachments": [{"name": "minutes", "label": "职代会审议记录", "required": False}],
    },
    {
        "code": "integrity", "name": "年度廉洁情况报告", "period": "year", "ordering": 2,
        "due_rule": {"after": "period_end", "working_days": 20},
        "schema": [
            f("entertainment_total", "业务招待费支出（元）", D, True),
            f("income", "个人收入情况", TA, True),
            f("housing", "住房情况", TA),
            f("phone_car", "通讯费及公务用车情况", TA),
            f("travel", "因公出差、出国（境）情况", TA),
            f("shares", "持有股份情况", TA),
            f("relatives", "亲属经商办企业情况", TA),
            f("workers_interests", "涉及职工切身利益的事项", TA),
            f("report_date", "报告日期", DT, True),
        ],
        "checks": [],
        "attachments": [],
    },
    {
        "code": "open-affairs", "name": "厂务公开", "period": "year", "ordering": 3,
        "due_rule": {"after": "period_end", "working_days": 20},
        "schema": [
            f("disclosure_date", "公开日期", DT, True),
            f("channel", "公开形式", T, True),
            f("decisions", "重大决策事项", TA),
            f("finance", "生产经营与财务情况（含业务招待费）", TA, True),
            f("interests", "职工切身利益事项", TA, True),
            f("integrity", "领导人员廉洁情况（含民主评议结果、薪酬）", TA, True),
            f("motions", "代表提案（三分之一以上代表附议的须列入议程）", TA),
        ],
        "checks": [],
        "attachments": [],
    },
    {
        "code": "session-record", "name": "职代会会议记录", "period": "session", "ordering": 4,
        "due_rule": {"after": "session", "field": "session_date", "working_days": 20},
        "schema": [
            f("session_name", "会议名称", T, True),
            f("session_date", "召开日期", DT, True),
            f("delegates_entitled", "应到代表人数", I, True),
            f("delegates_present", "实到代表人数", I, True),
            f("agenda", "会议议程", TA, True),
            f("resolutions", "形成的决议", TA, True),
        ],
        "checks": [{"rule": "quorum", "entitled": "delegates_entitled", "present": "delegates_present",
                    "numerator": 2, "denominator": 3}],
        "attachments": [{"name": "sign_in", "label": "代表签到表", "required": False}],
    },
]

TARGETS = [
    ("congress_non_public", "非公有制企业建立职代会", "50", "percent"),
    ("collective_contract", "规模以上非公有制企业签订集体合同", "50", "percent"),
    ("wage_bargaining", "规模以上非公有制企业开展工资集体协商", "30", "percent"),
    ("mediation_body", "已建会企业建立劳动争议调解组织", "75", "percent"),
    ("women_special_contract", "签订集体合同的企业签订女职工专项集体合同", "80", "percent"),
    ("standardised_public", "国有、集体企业工会规范化建设", "40", "percent"),
    ("standardised_non_public", "非公有制企业工会规范化建设", "30", "percent"),
    ("new_unions", "非公有制企业新建工会（家）", "50", "count"),
    ("democratic_evaluation", "本年度开展民主评议干部的单位", "100", "percent"),
    ("reports_on_time", "按时报送职代会报告", "100", "percent"),
]


def load(apps, schema_editor):
    ReportKind = apps.get_model("congress", "ReportKind")
    CoverageTarget = apps.get_model("congress", "CoverageTarget")
    for kind in KINDS:
        ReportKind.objects.update_or_create(code=kind["code"], defaults={k: v for k, v in kind.items() if k != "code"})
    for order, (code, label, target, unit) in enumerate(TARGETS, start=1):
        CoverageTarget.objects.update_or_create(
            code=code, defaults={"label": label, "target": target, "unit": unit, "ordering": order}
        )


class Migration(migrations.Migration):
    dependencies = [("congress", "0001_reports")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
