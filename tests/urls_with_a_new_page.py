"""The project's URLs plus one new page that takes an id and is in no table: the
scoping walker must report it."""

from django.http import HttpResponse
from django.urls import include, path

from jiandu.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401

forgotten = (
    [path("records/<int:pk>/", lambda request, pk: HttpResponse(str(pk)), name="record")],
    "forgotten",
)
urlpatterns = [*urlpatterns, path("forgotten/", include(forgotten))]
