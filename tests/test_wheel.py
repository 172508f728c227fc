"""An installed (not editable) trappa finds its bundled ladders and templates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from conftest import REPO


def test_the_wheel_carries_ladders_and_works_when_installed(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )
    [wheel] = dist.glob("trappa-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "trappa/ladders/regionerna/2024-04-01.yaml" in names
    assert "trappa/ladders/kalmar/2024.yaml" in names
    assert any(name.startswith("trappa/templates/") for name in names)
    # The fonts a PDF embeds, and their licence, travel with the package.
    assert "trappa/letters/fonts/LiberationSerif-Regular.ttf" in names
    assert "trappa/letters/fonts/LICENSE" in names

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    target = Path(sysconfig.get_path("purelib", vars={"base": str(venv)}))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    # The dependencies come from this environment's site-packages, after the wheel's trappa;
    # .pth files there (the editable install's) are not processed, so only the wheel is found.
    (target / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    python = venv / "bin" / "python"
    env = {**os.environ, "PYTHONPATH": ""}
    result = subprocess.run(
        [str(python), "-c", "import trappa, sys; print(trappa.__file__)"],
        capture_output=True, text=True, cwd=tmp_path, env=env, check=True,
    )
    assert result.stdout.startswith(str(target)), result.stdout
    listed = subprocess.run(
        [str(python), "-m", "trappa", "ladder", "list", "--json"],
        capture_output=True, text=True, cwd=tmp_path, env=env,
    )
    assert listed.returncode == 0, listed.stderr
    refs = {row["ref"] for row in json.loads(listed.stdout)}
    assert {"regionerna@2024-04-01", "kalmar@2024"} <= refs
    # The compiled Swedish catalog ships and is read from the installed package.
    assert "trappa/locale/sv/LC_MESSAGES/trappa.mo" in names
    swedish = subprocess.run(
        [str(python), "-m", "trappa", "--help"],
        capture_output=True, text=True, cwd=tmp_path, env={**env, "TRAPPA_LANG": "sv"},
    )
    assert swedish.stdout.startswith("Användning: trappa"), swedish.stdout + swedish.stderr
