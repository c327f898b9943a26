from django.urls import path

from jiandu.transfers import views

app_name = "transfers"
urlpatterns = [
    path("", views.transfer_list, name="list"),
    path("export/", views.transfer_export, name="export"),
    path("new/", views.transfer_new, name="new"),
    path("files/<int:pk>/", views.transfer_file, name="file"),
    path("<int:pk>/", views.transfer_detail, name="detail"),
    path("<int:pk>/<str:name>/", views.transfer_step, name="step"),
]
