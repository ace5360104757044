from csp.decorators import csp_exempt
from django.contrib.auth import views as auth_views
from django.urls import include, path
from oauth2_provider import views as oauth2_views

from . import cas


class AuthorizationView(oauth2_views.AuthorizationView):
    # The provider's own login page, not the app's.
    login_url = "/provider/login/"


# The provider is another site in real life: the app's Content-Security-
# Policy (form-action 'self') would stop its login form's redirect chain
# at the app's host.
_login = csp_exempt()(auth_views.LoginView.as_view(template_name="provider/login.html"))

urlpatterns = [
    path("login/", _login, name="provider_login"),
    path("o/authorize/", AuthorizationView.as_view(), name="provider_authorize"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("cas/login", csp_exempt()(cas.login), name="provider_cas_login"),
    path("cas/p3/serviceValidate", cas.service_validate, name="provider_cas_validate"),
]
