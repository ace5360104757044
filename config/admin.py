"""The login lockouts in the admin: seen, and lifted early by deleting one
(Django's admin log records who did). They are never added or changed here:
config.login_lockouts sets them from the failures it counts."""

from django.contrib import admin

from .models import LoginLockout


@admin.register(LoginLockout)
class LoginLockoutAdmin(admin.ModelAdmin):
    list_display = ["kind", "key", "failures", "spread", "locked_at", "until"]
    list_filter = ["kind"]
    search_fields = ["key"]
    date_hierarchy = "locked_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
