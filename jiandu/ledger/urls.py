from django.urls import path

from jiandu.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.problems, name="problems"),
    path("export/", views.export, name="export"),
    path("new/", views.problem_new, name="problem_new"),
    path("extensions/", views.extensions, name="extensions"),
    path("extensions/decide/", views.extensions_decide, name="extensions_decide"),
    path("<int:pk>/", views.problem, name="problem"),
    path("<int:pk>/<str:name>/", views.transition, name="transition"),
    path("leads/", views.leads, name="leads"),
    path("leads/<int:pk>/", views.lead, name="lead"),
    path("leads/<int:pk>/receive/", views.lead_receive, name="lead_receive"),
    path("leads/<int:pk>/close/", views.lead_close, name="lead_close"),
    path("leads/<int:pk>/dispose/", views.lead_dispose, name="lead_dispose"),
    path("leads/<int:pk>/return/", views.lead_return, name="lead_return"),
]
