"""A plain (non-editable) install ships the ontology, shapes and data with the package."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (built,) = out.glob("synthkg-*.whl")
    return built


@pytest.mark.slow
def test_wheel_contains_resources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "synthkg/_resources/ontology/synthkg.ttl" in names
    assert any(n.startswith("synthkg/_resources/shapes/") and n.endswith(".ttl") for n in names)
    assert any(n.startswith("synthkg/_resources/data/") and n.endswith(".ttl") for n in names)
    assert any(n.startswith("synthkg/queries/") and n.endswith(".rq") for n in names)


@pytest.mark.slow
def test_installed_command_finds_its_files(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
    )
    env = {k: v for k, v in os.environ.items() if k != "SYNTHKG_HOME"}
    # The installed copy comes first; dependencies come from this environment.
    env["PYTHONPATH"] = str(site)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    probe = (
        "from synthkg import paths; print(paths.PROJECT_ROOT); "
        "print(paths.ONTOLOGY_TTL.is_file(), any(paths.DATA_DIR.glob('*.ttl')), "
        "any(paths.SHAPES_DIR.glob('*.ttl')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    root, found = result.stdout.splitlines()
    assert root.startswith(str(site)), root
    assert found == "True True True"
    query = subprocess.run(
        [
            sys.executable,
            "-m",
            "synthkg.cli",
            "query",
            "SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/synthkg/ontology/Paper> }",
            "--format",
            "csv",
        ],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
    )
    assert query.returncode == 0, query.stderr
    count = int(query.stdout.split()[-1])
    assert count > 200
