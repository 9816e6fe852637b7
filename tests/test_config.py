"""The environment's rules (registry_site/config.py): one rule per kind of value, errors that
name the variable and its value, defaults in one place, and settings that write nothing."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from registry_site import config, serve
from registry_site.config import ConfigError, boolean, choice, integer, names, number, text

PROJECT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "On", " on "])
def test_true_spellings(value):
    assert boolean("DEBUG", environ={"DEBUG": value}) is True


@pytest.mark.parametrize("value", ["0", "false", "False", "no", "OFF"])
def test_false_spellings(value):
    assert boolean("REGISTRY_QUALITY_CHECKS", environ={"REGISTRY_QUALITY_CHECKS": value}) is False


def test_an_unset_or_blank_boolean_is_its_default():
    assert boolean("REGISTRY_QUALITY_CHECKS", environ={}) is True
    assert boolean("REGISTRY_QUALITY_CHECKS", environ={"REGISTRY_QUALITY_CHECKS": " "}) is True
    assert boolean("HTTPS", environ={}) is False


@pytest.mark.parametrize("value", ["maybe", "2", "y", "enabled"])
def test_any_other_boolean_is_an_error_naming_variable_and_value(value):
    with pytest.raises(ConfigError, match=rf"HTTPS must be .* not '{value}'"):
        boolean("HTTPS", environ={"HTTPS": value})


def test_numbers():
    assert number("SEND_TIMEOUT", environ={"SEND_TIMEOUT": "2.5"}) == 2.5
    assert number("SEND_TIMEOUT", environ={}) == config.DEFAULTS["SEND_TIMEOUT"]
    assert integer("THREADS", environ={"THREADS": "4"}) == 4


@pytest.mark.parametrize(
    ("reader", "name", "value", "message"),
    [
        (number, "SEND_TIMEOUT", "ten", "SEND_TIMEOUT must be a number, not 'ten'"),
        (number, "SEND_TIMEOUT", "nan", "SEND_TIMEOUT must be a finite number, not 'nan'"),
        (number, "REGISTRY_READ_TIMEOUT", "-1", "REGISTRY_READ_TIMEOUT must be at least 0"),
        (integer, "CACHE_MAX_AGE", "1.5", "CACHE_MAX_AGE must be a whole number, not '1.5'"),
        (integer, "PORT", "eighty", "PORT must be a whole number, not 'eighty'"),
    ],
)
def test_a_bad_number_names_the_variable_and_value(reader, name, value, message):
    with pytest.raises(ConfigError) as raised:
        reader(name, environ={name: value})
    assert message in str(raised.value)


def test_an_integer_below_its_minimum():
    with pytest.raises(ConfigError, match="THREADS must be at least 1, not '0'"):
        integer("THREADS", minimum=1, environ={"THREADS": "0"})


def test_lists_and_choices():
    assert names("ALLOWED_HOSTS", environ={"ALLOWED_HOSTS": "a.org, b.org,,"}) == ["a.org", "b.org"]
    assert names("ALLOWED_HOSTS", environ={}) == ["127.0.0.1", "localhost", "[::1]"]
    assert choice("MIRROR_OBJECT_LINKS", ("local", "upstream"), environ={}) == "local"
    with pytest.raises(ConfigError, match="MIRROR_OBJECT_LINKS must be one of .* not 'github'"):
        choice("MIRROR_OBJECT_LINKS", ("local", "upstream"), {"MIRROR_OBJECT_LINKS": "github"})


def test_an_empty_registry_url_means_none_and_an_empty_source_the_default():
    assert text("REGISTRY_COMMON_URL", environ={"REGISTRY_COMMON_URL": ""}) == ""
    assert text("REGISTRY_COMMON_URL", environ={}).endswith("/Common.xml")
    assert text("REGISTRY_SOURCE", environ={"REGISTRY_SOURCE": ""}).startswith("http://www.")


def test_a_former_name_still_works_and_the_new_one_wins():
    assert integer("ANSWER_CACHE_BYTES", environ={"ANSWER_CACHE_MB": "2"}) == 2 * 1024 * 1024
    both = {"ANSWER_CACHE_MB": "2", "ANSWER_CACHE_BYTES": "1000"}
    assert integer("ANSWER_CACHE_BYTES", environ=both) == 1000
    assert number("AXES_COOLOFF_TIME", environ={"AXES_COOLOFF_HOURS": "2"}) == 2.0
    with pytest.raises(ConfigError, match="ANSWER_CACHE_MB must be a whole number, not 'lots'"):
        integer("ANSWER_CACHE_BYTES", environ={"ANSWER_CACHE_MB": "lots"})


def test_the_default_workers_are_the_processors():
    """A server started with no WORKERS runs one process per CPU it may use (three on a 2-core
    machine made Granian warn)."""
    host, port, workers, line = serve.configured(environ={})
    assert workers == config.processors() >= 1
    assert (host, port) == ("127.0.0.1", 8000)
    assert line[line.index("--workers") + 1] == str(workers)
    assert line[line.index("--workers-kill-timeout") + 1] == "30"


def test_the_server_reads_its_variables():
    environ = {"HOST": "0.0.0.0", "PORT": "9000", "WORKERS": "5", "STOP_TIMEOUT": "7"}
    host, port, workers, line = serve.configured(environ=environ)
    assert (host, port, workers) == ("0.0.0.0", 9000, 5)
    assert line[line.index("--port") + 1] == "9000"
    assert line[line.index("--workers-kill-timeout") + 1] == "7"


def run_python(code, cwd, **env):
    environ = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def site_copy(tmp_path):
    """The settings' package alone in a folder of its own, so what importing it writes shows."""
    shutil.copytree(PROJECT / "registry_site", tmp_path / "registry_site")
    for cache in (tmp_path / "registry_site").rglob("__pycache__"):
        shutil.rmtree(cache)
    return tmp_path


def files_under(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def test_importing_the_settings_writes_nothing(site_copy):
    before = files_under(site_copy)
    done = run_python("import registry_site.settings as s; print(len(s.SECRET_KEY))", site_copy)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 50  # a key of its own, for this process only
    assert files_under(site_copy) == before


def test_quality_checks_turned_off_by_false(site_copy):
    code = "import registry_site.settings as s; print(s.REGISTRY_QUALITY_CHECKS)"
    assert run_python(code, site_copy, REGISTRY_QUALITY_CHECKS="false").stdout.strip() == "False"
    assert run_python(code, site_copy).stdout.strip() == "True"


def test_a_bad_value_stops_the_settings_with_its_name(site_copy):
    done = run_python("import registry_site.settings", site_copy, SEND_TIMEOUT="ten")
    assert done.returncode != 0
    assert "SEND_TIMEOUT must be a number, not 'ten'" in done.stderr


def test_the_server_refuses_a_bad_value_in_one_line(site_copy):
    done = subprocess.run(
        [sys.executable, "-m", "registry_site.serve"],
        cwd=site_copy,
        env={"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1", "PORT": "eighty"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == "registry_site.serve: PORT must be a whole number, not 'eighty'\n"


def test_every_variable_is_documented_once():
    """docs/settings.md has one table row per variable of config.DEFAULTS, and no other."""
    page = (PROJECT / "docs" / "settings.md").read_text()
    documented = re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", page, re.MULTILINE)
    assert sorted(documented) == sorted(config.DEFAULTS)


def test_the_site_reads_the_environment_only_through_config():
    """Every variable has its default and its rule in config.py, so docs/settings.md (tested
    above) names each: no other module of the site reads one itself."""
    readers = []
    for path in [*(PROJECT / "registry_site").glob("*.py"), *(PROJECT / "objects").rglob("*.py")]:
        source = path.read_text()
        reads = re.findall(
            r"os\.environ(?!\.setdefault\(\"DJANGO_SETTINGS_MODULE\")|getenv", source
        )
        if reads and path.name != "config.py":
            readers.append(str(path.relative_to(PROJECT)))
    assert readers == []
    makefile = (PROJECT / "Makefile").read_text()
    for name in ("HOST", "PORT", "WORKERS", "THREADS"):
        assert not re.search(rf"^{name} \??=", makefile, re.MULTILINE), name
