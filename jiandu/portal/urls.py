from django.urls import path

from jiandu.portal import manage, poster, views

app_name = "portal"
urlpatterns = [
    # public, no login
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("captcha/new/", views.captcha_new, name="captcha_new"),
    path("captcha/<str:challenge_id>.png", views.captcha_image, name="captcha_image"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.track_detail, name="track_detail"),
    path("track/<str:code>/supplement/", views.track_supplement, name="track_supplement"),
    path("track/<str:code>/rate/", views.track_rate, name="track_rate"),
    path("track/<str:code>/withdraw/", views.track_withdraw, name="track_withdraw"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_detail, name="verify_detail"),
    path("verify/<str:code>/rate/", views.verify_rate, name="verify_rate"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("standards/", views.standards, name="standards"),
    # handling, login required
    path("manage/", manage.complaints, name="complaints"),
    path("manage/ratings/", manage.ratings, name="ratings"),
    path("manage/poster/", poster.poster, name="poster"),
    path("manage/files/<int:pk>/", manage.attachment, name="attachment"),
    path("manage/<int:pk>/", manage.complaint_detail, name="complaint"),
    path("manage/<int:pk>/identity/", manage.reveal_identity, name="identity"),
    path("manage/<int:pk>/withdraw/", manage.withdraw_case, name="withdraw_case"),
    path("manage/<int:pk>/<str:action>/", manage.complaint_transition, name="transition"),
]
