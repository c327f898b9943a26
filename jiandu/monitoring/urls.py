from django.urls import path

from jiandu.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/bulk/", views.bulk, name="bulk"),
    path("alerts/<int:pk>/", views.alert, name="alert"),
    path("alerts/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("alerts/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("alerts/<int:pk>/assign/", views.assign, name="assign"),
    path("alerts/<int:pk>/transfer/", views.transfer, name="transfer"),
    path("rules/", views.rules, name="rules"),
    path("rules/<str:rule_id>/", views.rule_edit, name="rule_edit"),
    path("runs/start/", views.run_start, name="run_start"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("compare/", views.compare, name="compare"),
]
