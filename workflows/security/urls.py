from django.urls import path

from . import audit_export, second_factor_views, settings_page, signon_views

urlpatterns = [
    path("login/refused/", signon_views.signon_refused, name="signon_refused"),
    path("login/oidc/", signon_views.oidc_start, name="oidc_login"),
    path("login/oidc/callback/", signon_views.oidc_callback, name="oidc_callback"),
    path("login/cas/", signon_views.cas_login, name="cas_login"),
    path("account/second-factor/", second_factor_views.enrol, name="second_factor_enrol"),
    path("account/second-factor/verify/", second_factor_views.verify, name="second_factor_verify"),
    path("accounts/<int:pk>/sign-on/", signon_views.account_signon, name="account_signon"),
    path("accounts/<int:pk>/reset-second-factor/", second_factor_views.account_reset,
         name="account_reset_second_factor"),
    path("security/", settings_page.security_settings, name="security_settings"),
    path("security/audit-export/", audit_export.audit_export, name="audit_export"),
]
