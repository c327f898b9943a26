from django.urls import path

from jiandu.integrations import views

app_name = "integrations"
urlpatterns = [
    path("deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/<int:pk>/replay/", views.replay, name="replay"),
]
