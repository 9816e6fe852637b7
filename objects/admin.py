"""Read-only admin views: the data belongs to the sync, so nothing here edits it."""

from django.contrib import admin

from objects.models import CommonResource, ObjectVersion, RegistryFile, Resource, SyncLock, SyncRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnlyAdmin):
    list_display = ("started", "finished", "outcome", "source", "versions", "definitions_ok",
                    "definitions_missing", "definitions_invalid", "changed", "error")  # fmt: skip
    list_filter = ("outcome",)
    search_fields = ("source", "error")


@admin.register(SyncLock)
class SyncLockAdmin(ReadOnlyAdmin):
    list_display = ("name", "host", "pid", "acquired", "heartbeat", "run")


class ResourceInline(admin.TabularInline):
    model = Resource
    fields = ("resource_id", "name", "operations", "multiple_instances", "mandatory", "type",
              "units")  # fmt: skip
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ObjectVersion)
class ObjectVersionAdmin(ReadOnlyAdmin):
    list_display = ("object_id", "ver", "name", "owner", "label", "is_latest", "status")
    list_filter = ("status", "label", "is_latest")
    search_fields = ("=object_id", "name", "owner", "urn")
    exclude = ("search_text",)
    inlines = [ResourceInline]


@admin.register(CommonResource)
class CommonResourceAdmin(ReadOnlyAdmin):
    list_display = ("resource_id", "name", "operations", "type", "units", "submitter")
    search_fields = ("=resource_id", "name", "submitter")


@admin.register(RegistryFile)
class RegistryFileAdmin(ReadOnlyAdmin):
    list_display = ("name", "url", "fetched", "sha256", "problem")
    exclude = ("body",)
