from django.urls import path

from jiandu.enforcement import views

app_name = "enforcement"
urlpatterns = [
    path("cases/", views.cases, name="cases"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("enterprises/", views.enterprises, name="enterprises"),
    path("enterprises/options/", views.enterprise_options, name="enterprise_options"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("officers/", views.officers, name="officers"),
]
