"""Security settings and headers, checked on real responses."""

import os
import subprocess
import sys

import pytest
import requests

from tests.servers import PROJECT, SiteServer

PRODUCTION = {
    "SECRET_KEY": "a-production-key-from-the-environment-4f9d8c7b6a5e4d3c2b1a0f9e8d7c6b5a",
    "ALLOWED_HOSTS": "registry.example.com",
    "HTTPS": "1",
    "SITE_URL": "https://registry.example.com",
    "DEBUG": "0",
}


@pytest.mark.parametrize("url", ["/", "/healthz", "/api/lwm2m/v1/Object", "/no/such/page/"])
def test_headers_on_every_response(client, synced, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_admin_is_behind_a_login(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_check_deploy_is_clean_for_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update(PRODUCTION)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "name, message",
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        # Served for real, the mirror's links never follow a client's Host.
        ("SITE_URL", "SITE_URL must be set when the site is served (HTTPS=1)"),
    ],
)
def test_production_refuses_to_start_without(name, message):
    env = {k: v for k, v in os.environ.items() if k != name}
    env.update(PRODUCTION, **{name: ""})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_behind_tls_redirects_and_sends_hsts(tmp_path):
    settings = dict(PRODUCTION, ALLOWED_HOSTS="127.0.0.1")
    with SiteServer(
        f"sqlite:///{tmp_path / 'tls.sqlite3'}", workers=1, **settings
    ).prepare() as site:
        plain = requests.get(site.url + "/", allow_redirects=False, timeout=10)
        assert plain.status_code == 301
        assert plain.headers["Location"] == f"https://127.0.0.1:{site.port}/"
        proxied = requests.get(
            site.url + "/",
            headers={"X-Forwarded-Proto": "https"},
            allow_redirects=False,
            timeout=10,
        )
        assert proxied.status_code == 200
        assert "max-age=31536000" in proxied.headers["Strict-Transport-Security"]
        assert requests.get(site.url + "/healthz", timeout=10).status_code == 200


def test_the_admin_shows_the_sync_history_read_only(admin_client, synced):
    runs = admin_client.get("/admin/objects/syncrun/")
    assert runs.status_code == 200
    assert str(synced.run.source) in runs.text
    version = admin_client.get("/admin/objects/objectversion/?q=3303")
    assert version.status_code == 200
    assert "Temperature" in version.text
    assert admin_client.get("/admin/objects/syncrun/add/").status_code == 403
    common = admin_client.get("/admin/objects/commonresource/?q=5700")
    assert common.status_code == 200
    assert "Sensor Value" in common.text
    stored = admin_client.get("/admin/objects/registryfile/")
    assert stored.status_code == 200
    assert "Common.xml" in stored.text
    assert admin_client.get("/admin/objects/commonresource/add/").status_code == 403
