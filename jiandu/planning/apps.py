from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "jiandu.planning"
    label = "planning"
    verbose_name = "检查计划与双随机"

    def ready(self):
        # Registration (enforcement, below) warns when a visit goes beyond the frequency
        # cap of the enterprise's category; planning hands it the check.
        from jiandu.enforcement import watch
        from jiandu.planning.caps import visit_warnings

        watch.add_warning_source(visit_warnings)
