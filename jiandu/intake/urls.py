from django.urls import path

from jiandu.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.index, name="index"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/resume/", views.resume, name="resume"),
    path("batches/<int:pk>/report.xlsx", views.report, name="report"),
    path("templates/<str:kind>.xlsx", views.template, name="template"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
