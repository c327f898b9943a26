from django.urls import path

from jiandu.acceptance import urls as acceptance_urls
from jiandu.documents import views

app_name = "documents"
urlpatterns = [
    path("<int:pk>/", views.download_attachment, name="download"),
]
# The campaign's summary report (the acceptance app), at the path it always had.
urlpatterns += acceptance_urls.document_urlpatterns
