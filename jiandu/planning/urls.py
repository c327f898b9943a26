from django.urls import path

from jiandu.planning import public, views

app_name = "planning"
urlpatterns = [
    path("", views.plans, name="plans"),
    path("new/", views.plan_new, name="plan_new"),
    path("<int:pk>/", views.plan, name="plan"),
    path("<int:pk>/<str:action>/", views.plan_action, name="plan_action"),
    path("entries/<int:pk>/remove/", views.entry_remove, name="entry_remove"),
    path("visits/", views.visits, name="visits"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("joints/", views.joints, name="joints"),
    path("joints/propose/", views.joint_propose, name="joint_propose"),
    path("joints/<int:pk>/", views.joint, name="joint"),
    path("joints/<int:pk>/<str:action>/", views.joint_answer, name="joint_answer"),
    path("draws/", views.draws, name="draws"),
    path("draws/new/", views.draw_new, name="draw_new"),
    path("draws/<int:pk>/", views.draw, name="draw"),
    path("draws/<int:pk>/<str:action>/", views.draw_action, name="draw_action"),
]

# 一公开: mounted at /public/draws/ by the root urls, no login.
public_patterns = (
    [
        path("", public.draws, name="list"),
        path("<int:pk>/", public.draw, name="detail"),
        path("<int:pk>.json", public.draw_data, name="json"),
    ],
    "draws",
)
