from django.apps import AppConfig

from jiandu.campaigns.signals import item_added


class SelfCheckConfig(AppConfig):
    name = "jiandu.selfcheck"
    label = "selfcheck"
    verbose_name = "问题自查"

    def ready(self):
        # Imported here, not at the top: actions imports models, which only load once the
        # app registry is ready.
        from jiandu.selfcheck.actions import answer_new_item

        # The template lives in campaigns, below selfcheck: it announces new items and
        # selfcheck opens their answers.
        item_added.connect(answer_new_item, dispatch_uid="selfcheck.answer_new_item")
