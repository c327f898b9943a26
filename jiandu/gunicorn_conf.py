"""gunicorn settings for `jiandu serve` (passed with -c python:jiandu.gunicorn_conf).

gunicorn writes "Server: gunicorn" on every response and has no setting to leave it out;
naming the server software only helps someone looking for a known flaw. Its response
class builds that line in default_headers(), so drop it there, once, in the master
before the workers fork.
"""

from gunicorn.http import wsgi


def _without_server(default_headers):
    def headers(self):
        return [h for h in default_headers(self) if not h.lower().startswith("server:")]

    headers.jiandu_no_server = True
    return headers


if not getattr(wsgi.Response.default_headers, "jiandu_no_server", False):
    wsgi.Response.default_headers = _without_server(wsgi.Response.default_headers)
