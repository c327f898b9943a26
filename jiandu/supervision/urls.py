"""监督检查 and 案卷评查 pages. They are mounted inside the `campaigns:` namespace (see
jiandu/urls.py) so every path and URL name stays what it was before the split."""

from django.urls import path

from jiandu.supervision import views

urlpatterns = [
    path("<int:pk>/visits/", views.visits, name="visits"),
    path("<int:pk>/visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit, name="visit"),
    path("visits/<int:pk>/findings/", views.visit_finding, name="visit_finding"),
    path("visits/<int:pk>/complete/", views.visit_complete, name="visit_complete"),
    path("visits/<int:pk>/reviews/new/", views.review_new, name="review_new"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/problem/", views.review_problem, name="review_problem"),
]
