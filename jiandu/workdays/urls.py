from django.urls import path

from jiandu.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.add, name="add"),
    path("<int:pk>/delete/", views.remove, name="delete"),
]
