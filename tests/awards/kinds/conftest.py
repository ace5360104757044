"""Kinds of campaign for the tests of campaigns and cases: a definition
with every optional step of a route template chosen by the test, made
through the same service the editor uses."""

import copy
import datetime

import pytest

from awards.kinds import cases as case_services
from awards.kinds import services
from tests.conftest import valid_id_number

FIELDS = [
    {"key": "name", "type": "text", "label": "姓名", "required": True, "public": True},
    {"key": "id_number", "type": "id_number", "label": "身份证号", "required": True},
    {"key": "mobile", "type": "mobile", "label": "手机号码", "required": False},
    {"key": "deeds", "type": "long_text", "label": "主要事迹", "required": True, "public": True, "max_length": 2000},
    {"key": "proof", "type": "file", "label": "证明材料", "required": False, "types": ["pdf", "png"], "max_mb": 5},
]
OUTCOMES = [{"value": "granted", "label": "授予", "positive": True},
            {"value": "refused", "label": "不予授予", "positive": False}]

# A scoring standard (the engine's: workflows.scoring.standards) for the
# kinds whose route has the inspectors' scoring, and a plaque to end in.
STANDARD = {
    "qualified": 60, "model": 85,
    "sections": [
        {"title": "一、场地设施", "items": [
            {"code": "1.1", "text": "面积达标，环境整洁", "kind": "scored", "points": 40},
            {"code": "1.2", "text": "设备齐全", "kind": "scored", "points": 30},
        ]},
        {"title": "二、管理", "items": [
            {"code": "2.1", "text": "制度健全，专人管理", "kind": "scored", "points": 30},
            {"code": "2.2", "text": "场地挪作他用", "kind": "veto", "points": 0},
        ]},
    ],
}
PLAQUE = {"layout": "plaque", "title": "读书示范点", "issuer": "示范区总工会",
          "wording": "{union}被命名为{year}年度读书示范点。", "number_format": "SF{year}-{seq:03d}"}


def definition(*, template="honour", steps=("confirm", "intermediate_review", "notice"), outcomes=OUTCOMES,
               fields=FIELDS, title="测试荣誉", signoffs=(), inspectors=2):
    chosen = [s for s in ("confirm", "intermediate_review", "district_review", "signoffs", "scoring", "notice",
                          "decision")
              if s in steps or s in ("district_review", "decision") or (template == "aid" and s == "confirm")]
    return {
        "format": 1, "title": title, "applicant": "person" if template == "honour" else "worker",
        "fields": copy.deepcopy(fields),
        "route": {"template": template, "steps": chosen, "signoffs": list(signoffs),
                  **({"scoring": {"inspectors": inspectors}} if "scoring" in chosen else {}),
                  "notice_days": 5 if "notice" in chosen else 0,
                  "deadline_days": {k: v for k, v in (("confirm", 5), ("district_review", 10)) if k in chosen},
                  "outcomes": copy.deepcopy(outcomes)},
        "ends_in": {"certificate": None, "approved_list": True, "payment_list": False},
    }


@pytest.fixture
def make_kind(tree):
    serial = iter(range(1, 1000))

    def make(**options):
        return services.do_create_kind(district=tree.district, code=f"kind-{next(serial)}",
                                       definition=definition(**options), actor=tree.admin_d)
    return make


@pytest.fixture
def open_campaign(tree):
    def open_(version, *, year=2026, deadline=None, standard_version=None):
        return case_services.do_open_campaign(
            versions=[version], year=year, title=f"{year}年度{version.title}", actor=tree.admin_d,
            deadline=deadline or datetime.date.today() + datetime.timedelta(days=30),
            standard_version=standard_version)
    return open_


def answers_post(name="张三", n=1):
    return {"case-organisation": "", "case-name": name, "answers-name": name,
            "answers-id_number": valid_id_number(f"11010119850301{n:03d}"), "answers-mobile": "13800138000",
            "answers-deeds": "长期从事工会工作，成绩突出。"}


@pytest.fixture
def make_case(tree):
    """A case handed in by the union's submitter through the service."""
    serial = iter(range(1, 1000))

    def make(campaign, *, organisation=None, submitter=None, submit=True):
        n = next(serial)
        organisation = organisation or tree.union_a1
        form_class = case_services.form_class(campaign.offered_versions[0])
        data = {k.removeprefix("answers-"): v for k, v in answers_post(f"候选人{n}", n).items()
                if k.startswith("answers-")}
        form = form_class(data)
        assert form.is_valid(), form.errors
        return case_services.do_create_case(campaign=campaign, organisation=organisation, name=f"候选人{n}",
                                            form=form, actor=submitter or tree.submitter, submit=submit)
    return make


def filled(version, n=1, name=None):
    """Answers to every field of `version`'s form as a person would type
    them (files left out: a required file is not built here)."""
    data = {}
    for spec in version.definition["fields"]:
        kind, key = spec["type"], spec["key"]
        if kind == "text":
            data[key] = name or f"测试{n}"
        elif kind == "long_text":
            data[key] = "长期从事工会工作，成绩突出。"
        elif kind == "number":
            data[key] = str(max(spec.get("min") or 0, 1))
        elif kind == "money":
            data[key] = "100.00"
        elif kind == "date":
            data[key] = "2024-05-01"
        elif kind == "choice":
            data[key] = spec["choices"][0]["value"]
        elif kind == "multiple_choice":
            data[key] = [spec["choices"][0]["value"]]
        elif kind == "yes_no":
            data[key] = "yes"
        elif kind == "id_number":
            data[key] = valid_id_number(f"11010119850301{n % 1000:03d}")
        elif kind == "mobile":
            data[key] = "13800138000"
    return data


def hand_in(campaign, *, organisation, submitter, n=1, submit=True, version=None):
    """A case of `campaign` handed in through the service under `version`
    (its first offer by default), every field filled."""
    version = version or campaign.offered_versions[0]
    form = case_services.form_class(version)(filled(version, n, name=f"候选人{n}"))
    assert form.is_valid(), form.errors
    return case_services.do_create_case(campaign=campaign, organisation=organisation, name=f"候选人{n}",
                                        form=form, actor=submitter, submit=submit, version=version)
