"""Django admin for the registry's reference lists only (Admin Pusat as superuser).

Centres and their records are edited in Simpul's own pages, through the
services; the admin keeps every change in the history as well.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import SubVocation, TechnicalUnit, Vocation


class SubVocationInline(admin.TabularInline):
    model = SubVocation
    extra = 0


@admin.register(Vocation)
class VocationAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
    inlines = [SubVocationInline]


@admin.register(TechnicalUnit)
class TechnicalUnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "location")
    search_fields = ("code", "name")
