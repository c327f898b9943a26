from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "jiandu.reminders"
    verbose_name = "提醒与督办"

    def ready(self):
        # The watched deadlines of the apps below, and 催报's history (a signal the
        # self-check sends, since it may not import this higher app).
        from jiandu.reminders import sources, urge

        sources.register_all()
        urge.connect()
