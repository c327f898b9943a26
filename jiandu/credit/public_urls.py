from django.urls import path

from jiandu.credit import public

app_name = "credit_public"
urlpatterns = [
    path("", public.apply, name="apply"),
    path("track/", public.track, name="track"),
    path("track/<str:code>/", public.track_detail, name="track_detail"),
]
