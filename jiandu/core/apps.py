from django.apps import AppConfig

from jiandu.core import text

# Now, while Django imports the app packages: form classes are built when their modules
# are imported (admin's autodiscover, models), all later than this.
text.cap_free_text()


class CoreConfig(AppConfig):
    name = "jiandu.core"
    label = "jiandu_core"
    verbose_name = "平台"

    def ready(self):
        from jiandu.core import checks  # noqa: F401  (registers the deploy checks)
