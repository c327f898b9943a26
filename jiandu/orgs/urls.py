from django.urls import path

from jiandu.orgs import views

app_name = "orgs"
urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("me/password/", views.password_change, name="password_change"),
    path("me/security/", views.security, name="security"),
    path("me/security/totp/", views.otp_enrol, name="otp_enrol"),
    path("me/security/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("me/security/disable/", views.otp_disable, name="otp_disable"),
    path("me/security/roles/", views.role_otp, name="role_otp"),
]
