from django.urls import path

from jiandu.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("todo/", views.todo, name="todo"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export/", views.statistics_export, name="statistics_export"),
    path("statistics/report/", views.statistics_report, name="statistics_report"),
]
