"""Issue #19.4: the published fallback SECRET_KEY must never sign anything in a deployment.

With it anyone can build QR sign-in codes, session cookies and the notice verification codes
offline, so settings refuse to load when debug is off and the deployment is explicit
(``KESHI_DEBUG`` or ``KESHI_ALLOWED_HOSTS`` given), and ``check --deploy`` reports keshi.E001.
"""

import os
import subprocess
import sys

import pytest
from django.core.checks import run_checks

from keshi.dispatch import notice
from keshi.dispatch.tests.helpers import dispatch

PUBLISHED = "insecure-demo-key-set-KESHI_SECRET_KEY-in-production"


def _load_settings(data_dir, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("KESHI_")}
    return subprocess.run(
        [sys.executable, "-c", "import keshi.settings"],
        env={**base, "KESHI_DATA_DIR": str(data_dir), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env",
    [
        {"KESHI_DEBUG": "0"},
        {"KESHI_ALLOWED_HOSTS": "keshi.example.edu.cn"},
        {"KESHI_DEBUG": "0", "KESHI_SECRET_KEY": PUBLISHED},
        {"KESHI_DEBUG": "0", "KESHI_SECRET_KEY": ""},
    ],
)
def test_a_deployment_refuses_to_start_with_the_published_key(tmp_path, env):
    done = _load_settings(tmp_path, **env)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and "KESHI_SECRET_KEY" in done.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"KESHI_DEBUG": "0", "KESHI_SECRET_KEY": "a-real-key-" + "x" * 40},
        {"KESHI_DEBUG": "1"},  # make run
        {},  # the test suite and one-off commands on a developer's machine
    ],
)
def test_the_demo_and_a_deployment_with_its_own_key_start(tmp_path, env):
    done = _load_settings(tmp_path, **env)
    assert done.returncode == 0, done.stderr


def _e001(settings, key: str) -> list:
    settings.SECRET_KEY = key
    return [m for m in run_checks(include_deployment_checks=True) if m.id == "keshi.E001"]


def test_check_deploy_reports_the_published_key(settings):
    found = _e001(settings, PUBLISHED)
    assert len(found) == 1 and found[0].is_serious() and "KESHI_SECRET_KEY" in found[0].msg
    assert _e001(settings, "a-real-key-" + "x" * 40) == []


def test_the_published_key_is_not_reported_outside_check_deploy(settings):
    settings.SECRET_KEY = PUBLISHED
    assert not [m for m in run_checks() if m.id == "keshi.E001"]


@pytest.mark.django_db
def test_notice_codes_built_with_the_published_key_do_not_verify(cast, settings):
    d = dispatch(cast)
    part = d.notice_parts.get(part=1)
    settings.SECRET_KEY = PUBLISHED
    forged = notice.code(d, part)
    settings.SECRET_KEY = "the-deployment-key-" + "y" * 40
    assert notice.verify(d, notice.code(d, part)) == part
    assert notice.verify(d, forged) is None
