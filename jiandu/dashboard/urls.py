from django.urls import path

from jiandu.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("todo/", views.todo, name="todo"),
]
