"""A progress bar for commands, drawn only when output goes to a terminal."""

import sys


class Progress:
    def __init__(self, stream, total: int, label: str = ""):
        self.stream = stream
        self.total = max(total, 1)
        self.label = label
        self.done = 0
        target = getattr(stream, "_out", stream)
        self.enabled = hasattr(target, "isatty") and target.isatty()

    def step(self, note: str = "") -> None:
        self.done += 1
        if not self.enabled:
            return
        width = 30
        filled = int(width * self.done / self.total)
        bar = "█" * filled + "·" * (width - filled)
        line = f"\r{self.label} [{bar}] {self.done}/{self.total} {note[:40]:<40}"
        self.stream.write(line, ending="")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("", ending="\n")
        sys.stdout.flush()
