"""The 条例's instruments and the measures around them: the `supervision:` namespace."""

from django.urls import path

from jiandu.supervision import instrument_views as views

app_name = "supervision"
urlpatterns = [
    path("instruments/", views.instruments, name="instruments"),
    path("instruments/export/", views.export, name="export"),
    path("instruments/new/", views.instrument_new, name="instrument_new"),
    path("instruments/reply-days/", views.reply_days, name="reply_days"),
    path("instruments/<int:pk>/", views.instrument, name="instrument"),
    path("instruments/<int:pk>/<str:name>/", views.instrument_step, name="instrument_step"),
    path("measures/", views.measures, name="measures"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("proposals/<int:pk>/decision/", views.proposal_decision, name="proposal_decision"),
    path("interviews/new/", views.interview_new, name="interview_new"),
    path("interviews/schedule/", views.interview_schedule, name="interview_schedule"),
    path("interviews/<int:pk>/", views.interview, name="interview"),
    path("interviews/<int:pk>/minutes/", views.interview_minutes, name="interview_minutes"),
    path("circulars/new/", views.circular_new, name="circular_new"),
    path("circulars/<int:pk>/", views.circular, name="circular"),
    path("public/circulars/", views.public_circulars, name="public_circulars"),
    path("public/circulars/<int:pk>/", views.public_circular, name="public_circular"),
    path("officers/", views.officers, name="officers"),
    path("officers/<int:pk>/decision/", views.officer_decision, name="officer_decision"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
]
