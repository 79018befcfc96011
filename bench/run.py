"""`make bench`: timings at national scale, on a fresh throw-away database.

SQLite by default (a temporary file, WAL mode, like `make run`); with
BENCH_DATABASE_URL set (e.g. postgres://postgres@127.0.0.1:5432/simpul_bench)
the same steps run on PostgreSQL: that database is dropped and created anew,
so never point it at real data. BENCH_SCALE (default 1.0) sets the data size.
BENCH_ONLY=monitoring,registry (module names, comma-separated) runs only those
benchmarks; default: all of them.

Prints one line per measurement; docs/performance.md records the results.
"""

from __future__ import annotations

import importlib
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
# BENCH_REUSE=<folder of an earlier SQLite bench run, e.g. /tmp/simpul-bench-xxxx>: measure again on that
# seeded database (the national seed takes a quarter of an hour); loading areas and seeding are skipped, and
# only migrations newer than that database are applied. BENCH_REUSE=postgres://...: the same on a PostgreSQL
# database an earlier run seeded (it is not dropped).
REUSE = os.environ.get("BENCH_REUSE", "")
REUSE_POSTGRES = REUSE.startswith(("postgres://", "postgresql://"))
BENCHMARKS = ("registry", "reporting", "training", "training_import", "monitoring", "messaging")
ONLY = [name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()]


def _configure() -> str:
    os.environ["DEBUG"] = "1"
    if REUSE_POSTGRES:
        os.environ["SIMPUL_VAR_DIR"] = tempfile.mkdtemp(prefix="simpul-bench-")
        os.environ["DATABASE_URL"] = REUSE
        return f"PostgreSQL, reusing {REUSE.rsplit('/', 1)[1]}"
    if REUSE:
        os.environ["SIMPUL_VAR_DIR"] = REUSE
        os.environ.pop("DATABASE_URL", None)
        return f"SQLite (WAL), reusing {REUSE}"
    os.environ["SIMPUL_VAR_DIR"] = tempfile.mkdtemp(prefix="simpul-bench-")
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if url:
        os.environ["DATABASE_URL"] = url
        import psycopg

        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return "PostgreSQL"
    os.environ.pop("DATABASE_URL", None)
    return "SQLite (WAL)"


def timed(label: str, function: Callable[[], object], repeat: int = 1) -> object:
    durations = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - started)
    median = statistics.median(durations)
    shown = f"{median * 1000:8.1f} ms" if median < 10 else f"{median:8.1f} s "
    print(f"  {label:<58} {shown}  (median of {repeat})", flush=True)
    return result


@dataclass
class Bench:
    """What every benchmark module gets: the timer, a client and one actor per scope."""

    timed: Callable[..., object]
    client: Any
    national: Any
    province: Any
    centre: Any

    def get(self, path: str, as_user: Any = None) -> Callable[[], object]:
        self.client.force_login(as_user or self.national)

        def fetch() -> object:
            response = self.client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response

        return fetch


def _seed_steps(log: str) -> None:
    """One line per app's generator, with the time the seed command measured for it."""
    name = ""
    for line in log.splitlines():
        if line.endswith(" ..."):
            name = line.removesuffix(" ...")
        elif line.strip().startswith("selesai dalam"):
            print(f"    {name:<56} {line.split()[-2]:>8} s", flush=True)


def _analyze() -> None:
    """Statistics for the planners: a fresh SQLite file has none, and PostgreSQL's autovacuum gathers them
    only later (the matrix took 3.1 s on PostgreSQL and the national rate 63 ms on SQLite without). On
    PostgreSQL a VACUUM too, as autovacuum does after bulk inserts in production: until it has run, an
    index-only scan still visits the table for every row (the province's people list: 420 ms, 52 ms after)."""
    from django.db import connection

    statement = "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
    with connection.cursor() as cursor:
        timed(statement, lambda: cursor.execute(statement))


def main() -> None:
    unknown = sorted(set(ONLY) - set(BENCHMARKS))
    if unknown:
        raise SystemExit(f"BENCH_ONLY: unknown {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    engine = _configure()
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from simpul.accounts.models import User
    from simpul.centers.models import Center

    quiet = open(os.devnull, "w")  # noqa: SIM115
    print(f"Simpul benchmark on {engine}" + ("" if REUSE else f", scale {SCALE}"))
    if REUSE:
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        from simpul.core.models import DemoDataset

        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        timed("migrate (only what the reused database lacks)", lambda: call_command("migrate", verbosity=0))
        if pending:  # tables the migrations made or filled have no statistics yet
            _analyze()
        dataset = DemoDataset.objects.order_by("-pk").first()
        print(f"  the reused data set was seeded at scale {dataset.scale if dataset else '?'} (BENCH_SCALE ignored)")
    else:
        timed("migrate (empty database)", lambda: call_command("migrate", verbosity=0))
        timed("load_regions (38 / 514 / 7,285 areas)", lambda: call_command("load_regions", stdout=quiet))
        timed("load_regions again (idempotent, nothing written)", lambda: call_command("load_regions", stdout=quiet))
        seed_log = io.StringIO()
        timed(f"seed --scale {SCALE}", lambda: call_command("seed", scale=SCALE, stdout=seed_log))
        _seed_steps(seed_log.getvalue())
        _analyze()
    print(f"  centres: {Center.objects.count():,}  users: {User.objects.count():,}")
    from simpul.training.models import Enrolment, Outcome, Person

    print(
        f"  participants: {Person.objects.count():,}  enrolments: {Enrolment.objects.count():,}"
        f"  tracer outcomes: {Outcome.objects.count():,}"
    )

    client = Client(HTTP_HOST="localhost")
    context = Bench(
        timed=timed,
        client=client,
        national=User.objects.get(username="admin.pusat"),
        province=User.objects.get(username="pemda.jatim"),
        centre=User.objects.get(username="pengelola.demo"),
    )
    for name in BENCHMARKS:
        if not ONLY or name in ONLY:
            importlib.import_module(f"bench.{name}").run(context)


if __name__ == "__main__":
    main()
