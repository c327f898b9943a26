"""The site's URLs plus one view that fails, to see the 500 page as a visitor does."""

from django.urls import path

from jiandu.urls import handler400, handler403, handler404, handler500, urlpatterns


def fail(request):
    raise RuntimeError("a fault for the 500 page")


urlpatterns = [*urlpatterns, path("fail/", fail), path("public/fail/", fail)]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
