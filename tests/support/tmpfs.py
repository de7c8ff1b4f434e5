"""A small tmpfs a test can fill to the last byte: a real "disk full" for SQLite and friends.

    with SmallDisk(tmp_path / "disk", size_mb=32) as disk:   # pytest.skip() when mounting is refused
        ...                                                  # put the database under disk.path
        disk.fill()                                          # ballast until ENOSPC
        disk.drain()                                         # free it again

Mounting needs root (or CAP_SYS_ADMIN); without it the test is skipped with the reason.
"""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest

CHUNK = 64 * 1024


class SmallDisk:
    def __init__(self, path: Path, size_mb: int = 32) -> None:
        self.path = Path(path)
        self.size_mb = size_mb
        self.mounted = False
        self._ballast = self.path / "ballast"

    def mount(self) -> SmallDisk:
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            done = subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={self.size_mb}m,mode=0755", "tmpfs", str(self.path)],
                capture_output=True,
                text=True,
                timeout=30,
            )
        except OSError as exc:
            pytest.skip(f"cannot mount a tmpfs to simulate a full disk: {exc}")
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs to simulate a full disk: {done.stderr.strip() or done.returncode}")
        self.mounted = True
        return self

    def free_bytes(self) -> int:
        stats = os.statvfs(self.path)
        return stats.f_bavail * stats.f_frsize

    def fill(self) -> int:
        """Write ballast until the disk refuses; returns the bytes written. Afterwards free_bytes() is 0."""
        written = 0
        chunk = b"\0" * CHUNK
        with self._ballast.open("ab", buffering=0) as ballast:
            size = CHUNK
            while size:
                try:
                    written += ballast.write(chunk[:size])
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    size //= 2  # the last few blocks, down to one byte
        assert self.free_bytes() == 0, f"{self.free_bytes()} bytes still free"
        return written

    def drain(self) -> None:
        self._ballast.unlink(missing_ok=True)

    def unmount(self) -> None:
        if not self.mounted:
            return
        done = subprocess.run(["umount", str(self.path)], capture_output=True, timeout=30)
        if done.returncode != 0:  # a straggling process still has a file open: detach lazily
            subprocess.run(["umount", "-l", str(self.path)], capture_output=True, timeout=30)
        self.mounted = False

    def __enter__(self) -> SmallDisk:
        return self.mount()

    def __exit__(self, *exc: object) -> None:
        self.unmount()
