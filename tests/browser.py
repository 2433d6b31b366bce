"""Debian's headless Chromium, driven by Playwright, with every host but the server blocked.

Each request the page makes to another host is refused and recorded, so a test both sees
the page work offline and can say that nothing tried to leave. Where Chromium is missing
the browser tests skip, except in CI (CI=true), where .ci/run installs it.
"""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, sync_playwright

from tests.conftest import IN_CI

LOOPBACK = {"127.0.0.1", "localhost", "[::1]"}


def chromium() -> str:
    """The Chromium executable, or a skip (a failure in CI) where there is none."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if IN_CI:
        pytest.fail("CI must run the browser tests, but Debian's chromium is not installed")
    pytest.skip("the browser tests need Debian's chromium (CI installs it)")


@dataclass
class Browsing:
    page: Page
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@contextmanager
def offline_page(width: int = 1400, height: int = 900) -> Iterator[Browsing]:
    """A page in headless Chromium that reaches 127.0.0.1 only."""
    executable = chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            # The proxy catches what the route below would miss (a worker, a prefetch).
            args=["--no-sandbox", "--proxy-server=127.0.0.1:9", "--disable-gpu"],
        )
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            browsing = Browsing(context.new_page())

            def only_loopback(route: Route) -> None:
                url = route.request.url
                parts = urlsplit(url)
                if parts.scheme in {"data", "blob"} or parts.hostname in LOOPBACK:
                    route.continue_()
                else:
                    browsing.blocked.append(url)
                    route.abort("blockedbyclient")

            context.route("**/*", only_loopback)
            browsing.page.on(
                "console",
                lambda message: (
                    browsing.console_errors.append(message.text)
                    if message.type == "error"
                    else None
                ),
            )
            yield browsing
        finally:
            browser.close()
