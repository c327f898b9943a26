from django.urls import path

from jiandu.documents import views

app_name = "documents"
urlpatterns = [path("<int:pk>/", views.download, name="download")]
