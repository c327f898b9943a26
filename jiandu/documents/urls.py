from django.urls import path

from jiandu.documents import views

app_name = "documents"
urlpatterns = [
    path("<int:pk>/", views.download_attachment, name="download"),
    path("summary/<int:campaign_id>/", views.summary_report, name="summary"),
]
