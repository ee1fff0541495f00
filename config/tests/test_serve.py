"""``make serve`` runs the application as in production: gunicorn, DEBUG off, WhiteNoise.

The test runs the Makefile's own target in a subprocess, on a free port, against a new
SQLite database and a temporary STATIC_ROOT; fetches the login page and a static file as a
browser would, checks their headers, and stops the server (its whole process group).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PERSONAL_ID = "001203004567"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, **headers) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``make serve`` on 127.0.0.1:<free port>; yields (base URL, output file)."""
    if not (ROOT / ".venv" / "bin" / "gunicorn").exists():
        pytest.skip("make serve runs .venv/bin/gunicorn: create .venv first (make install)")
    folder = tmp_path_factory.mktemp("serve")
    port = free_port()
    output = folder / "output.txt"
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_", "DEBUG"))
        and not key.startswith(("SESSION_", "CSRF_", "PYTEST", "MAKE", "MFLAGS"))
    }
    environment.update(
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        STATIC_ROOT=str(folder / "static"),
        PORT=str(port),
        HOST="127.0.0.1",
        WEB_CONCURRENCY="1",
    )
    with output.open("wb") as sink:
        # -o: the virtual environment counts as installed (the tests run in it).
        server = subprocess.Popen(
            ["make", "--no-print-directory", "-o", ".venv/.installed", "serve"],
            cwd=ROOT,
            env=environment,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"make serve stopped:\n{output.read_text()}")
            try:
                fetch(f"{base}/accounts/login/")
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"make serve did not answer in time:\n{output.read_text()}")
        yield base, output
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def test_make_serve_says_it_made_a_secret_key_for_the_run(served):
    _, output = served
    text = output.read_text()
    assert "SECRET_KEY is not set: using a random one for this run" in text
    assert "Starting gunicorn" in text


def test_the_login_page_is_served_with_debug_off_and_the_security_headers(served):
    base, _ = served
    status, headers, body = fetch(f"{base}/accounts/login/", **{"Accept-Language": "vi"})

    assert status == 200
    assert headers["Server"] == "gunicorn"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert b'id="login-form"' in body
    # DEBUG is off: an unknown address is the site's 404 page, not Django's debug page.
    status, _, body = fetch(f"{base}/no-such-page/")
    assert status == 404
    assert b"URLconf" not in body


def test_static_files_are_fingerprinted_compressed_and_cached_for_good(served):
    base, _ = served
    _, _, page = fetch(f"{base}/accounts/login/")
    stylesheet = re.search(rb'href="(/static/reports/dashboard\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the login page links the fingerprinted stylesheet"

    status, headers, body = fetch(f"{base}{stylesheet.group(1).decode()}")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "immutable" in headers["Cache-Control"]
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert body == (ROOT / "static" / "reports" / "dashboard.css").read_bytes()
    status, headers, _ = fetch(
        f"{base}{stylesheet.group(1).decode()}", **{"Accept-Encoding": "gzip"}
    )
    assert headers.get("Content-Encoding") == "gzip"


def test_a_personal_id_in_a_url_never_reaches_the_servers_log(served):
    base, output = served
    status, _, _ = fetch(f"{base}/api/v1/cadres/?q={PERSONAL_ID}")
    assert status == 401
    fetch(f"{base}/api/v1/cadres/{PERSONAL_ID}/")
    time.sleep(1)  # the access log is written after the answer

    log = output.read_text()
    assert "/api/v1/cadres/?q=[personal ID]" in log
    assert PERSONAL_ID not in log
