"""What the test identity provider says about its users: a stable subject
of its own (not our user's id) and the claims a union's identity service
issues (user name, employee number)."""

from oauth2_provider.oauth2_validators import OAuth2Validator

# The provider's people: its user name → (subject, employee number). The
# provider's accounts live in the same user table as the app's (one test
# database); they hold no membership and are not the app's accounts.
PEOPLE = {
    "idp_admin": ("idp-7f3a-admin", "E-0001"),
    "idp_li": ("idp-91c2-li", "li_clerk"),
    "idp_nobody": ("idp-5d00-nobody", "E-9999"),
}


class ProviderValidator(OAuth2Validator):
    # Every claim below, whatever the scope (the test asks openid profile).
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        subject, employee_number = PEOPLE[request.user.username]
        return {"sub": subject, "preferred_username": request.user.username, "employee_number": employee_number}
