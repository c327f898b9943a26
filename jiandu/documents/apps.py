from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "jiandu.documents"
    label = "documents"
