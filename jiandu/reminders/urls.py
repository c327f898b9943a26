from django.urls import path

from jiandu.reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.index, name="index"),
    path("drafts/", views.index, name="drafts"),
    path("drafts/<int:pk>/", views.draft, name="draft"),
    path("unit/<int:pk>/", views.unit, name="unit"),
    path("item/<str:key>/pause/", views.pause, name="pause"),
    path("item/<str:key>/resume/", views.resume, name="resume"),
]
