"""The settings of planning kept by the administrator: frequency caps per enterprise
category, and the enterprises closed (left out of draw pools)."""

from django.contrib import admin

from jiandu.planning.models import Closure, FrequencyCap


@admin.register(FrequencyCap)
class FrequencyCapAdmin(admin.ModelAdmin):
    list_display = ["label", "cap", "quiet_list", "industry", "kind", "active"]
    list_filter = ["active", "quiet_list"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "closed_on", "note"]
    raw_id_fields = ["enterprise"]
    search_fields = ["enterprise__uscc", "enterprise__name"]
    date_hierarchy = "closed_on"
