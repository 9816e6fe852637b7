import os
import shutil
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import settings as hypothesis_settings

from objects.catalog.per_sync import kept
from objects.sync.pipeline import sync_registry
from tests.browser import chromium, prepared_site, recording_page
from tests.fake_registry import FakeRegistry

# Property-based tests with a fixed seed on CI (derandomize: the examples are drawn from the
# test itself, the same on every run), so a red CI run is reproduced by running it again, and
# nothing kept in .hypothesis changes what CI tries; random, and so exploring, elsewhere.
# Loaded here, before the test modules' own settings objects are made, which inherit it. Both
# say derandomize outright: Hypothesis's own CI detection (recent versions) is not relied on.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile("dev", derandomize=False)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

FIXTURE_REGISTRY = Path(__file__).resolve().parent / "fixtures" / "registry"
# The full registry: ../shared/registry-snapshot beside the project, or REGISTRY_SNAPSHOT.
SNAPSHOT = Path(
    os.environ.get("REGISTRY_SNAPSHOT")
    or Path(__file__).resolve().parent.parent.parent / "shared" / "registry-snapshot"
)


@pytest.fixture
def fixture_registry():
    return FIXTURE_REGISTRY


@pytest.fixture
def snapshot():
    if not (SNAPSHOT / "DDF.xml").is_file():
        message = f"the registry snapshot is not at {SNAPSHOT}"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: CI must run the snapshot tests")  # never a silent skip
        pytest.skip(message)
    return SNAPSHOT


@pytest.fixture(scope="session")
def full_registry(django_db_setup, django_db_blocker):
    """The full snapshot synced once per session and shared by the tests that only read it.

    Its rows stay in one transaction, rolled back when the session ends: each test's own
    transaction is a savepoint inside it, and the tests that use this fixture run last and
    together (pytest_collection_modifyitems), so no other test ever sees these rows. A test
    must not close a response by hand: that fires request_finished, which closes a connection
    left inside a transaction (the shared one, on PostgreSQL)."""
    if not (SNAPSHOT / "DDF.xml").is_file():
        message = f"the registry snapshot is not at {SNAPSHOT}"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: CI must run the snapshot tests")
        pytest.skip(message)
    with django_db_blocker.unblock(), transaction.atomic():
        report = sync_registry(str(SNAPSHOT))
        assert report.run.versions == 437
        yield report
        transaction.set_rollback(True)


def pytest_collection_modifyitems(items):
    """The tests that share the full registry go last, one after the other (full_registry)."""
    items.sort(key=lambda item: "full_registry" in getattr(item, "fixturenames", ()))


@pytest.fixture
def renamed_registry(tmp_path):
    """The fixture registry as a clone with every name changed: a sync of it rewrites every row."""
    folder = tmp_path / "renamed"
    shutil.copytree(FIXTURE_REGISTRY, folder)
    index = folder / "DDF.xml"
    index.write_text(index.read_text().replace("</Name>", " (renamed)</Name>"))
    return folder


@pytest.fixture(autouse=True)
def nothing_kept_per_sync():
    """Every test starts and ends with nothing kept per sync (objects/catalog/per_sync.py): a
    test's rolled-back rows leave their generation numbers to be made again by the next."""
    kept.forget()
    yield
    kept.forget()


@pytest.fixture(autouse=True)
def no_registry_file_urls(settings):
    """A sync from an API fetches neither Common.xml nor the schemas unless a test says where
    (never the internet's, which the defaults name)."""
    settings.REGISTRY_COMMON_URL = ""
    settings.REGISTRY_SCHEMA_URL = ""


@pytest.fixture
def fake_registry(settings):
    with FakeRegistry(FIXTURE_REGISTRY) as registry:
        settings.REGISTRY_COMMON_URL = registry.file_url("Common.xml")
        settings.REGISTRY_SCHEMA_URL = registry.file_url("")
        yield registry


@pytest.fixture
def fast_client(settings):
    """The sync's HTTP client with short timeouts and backoff, so fault tests stay quick."""
    settings.REGISTRY_CONNECT_TIMEOUT = 2
    settings.REGISTRY_READ_TIMEOUT = 2
    settings.REGISTRY_RETRIES = 2
    settings.REGISTRY_BACKOFF = 0.05
    return settings


@pytest.fixture
def synced(db):
    """The fixture registry synced into the test database."""
    return sync_registry(str(FIXTURE_REGISTRY))


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Django's test client needs no collectstatic; the served site (SiteServer) runs it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# The browser tests' fixtures (tests/browser.py). A module that needs another site overrides
# `site`; one that needs other pages overrides `page_options`.


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, one a module; missing, it fails the test on CI and skips it elsewhere."""
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site served for real on a fresh SQLite file, synced from the fixture registry."""
    with prepared_site(tmp_path_factory.mktemp("site"), FIXTURE_REGISTRY) as server:
        yield server


@pytest.fixture
def page_options():
    """recording_page's options for `page`: context options (viewport, permissions), the
    console message types that are problems, the default timeout."""
    return {}


@pytest.fixture
def page(browser, site, page_options):
    """A fresh page on `site` that records its problems (tests/browser.py, recording_page)."""
    with recording_page(browser, site.url, **page_options) as page:
        yield page
