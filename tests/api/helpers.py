"""Helpers of the API tests."""


def bearer(raw):
    """The Authorization header of a raw API token."""
    return {"Authorization": f"Bearer {raw}"}
