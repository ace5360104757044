"""The sign-on suite: the live server serves the app at http://localhost:PORT
and the test identity provider (tests.signon.provider) at
http://127.0.0.1:PORT/provider/: two host names, so the browser keeps two
sessions apart, as with a real identity service on its own domain."""

from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model

# The house browser harness (Debian's Chromium, the live server, screenshots).
from tests.e2e.conftest import browser, e2e_server, open_page  # noqa: F401

from .provider.claims import PEOPLE

CLIENT_ID = "unionflow-test"
CLIENT_SECRET = "s3cret-of-the-relying-party"


@pytest.fixture
def provider(e2e_server, transactional_db, settings):
    """A registered relying party at the provider, the provider's people,
    and the app's settings pointing at it. Returns the provider's base URL."""
    from oauth2_provider.models import get_application_model

    port = urlsplit(e2e_server.url).port
    app_url, idp = f"http://localhost:{port}", f"http://127.0.0.1:{port}"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"]
    # The provider's signing key, made for this test.
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_RSA_PRIVATE_KEY": pem,
                                "OIDC_ISS_ENDPOINT": f"{idp}/provider/o"}
    Application = get_application_model()
    Application.objects.create(
        name="UnionFlow", client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{app_url}/login/oidc/callback/", algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    for username in PEOPLE:
        get_user_model().objects.create_user(username, password="idp-pw")
    settings.UNIONFLOW_OIDC = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{idp}/provider/o/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{idp}/provider/o/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{idp}/provider/o/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{idp}/provider/o/.well-known/jwks.json"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.UNIONFLOW_CAS = True
    settings.CAS_SERVER_URL = f"{idp}/provider/cas/"
    settings.CAS_VERSION = "3"
    return app_url
