"""The 公文 register in the admin, read-only: numbers are taken and cancelled only through
the engine (jiandu.documents.gongwen) and the register page, never edited by hand."""

from django.contrib import admin

from jiandu.documents.models import DocumentNumber, DocumentTemplate, IssuedDocument


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentNumber)
class DocumentNumberAdmin(ReadOnly):
    list_display = ["__str__", "kind", "year", "seq", "state", "issued_at", "cancel_reason"]
    list_filter = ["kind", "year", "state"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnly):
    list_display = ["number", "kind", "title", "unit", "issued_at", "served_at"]
    list_filter = ["kind"]
    list_select_related = ["number", "unit"]


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(ReadOnly):
    """Uploads go through the 公文模板 page (/files/templates/), which checks the fields."""

    list_display = ["kind", "uploaded_at", "uploaded_by", "failed_at"]
