"""总结验收 and showcase pages, mounted inside the `campaigns:` namespace, and the
summary report, mounted in `documents:` (both by jiandu/urls.py: acceptance stands above
campaigns and documents), so every path and URL name stays what it was before the split."""

from django.urls import path

from jiandu.acceptance import paper_views, views

urlpatterns = [
    path("<int:pk>/acceptance/", views.acceptance, name="acceptance"),
    path("<int:pk>/acceptance/bulk/", views.acceptance_bulk, name="acceptance_bulk"),
    path("<int:pk>/acceptance/<int:unit_pk>/", views.acceptance_decide, name="acceptance_decide"),
    path("<int:pk>/showcases/", views.showcases, name="showcases"),
    path("<int:pk>/showcases/new/", views.showcase_new, name="showcase_new"),
    path("showcases/<int:pk>/", views.showcase, name="showcase"),
    path("showcases/<int:pk>/edit/", views.showcase_edit, name="showcase_edit"),
    path("showcases/<int:pk>/<str:step>/", views.showcase_step, name="showcase_step"),
]

document_urlpatterns = [
    path("summary/<int:campaign_id>/", views.summary_report, name="summary"),
    # 公文 built from the pages' data (acceptance/papers.py)
    path("issue/<str:kind>/<int:pk>/", paper_views.issue, name="issue_paper"),
    path("unit/<int:pk>/", paper_views.unit_papers, name="unit_papers"),
    path("selfcheck-form/<int:pk>/", paper_views.blank_selfcheck, name="blank_selfcheck"),
]
