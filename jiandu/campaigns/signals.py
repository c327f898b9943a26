"""What campaigns announces to the phases' apps that stand above it.

`item_added(sender=SelfCheckItem, item=...)` is sent inside add_item's transaction when
the self-check template gains an item; selfcheck (which owns the reports and their
answers) connects to it in its apps.py and gives every report already opened a blank
answer, in the same transaction."""

from django.dispatch import Signal

item_added = Signal()
