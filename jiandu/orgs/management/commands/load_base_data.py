from django.core.management.base import BaseCommand

from jiandu.orgs import base_data


class Command(BaseCommand):
    help = "载入基础数据：执法领域（1+8）、角色、六项整治内容。可重复运行。"

    def handle(self, *args, **options):
        base_data.load()
        if options["verbosity"]:
            self.stdout.write("基础数据已载入。")
