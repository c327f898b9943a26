from django.urls import path

from jiandu.credit import views

app_name = "credit"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("export/", views.application_export, name="export"),
    path("cases/<int:pk>/three-docs/", views.three_docs, name="three_docs"),
    path("cases/<int:pk>/serve/", views.serve_three_docs, name="serve"),
    path("files/<int:pk>/", views.application_file, name="file"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/<str:name>/", views.application_step, name="step"),
]
