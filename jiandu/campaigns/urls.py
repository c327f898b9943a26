from django.urls import path

from jiandu.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("current/", views.detail_current, name="detail_current"),
    path("create/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("<int:pk>/contacts/<int:contact_pk>/remove/", views.contact_remove, name="contact_remove"),
    path("<int:pk>/template/", views.template, name="template"),
    path("<int:pk>/template/items/", views.item_add, name="item_add"),
    path("<int:pk>/template/items/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("<int:pk>/template/items/<int:item_pk>/delete/", views.item_delete, name="item_delete"),
    path("<int:pk>/template/items/<int:item_pk>/move/", views.item_move, name="item_move"),
]
# The phases with their own apps (问题自查 in selfcheck, 监督检查 and 案卷评查 in
# supervision, 总结验收 and 最佳案例/最佳实践 in acceptance) stand above campaigns:
# jiandu/urls.py mounts their pages into this namespace.
