"""Helpers for browser tests."""


def login(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    # The click only starts the sign-in: wait for the page it opens (the form again when
    # the password is wrong), or the next step reads or leaves a page in transit.
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def click_to_open(page, target):
    """Click `target` (a selector or a locator) that opens a page, and wait for that page
    to load: reading the page right after the click reads the old one, or one in transit."""
    with page.expect_navigation():
        if isinstance(target, str):
            page.click(target)
        else:
            target.click()
