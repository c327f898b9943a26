from django.urls import path

from jiandu.standards import views, views_published

# The calculator page (/standards/calculator/) is enforcement/calculator.py, mounted into
# this namespace by jiandu/urls.py: it reads enforcement's cases.
app_name = "standards"
urlpatterns = [
    path("", views.items, name="items"),
    path("items/new/", views.item_edit, name="item_new"),
    path("items/options/", views.item_options, name="item_options"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/benchmarks/new/", views.benchmark_new, name="benchmark_new"),
    path("benchmarks/<int:pk>/edit/", views.benchmark_edit, name="benchmark_edit"),
    path("benchmarks/<int:pk>/publish/", views.benchmark_publish, name="benchmark_publish"),
    path("lenient/", views.lenient, name="lenient"),
    path("lenient/new/", views.lenient_edit, name="lenient_new"),
    path("lenient/<int:pk>/edit/", views.lenient_edit, name="lenient_edit"),
    path("lenient/<int:pk>/publish/", views.lenient_publish, name="lenient_publish"),
    # Published files in (views_published.py)
    path("published/", views_published.published_list, name="published_list"),
    path("published/upload/", views_published.published_upload, name="published_upload"),
    path("published/<int:pk>/", views_published.published_draft, name="published_draft"),
    path(
        "published/<int:pk>/mapping/", views_published.published_mapping, name="published_mapping"
    ),
    path(
        "published/<int:pk>/publish/", views_published.published_publish, name="published_publish"
    ),
    path(
        "published/<int:pk>/discard/", views_published.published_discard, name="published_discard"
    ),
    path("published/rows/<int:pk>/", views_published.published_row_edit, name="published_row"),
    path(
        "published/rows/<int:pk>/exclude/",
        views_published.published_row_exclude,
        name="published_row_exclude",
    ),
]
