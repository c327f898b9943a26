"""Every free-text form field has a maximum length.

Model TextFields and plain forms.CharField(widget=Textarea) have no max_length, so a form
would accept megabytes into a note. Rather than edit every form of every app, a CharField
created without a max_length gets settings.TEXT_MAX_CHARS: the browser stops typing there
(maxlength) and the form answers with Django's Chinese message naming the limit. A field
that sets its own max_length keeps it; JSON fields are data, not text, and are left alone.
"""

from django import forms
from django.conf import settings

_original_init = forms.CharField.__init__


def _init(self, *args, max_length=None, **kwargs):
    if max_length is None and not isinstance(self, forms.JSONField):
        max_length = settings.TEXT_MAX_CHARS
    _original_init(self, *args, max_length=max_length, **kwargs)


def cap_free_text():
    if forms.CharField.__init__ is not _init:
        forms.CharField.__init__ = _init
