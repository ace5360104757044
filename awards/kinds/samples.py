"""A sample kind of campaign, as a district would set it up: the 优秀工会
工作者 honour. The demo and the tests start from it."""

from .definition import FORMAT

OUTSTANDING_UNION_WORKER = {
    "format": FORMAT,
    "title": "优秀工会工作者",
    "applicant": "person",
    "fields": [
        {"key": "name", "type": "text", "label": "姓名", "required": True, "public": True},
        {"key": "id_number", "type": "id_number", "label": "身份证号", "required": True, "public": False},
        {"key": "mobile", "type": "mobile", "label": "手机号码", "required": False, "public": False},
        {"key": "post", "type": "text", "label": "工会职务", "required": True, "public": True},
        {"key": "years", "type": "number", "label": "从事工会工作年限", "required": True, "public": False,
         "min": 0, "max": 50},
        {"key": "deeds", "type": "long_text", "label": "主要事迹", "required": True, "public": True,
         "max_length": 2000},
        {"key": "proof", "type": "file", "label": "证明材料", "required": False, "public": False,
         "types": ["pdf", "jpg", "png"], "max_mb": 10},
    ],
    "route": {
        "template": "honour",
        "steps": ["confirm", "intermediate_review", "district_review", "notice", "decision"],
        "signoffs": [],
        "notice_days": 5,
        "deadline_days": {"confirm": 5, "intermediate_review": 10, "district_review": 10},
        "outcomes": [{"value": "granted", "label": "授予", "positive": True},
                     {"value": "refused", "label": "不予授予", "positive": False}],
    },
    "ends_in": {
        "certificate": {"layout": "default", "title": "优秀工会工作者",
                        "wording": "{name}同志被评为{year}年度优秀工会工作者，特发此证。",
                        "issuer": "区总工会", "number_format": "YX{year}-{seq:03d}"},
        "approved_list": True,
        "payment_list": False,
    },
}
