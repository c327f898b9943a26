from django.urls import path

from jiandu.orgs import views

app_name = "orgs"
urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("me/password/", views.password_change, name="password_change"),
]
