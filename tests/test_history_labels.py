"""A history row says who acted where the buttons do not: the engine
labels a declared decision by its button (workflows.audit), and a process
keeps its own label where the bare button (同意, 确认) would read the same
for a chair, a reviewer and a department."""

from django.utils import translation

from workflows.audit import action_label


def test_approvals_and_sign_offs_read_apart_in_chinese():
    with translation.override("zh-hans"):
        labels = {code: str(action_label(code)) for code in (
            "kinds.case.confirmed", "kinds.case.approved", "kinds.case.signoff_agreed",
            "kinds.case.signoff_refused", "awards.nomination.approved", "awards.nomination.signoff_agreed",
            "awards.nomination.signoff_refused")}
    assert labels["kinds.case.signoff_agreed"] == "部门会签同意"
    assert labels["kinds.case.signoff_refused"] == "部门会签不同意"
    assert labels["kinds.case.approved"] == "区总工会审核同意"
    assert labels["kinds.case.confirmed"] == "本单位工会主席确认"
    assert labels["awards.nomination.signoff_agreed"] == "部门同意"
    assert labels["awards.nomination.signoff_refused"] == "部门不同意"
    assert len(set(labels.values())) == len(labels)
