"""A text progress bar for the command line."""

import sys
import time


class ProgressBar:
    """Draws `[#####.....]  50/100  50%  3.1 s` on a terminal stream,
    rewriting one line (or one line per update when the stream is not a
    terminal, so logs stay readable)."""

    def __init__(self, stream=None, width=30, label=""):
        self.stream = stream or sys.stderr
        self.width = width
        self.label = label
        self.started = time.monotonic()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def __call__(self, done, total):
        filled = int(self.width * done / total) if total else self.width
        percent = int(100 * done / total) if total else 100
        line = (
            f"{self.label}[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} {percent:3d}% "
            f"{time.monotonic() - self.started:.1f} s"
        )
        self.stream.write(("\r" + line) if self.tty else (line + "\n"))
        if self.tty and done >= total:
            self.stream.write("\n")
        self.stream.flush()
