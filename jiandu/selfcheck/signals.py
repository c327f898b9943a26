"""Signals the self-check sends for apps above it (it imports none of them)."""

from django.dispatch import Signal

# 催报 sent to a unit: campaign, unit, users (the notified), actor, url, text, deadline.
# jiandu.reminders records it in the unit's reminder history.
urged = Signal()
