from django.urls import path

from jiandu.documents import views

app_name = "documents"
urlpatterns = [
    path("<int:pk>/", views.download_attachment, name="download"),
    path("issued/<int:pk>/", views.download_issued, name="issued_download"),
    path("issued/<int:pk>/receipt/", views.issued_receipt, name="issued_receipt"),
    path("register/", views.register, name="register"),
    path("register/<int:pk>/cancel/", views.cancel, name="number_cancel"),
    path("templates/", views.templates, name="templates"),
    path("templates/<str:kind>/", views.template_default, name="template_default"),
]
# The campaign's summary report (the acceptance app, which stands above documents) is
# mounted into this namespace by jiandu/urls.py, at the path it always had.
