"""The synthetic data generator's frame.

Each app contributes its own generator with `@seeder(order)`, registered when
the app loads; `manage.py seed` runs them in order with one shared context
(scale, seeded random generator, progress output). Core never imports the
apps above it: they come to it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SeedFunction = Callable[["SeedContext"], None]
_SEEDERS: list[tuple[int, str, SeedFunction]] = []


def seeder(order: int) -> Callable[[SeedFunction], SeedFunction]:
    """Register an app's generator; lower `order` runs first."""

    def register(function: SeedFunction) -> SeedFunction:
        name = f"{function.__module__}.{function.__name__}"
        if all(existing != name for _, existing, _ in _SEEDERS):
            _SEEDERS.append((order, name, function))
            _SEEDERS.sort(key=lambda item: (item[0], item[1]))
        return function

    return register


def registered_seeders() -> list[tuple[int, str, SeedFunction]]:
    return list(_SEEDERS)


@dataclass
class SeedContext:
    """What every generator shares: the scale, the random source and the output."""

    scale: float
    seed: int
    out: Any  # a stream with write() and flush(), e.g. a command's OutputWrapper
    rng: random.Random = field(init=False)
    # Generators leave what later generators need here (e.g. the demo centre).
    shared: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def count(self, at_national_scale: int, minimum: int = 1) -> int:
        """How many records to make for a quantity given at national scale."""
        return max(minimum, round(at_national_scale * self.scale))

    def progress(self, label: str, done: int, total: int, started: float) -> None:
        elapsed = time.monotonic() - started
        self.out.write(f"  {label}: {done:,}/{total:,} ({elapsed:.1f} s)\n")
        self.out.flush()


BATCH_SIZE = 2000


def in_batches(items: list[Any], size: int = BATCH_SIZE) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
