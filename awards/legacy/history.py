"""What the May Day award's audit entries mean to the cases carried from
its nominations (carry.py): its action codes and states in the kinds'
terms (awards.kinds.carried). The entries stay as written, under
`awards.nomination`, with their own labels; the four-eyes rule, the
printed opinions and the process map read these meanings.

May Day's "approved" was one code for three levels (the chair, the
intermediate union, the district); the readers that judge by it (four
eyes, opinions by level) compare the mapped *state* the entry left, so one
level decision code serves all three."""

from .carry import STATES

CODES = {
    "awards.nomination.submitted": "kinds.case.submitted",
    "awards.nomination.confirmed": "kinds.case.confirmed",
    "awards.nomination.approved": "kinds.case.approved",
    "awards.nomination.returned": "kinds.case.returned",
    "awards.nomination.rejected": "kinds.case.rejected",
    "awards.nomination.resubmitted": "kinds.case.resubmitted",
    "awards.nomination.withdrawn": "kinds.case.withdrawn",
    "awards.nomination.published": "kinds.case.published",
    "awards.nomination.notice_passed": "kinds.case.notice_passed",
    "awards.nomination.signoff_agreed": "kinds.case.signoff_agreed",
    "awards.nomination.signoff_refused": "kinds.case.signoff_refused",
    "awards.nomination.awarded": "kinds.case.granted",
    "awards.nomination.not_awarded": "kinds.case.not_granted",
}


def register():
    """From AwardsConfig.ready."""
    from awards.kinds.carried import register_carried_history

    register_carried_history(codes=CODES, states=STATES)
