"""aiosmtpd in a process of its own, for the email tests: `python smtp_process.py PORT FOLDER`.

Each message it accepts becomes one JSON file in FOLDER (its recipients and its raw bytes). A
process of its own because aiosmtpd runs an asyncio loop in a thread: under gevent's monkey
patching that "thread" is a greenlet on the test's own OS thread, and it fails whenever another
loop already runs there (Playwright's sync API leaves one). Prints "ready" once it listens, and
stops when its standard input closes.
"""

from __future__ import annotations

import base64
import json
import sys
import uuid
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class _Folder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        record = {"rcpt_tos": list(envelope.rcpt_tos), "content": base64.b64encode(envelope.content).decode()}
        name = f"{uuid.uuid4().hex}.json"
        # Whole files only: the test reads while we write. The partial file must not match the
        # reader's `*.json` (pathlib's glob matches dot files too), or it can vanish mid-read.
        partial = self.folder / f"{name}.partial"
        partial.write_text(json.dumps(record))
        partial.rename(self.folder / name)
        return "250 Message accepted for delivery"


def main() -> None:
    port, folder = int(sys.argv[1]), Path(sys.argv[2])
    controller = Controller(_Folder(folder), hostname="127.0.0.1", port=port)
    controller.start()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
