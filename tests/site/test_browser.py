"""The built playbook in a real browser: headless Chromium from Debian, driven by Playwright.

Builds the reference site, serves it on 127.0.0.1, and walks it as a new hire
would: start page -> a stage -> a role, the lifecycle diagram, search. Screenshots
are saved under test-artifacts/ for people to look at.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright import sync_api as playwright_api

from conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def site_url(reference_site: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(reference_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def page(site_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    assert Path(CHROMIUM).exists(), "Chromium is missing: run 'make test', which installs it"
    profile = tmp_path_factory.mktemp("chromium-profile")
    with playwright_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        page = context.new_page()
        page.console_errors = []  # type: ignore[attr-defined]
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        yield page
        context.close()


def shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_new_hire_walkthrough(page: object, site_url: str) -> None:
    expect = playwright_api.expect
    page.goto(site_url)  # type: ignore[attr-defined]
    expect(page.locator("h1")).to_contain_text("Northwind Lead Management Process")
    expect(page.locator(".md-banner")).to_contain_text("version 1.0")
    diagram = page.locator(".leadspec-diagram svg").first
    expect(diagram).to_be_visible()
    for name in ("Inquiry", "Nurture", "Converted", "Disqualified"):
        expect(diagram).to_contain_text(name)
    shot(page, "01-start-here")

    page.locator(".md-content a", has_text="Marketing-qualified lead").first.click()
    expect(page.locator("h1")).to_contain_text("Marketing-qualified lead")
    expect(page.locator(".leadspec-diagram svg")).to_be_visible()
    expect(page.get_by_role("heading", name="Exit criteria")).to_be_visible()
    shot(page, "02-stage-mql")

    page.locator(".md-content a", has_text="Sales Development Representative").first.click()
    expect(page.locator("h1")).to_contain_text("Sales Development Representative")
    expect(page.get_by_role("heading", name="The stages you own")).to_be_visible()
    shot(page, "03-role-sdr")

    search = page.locator("input.md-search__input")  # type: ignore[attr-defined]
    search.click()
    search.press_sequentially("disqualified")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=10_000)
    assert results.count() > 0
    shot(page, "04-search")

    page.goto(site_url + "history/")  # type: ignore[attr-defined]
    expect(page.locator("h1")).to_contain_text("Version history")
    expect(page.locator("h2#release-0-75")).to_be_visible()
    expect(page.locator(".md-content")).to_contain_text("tightened from 4 working hours to 1 working hour")
    shot(page, "05-history")

    assert page.console_errors == []  # type: ignore[attr-defined]
