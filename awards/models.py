"""The awards app holds no models since the May Day award became three
campaign kinds (awards/kinds; its data carried by migration 0012). The
two callables below are kept because migration 0003 names them."""


def default_notice_fields():
    return ["kind", "nominee_name", "gender", "organisation", "work_unit", "post", "job_title", "summary"]


def default_step_deadline_days():
    return {}
