"""Two people acting at the same moment: real threads on real connections (PostgreSQL; SQLite's shared
in-memory test database takes one writer at a time)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from .conftest import World, build_world, load_reference_data, load_test_regions

needs_two_writers = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's test database (shared in-memory cache) refuses a second writer; CI runs this on PostgreSQL",
)


def at_once(*works: Callable[[], Any]) -> list[str]:
    """Run each of `works` in its own thread, released together; each one's result, sorted:
    "done", "refused" (a ValidationError) or the repr of any other error (shown, not lost in the thread)."""
    start = threading.Barrier(len(works))
    results: list[str] = []

    def run(work: Callable[[], Any]) -> None:
        try:
            start.wait()
            work()
            results.append("done")
        except ValidationError:
            results.append("refused")
        except Exception as error:
            results.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(results)


def fresh_world() -> World:
    """What a transactional test has to load again (its tables are emptied after each test)."""
    load_test_regions()
    load_reference_data()
    return build_world()
