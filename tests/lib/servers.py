"""Small HTTP servers the tests run in a thread (a webhook receiver, a chat robot)."""

import threading


def serve_in_background(server):
    """Serves until `server.shutdown()`. That call waits for the serving loop's next look
    at its stop flag: at the standard half second, every test using a server would sit
    idle for up to half a second at its end."""
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    ).start()
    return server
