"""Making a file or folder unwritable in a test, even for root."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """Make ``path`` (a file or folder) unwritable, even for root, or skip the test.

    Root ignores permission bits, so as root the immutable attribute is used where the file
    system allows it; it is always cleared again.
    """
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        if chattr is None or subprocess.run([chattr, "+i", str(path)],
                                            capture_output=True).returncode != 0:
            pytest.skip("cannot make a file read-only for root here")
        try:
            yield
        finally:
            subprocess.run([chattr, "-i", str(path)], check=True)
        return
    mode = path.stat().st_mode
    path.chmod(mode & ~0o222)
    try:
        yield
    finally:
        path.chmod(mode)
