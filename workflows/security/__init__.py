"""Account security beyond passwords: sign-on through the union's identity
service (OIDC, CAS) matched to existing accounts (identities,
signon_backends, signon_views), the second factor (second_factor,
second_factor_views), the session limits (sessions), and what a 等保
assessment asks of the audit log and the settings (audit_export,
retention, settings_page)."""
