"""The API's shapes. Most answers are built as dicts by workflows.api.render
(the engine's own readers); these serializers state their types for the
schema and validate what a caller posts."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from workflows.models import ApiScope


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True)


class MembershipSerializer(serializers.Serializer):
    organisation = OrganisationRefSerializer()
    role = serializers.CharField()
    role_label = serializers.CharField()
    on_behalf_of = serializers.CharField(allow_null=True, help_text="The absent holder a substitute stands in for.")


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    token_scope = serializers.CharField(allow_null=True)
    memberships = MembershipSerializer(many=True)


class RoleSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    sees_branch = serializers.BooleanField()


class StateSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class DecisionDeclSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    target = serializers.CharField()
    final = serializers.BooleanField()
    comment_required = serializers.BooleanField()


class StepSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    states = serializers.ListField(child=serializers.CharField())
    decisions = DecisionDeclSerializer(many=True)
    decided_through_api = serializers.BooleanField()


class TransitionSerializer(serializers.Serializer):
    code = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField())
    target = serializers.CharField()


class FilterSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()


class ProcessSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    initial = serializers.CharField()
    final_states = serializers.ListField(child=serializers.CharField())
    states = StateSerializer(many=True)
    steps = StepSerializer(many=True)
    transitions = TransitionSerializer(many=True)
    filters = FilterSerializer(many=True)


class CaseSummarySerializer(serializers.Serializer):
    process = serializers.CharField()
    id = serializers.IntegerField()
    subject = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    version = serializers.IntegerField()
    organisation = OrganisationRefSerializer(allow_null=True)
    page_url = serializers.CharField()


class FieldSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField(allow_blank=True)


class HistoryEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    time = serializers.DateTimeField()
    action = serializers.CharField()
    action_label = serializers.CharField()
    actor = serializers.CharField(allow_blank=True)
    on_behalf_of = serializers.CharField(allow_null=True)
    organisation = OrganisationRefSerializer(allow_null=True)
    role = serializers.CharField(allow_blank=True)
    role_label = serializers.CharField(allow_blank=True)
    from_state = serializers.CharField(allow_blank=True)
    from_label = serializers.CharField(allow_blank=True)
    to_state = serializers.CharField(allow_blank=True)
    to_label = serializers.CharField(allow_blank=True)
    decision = serializers.CharField(allow_blank=True)
    comment = serializers.CharField(allow_blank=True)


class DocumentSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    page_url = serializers.CharField(help_text="The page's download link (a signed-in browser session).")


class AvailableDecisionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    final = serializers.BooleanField()
    comment_required = serializers.BooleanField()


class CaseDetailSerializer(CaseSummarySerializer):
    fields = FieldSerializer(many=True)
    history = HistoryEntrySerializer(many=True)
    documents = DocumentSerializer(many=True)
    step = serializers.CharField(allow_null=True)
    decisions = AvailableDecisionSerializer(many=True, help_text="What you may decide now, through the API.")


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    step = serializers.CharField()
    step_key = serializers.CharField()
    step_title = serializers.CharField()
    organisation = OrganisationRefSerializer(allow_null=True)
    role = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    case = CaseSummarySerializer()


class DecisionRequestSerializer(serializers.Serializer):
    decision = serializers.SlugField(max_length=40)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=0, max_value=2**31 - 1,
                                       help_text="The case's version you saw: a case that moved since is a 409.")
    confirm = serializers.BooleanField(required=False, default=False,
                                       help_text="Must be true for a final decision (the pages ask to confirm).")


class FiguresSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    year = serializers.IntegerField()
    data = serializers.DictField(help_text="The process's figures; see docs/api.md.")


class CertificateCheckSerializer(serializers.Serializer):
    number = serializers.CharField()
    holder_name = serializers.CharField()
    award_title = serializers.CharField()
    issuer = serializers.CharField()
    issued_on = serializers.DateField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    revoked_on = serializers.DateField(allow_null=True)


class TokenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    account = serializers.CharField()
    scope = serializers.CharField()
    prefix = serializers.CharField()
    created = serializers.DateTimeField()
    created_by = serializers.CharField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    active = serializers.BooleanField()


class NewTokenSerializer(TokenSerializer):
    secret = serializers.CharField(help_text="Shown this once; only its hash is kept.")


class TokenRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scope = serializers.ChoiceField(choices=ApiScope.choices)
    account = serializers.CharField(required=False, max_length=150,
                                    help_text="User name of the account (default: your own).")


def paged(name, item):
    """The shape of a page of `item`s (25 a page; `next`/`previous` are
    the URLs of the neighbouring pages)."""
    return inline_serializer(f"Paged{name}", {
        "count": serializers.IntegerField(),
        "next": serializers.CharField(allow_null=True),
        "previous": serializers.CharField(allow_null=True),
        "results": item(many=True),
    })
