"""Monitoring dashboards (issue 6): each panel's server time beside its floor.

For each dashboard scope (the nation; the province with the most centres; its
regency with the most centres; a centre of that regency) and each panel of it:

- server time: the real view through Django's test client (as Admin Pusat),
  middleware, session, scope check, selectors, template, everything;
- the floor: exactly the SQL statements that request ran (captured once, with
  their parameters) replayed straight through the database driver's own cursor
  (sqlite3 / psycopg), rows fetched, nothing else;
- the ratio of the two (goal: at most 1.5), per panel and for the whole
  dashboard (the page shell plus every panel of one page load, summed per
  iteration), and the national dashboard's p95 (goal: at most 150 ms).

Server calls and replays alternate inside each iteration, so a busy machine
slows both alike. Timed with DEBUG off (Django's debug cursor formats every
statement, which production does not do); statements are captured separately
with CaptureQueriesContext, whose count is the query count per panel. If the
monitoring code uses the cache, the server time is taken twice: cold (cache
cleared before each page load) and warm.

Before the dashboard views exist the same harness times the selectors
(simpul/monitoring/selectors.py) directly; both levels are written when both
exist. Results: bench/results/monitoring-<engine>-scale<scale>.json (one file
per engine and scale; the query counts of the other scales' files are compared
with this run's).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import django
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

ITERATIONS = int(os.environ.get("BENCH_MONITORING_ITERATIONS", "30"))
WARMUPS = int(os.environ.get("BENCH_MONITORING_WARMUPS", "3"))
RESULTS_DIR = Path(os.environ.get("BENCH_RESULTS_DIR", Path(__file__).resolve().parent / "results"))
GOAL_RATIO = 1.5
GOAL_NATIONAL_P95_MS = 150.0
MONITORING_SOURCE = Path(__file__).resolve().parent.parent / "simpul" / "monitoring"
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
INSERT = re.compile(r"^\s*INSERT\b", re.IGNORECASE)
LITERAL = re.compile(r"'(?:[^']|'')*'")
AGGREGATE_TABLE = re.compile(r"monitoring_(centremonth|areamonth|vocationmonth|areavocationmonth)", re.IGNORECASE)


# --- statistics --------------------------------------------------------------------------


def p50(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def summary(seconds: list[float]) -> dict[str, float]:
    return {"p50": round(p50(seconds) * 1000, 3), "p95": round(p95(seconds) * 1000, 3)}


def ratio(server: dict[str, float], floor: dict[str, float], key: str) -> float | None:
    return round(server[key] / floor[key], 2) if floor[key] > 0 else None


# --- capture and replay ------------------------------------------------------------------


@dataclass
class Statement:
    sql: str
    params: Any
    many: bool


@contextmanager
def recording() -> Iterator[list[Statement]]:
    """Every statement the default connection runs, as handed to the driver (SQL and parameters)."""
    statements: list[Statement] = []

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(Statement(sql, params, many))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield statements


def _driver_form(statement: Statement) -> tuple[str, Any]:
    """The statement as Django's backend hands it to the driver's cursor."""
    if connection.vendor != "sqlite" or statement.params is None:
        return statement.sql, statement.params
    from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX

    if isinstance(statement.params, dict):
        return statement.sql % {name: f":{name}" for name in statement.params}, statement.params
    return FORMAT_QMARK_REGEX.sub("?", statement.sql).replace("%%", "%"), statement.params


TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK")


def steps(queries: list[dict[str, Any]], statements: list[Statement]) -> list[Statement | str]:
    """The request's statements in order, with the transaction control Django does outside the cursor.

    CaptureQueriesContext also lists COMMIT and ROLLBACK (and BEGIN on PostgreSQL), which Django asks of
    the driver's connection, not of a cursor: they are kept as plain strings, to be replayed the same way.
    """
    ordered: list[Statement | str] = []
    position = 0
    for query in queries:
        if position < len(statements) and statements[position].sql == query["sql"]:
            ordered.append(statements[position])
            position += 1
        elif query["sql"] in TRANSACTION:
            ordered.append(query["sql"])
        else:
            ordered.append(statements[position])
            position += 1
    assert position == len(statements), (position, len(statements))
    return ordered


def replayer(ordered: list[Statement | str]) -> Callable[[], None]:
    """Run the statements straight through the DB-API cursor of Django's own connection, fetching every row.

    INSERTs are left out (replaying one again could break a unique constraint); the count says if any.
    """
    prepared = [
        step if isinstance(step, str) else (*_driver_form(step), step.many)
        for step in ordered
        if isinstance(step, str) or not INSERT.match(step.sql)
    ]
    connection.ensure_connection()
    raw = connection.connection
    postgres = connection.vendor == "postgresql"

    def replay() -> None:
        cursor = raw.cursor()
        try:
            for step in prepared:
                if isinstance(step, str):
                    if step == "BEGIN" and postgres:
                        raw.autocommit = False
                    elif step in ("COMMIT", "ROLLBACK"):
                        raw.commit() if step == "COMMIT" else raw.rollback()
                        if postgres:
                            raw.autocommit = True
                    continue
                sql, params, many = step
                if many:
                    cursor.executemany(sql, params)
                elif params is None:
                    cursor.execute(sql)
                else:
                    cursor.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()
        finally:
            cursor.close()

    return replay


# --- what is measured --------------------------------------------------------------------


@dataclass
class Panel:
    name: str
    call: Callable[[], object]
    url: str = ""
    queries: int = 0
    aggregate_queries: int = 0
    writes: int = 0  # statements that write (a session saved on every request is one)
    inserts: int = 0  # not replayed
    statements: list[str] = field(default_factory=list)  # the start of each, to see what the count is made of
    replay: Callable[[], None] | None = None
    server: list[float] = field(default_factory=list)
    server_cold: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)


@dataclass
class DashboardScope:
    label: str  # national / province / regency / centre
    level: str
    code: str
    name: str

    def query(self) -> str:
        return "" if self.level == "national" else f"level={self.level}&code={self.code}"


def dashboard_scopes() -> list[DashboardScope]:
    """The nation, the province with the most centres, its regency with the most centres, a centre of it."""
    from simpul.centers.models import Center

    scopes = [DashboardScope("national", "national", "", "Nasional")]
    largest = (
        Center.objects.values("province_id", "province__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "province_id")
        .first()
    )
    if largest is None:
        return scopes
    scopes.append(DashboardScope("province", "province", largest["province_id"], largest["province__name"]))
    regency = (
        Center.objects.filter(province_id=largest["province_id"])
        .values("regency_id", "regency__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "regency_id")
        .first()
    )
    assert regency is not None  # the province has centres
    scopes.append(DashboardScope("regency", "regency", regency["regency_id"], regency["regency__name"]))
    centre = Center.objects.filter(regency_id=regency["regency_id"]).order_by("pk").first()
    assert centre is not None
    scopes.append(DashboardScope("centre", "center", str(centre.pk), centre.name))
    return scopes


def _get(client: Any, url: str, **headers: str) -> Callable[[], Any]:
    def fetch() -> Any:
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return fetch


def _panel_urls(page_html: str, scope: DashboardScope) -> list[str]:
    """The panel endpoints the page shell asks for (hx-get, src, href …), in page order."""
    prefix = reverse("monitoring:panel", kwargs={"name": "NAME"}).split("NAME")[0]
    found = re.findall(re.escape(prefix) + r"[^\"'\s<>]+", page_html)
    # The page also loads the early-warnings panel and the map's data: part of the dashboard too.
    for other in (reverse("monitoring:warnings-panel"), reverse("monitoring:map-data")):
        found += re.findall(re.escape(other) + r"[^\"'\s<>]*", page_html)
    urls = list(dict.fromkeys(html.unescape(url) for url in found))
    if urls:
        return urls
    # No links in the shell (panels rendered some other way): ask the views module for its panel names.
    from simpul.monitoring import views_dashboard

    names = getattr(views_dashboard, "PANELS", None) or getattr(views_dashboard, "PANEL_NAMES", None) or ()
    names = names.keys() if isinstance(names, dict) else [getattr(n, "name", n) for n in names]
    query = scope.query()
    return [reverse("monitoring:panel", kwargs={"name": n}) + (f"?{query}" if query else "") for n in names]


def view_panels(bench: Any, scope: DashboardScope) -> list[Panel]:
    """The page shell and every panel endpoint it loads, each a GET through the test client."""
    client = bench.client
    client.force_login(bench.national)
    query = scope.query()
    page_url = reverse("monitoring:dashboard") + (f"?{query}" if query else "")
    page = _get(client, page_url)()
    panels = [Panel("(page shell)", _get(client, page_url), url=page_url)]
    prefix = reverse("monitoring:panel", kwargs={"name": "NAME"}).split("NAME")[0]
    seen: set[str] = set()
    for url in _panel_urls(page.content.decode(), scope):
        if url.startswith(prefix):
            name = url.removeprefix(prefix).split("/")[0]
        elif url.startswith(reverse("monitoring:warnings-panel")):
            name = "warnings"
        else:
            name = "map data"
        if name in seen:
            name = url.removeprefix(prefix)
        seen.add(name)
        panels.append(Panel(name, _get(client, url, HTTP_HX_REQUEST="true"), url=url))
    return panels


def selector_panels(bench: Any, scope: DashboardScope) -> list[Panel]:
    """The selectors the panels are built on, called directly (no view, no table, no template).

    Named after the panels that call them (simpul/monitoring/dashboard_tables.py PANELS).
    """
    from simpul.monitoring import scope as scopes
    from simpul.monitoring import selectors

    where = scopes.scope_get(actor=bench.national, level=scope.level, code=scope.code)
    filters = selectors.filters_from_params({})
    return [
        Panel("headline", lambda: selectors.headline(where, filters)),
        Panel("trend", lambda: selectors.trend(where, filters)),
        *(Panel(dim, partial(selectors.breakdown, where, filters, dim)) for dim in ("area", "sex", "cohort", "class")),
        Panel("vocation", lambda: selectors.vocation_breakdown(where, filters)),
        Panel("incubation", lambda: selectors.incubation_figures(where, filters)),
        Panel("aid", lambda: selectors.aid_figures(where, filters)),
    ]


def _uses_cache() -> bool:
    """Whether the monitoring code caches anything (then cold and warm are both measured)."""
    return any(
        re.search(r"\bcache\b", path.read_text()) and "django.core.cache" in path.read_text()
        for path in MONITORING_SOURCE.rglob("*.py")
    )


# --- one scope ---------------------------------------------------------------------------


def capture(panels: list[Panel]) -> dict[str, str]:
    """Run each panel once with the debug cursor on: its query count and the statements to replay.

    A panel that fails is left out of the measurement (and named in the results); the rest go on.
    """
    failed: dict[str, str] = {}
    for panel in list(panels):
        try:
            panel.call()  # warm: session and any lazy state, so the captured set is the steady one
            with CaptureQueriesContext(connection) as queries, recording() as statements:
                panel.call()
        except Exception as error:  # a broken panel is reported, not fatal to the benchmark
            failed[panel.name] = f"{type(error).__name__}: {error}"[:300]
            panels.remove(panel)
            print(f"    {panel.name}: FAILED, left out ({failed[panel.name][:120]})", flush=True)
            continue
        panel.queries = len(queries)
        # Literals blanked: the session UPDATE carries the signed session data, which has no place in a file.
        panel.statements = [LITERAL.sub("'…'", " ".join(q["sql"].split()))[:100] for q in queries]
        panel.aggregate_queries = sum(1 for q in queries if AGGREGATE_TABLE.search(q["sql"]))
        panel.writes = sum(1 for s in statements if WRITE.match(s.sql))
        panel.inserts = sum(1 for s in statements if INSERT.match(s.sql))
        panel.replay = replayer(steps(list(queries), statements))
    return failed


def measure(panels: list[Panel], cached: bool) -> None:
    """Server call, then its floor, panel by panel, WARMUPS + ITERATIONS times (DEBUG off)."""
    clock = time.perf_counter
    with override_settings(DEBUG=False):
        for iteration in range(WARMUPS + ITERATIONS):
            keep = iteration >= WARMUPS
            if cached:
                cache.clear()  # cold: the page load starts from an empty cache
                for panel in panels:
                    started = clock()
                    panel.call()
                    if keep:
                        panel.server_cold.append(clock() - started)
            for panel in panels:
                started = clock()
                panel.call()
                elapsed = clock() - started
                assert panel.replay is not None
                started = clock()
                panel.replay()
                replayed = clock() - started
                if keep:
                    panel.server.append(elapsed)
                    panel.floor.append(replayed)


def scope_result(scope: DashboardScope, panels: list[Panel], cached: bool, failed: dict[str, str]) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for panel in panels:
        server, floor = summary(panel.server), summary(panel.floor)
        rows[panel.name] = {
            "url": panel.url,
            "queries": panel.queries,
            "aggregate_queries": panel.aggregate_queries,
            "writes": panel.writes,
            "inserts_not_replayed": panel.inserts,
            "server_ms": server,
            "floor_ms": floor,
            "ratio_p50": ratio(server, floor, "p50"),
            "ratio_p95": ratio(server, floor, "p95"),
            "statements": panel.statements,
        }
        if cached:
            rows[panel.name]["server_cold_ms"] = summary(panel.server_cold)
    whole_server = [sum(p.server[i] for p in panels) for i in range(ITERATIONS)]
    whole_floor = [sum(p.floor[i] for p in panels) for i in range(ITERATIONS)]
    server, floor = summary(whole_server), summary(whole_floor)
    whole: dict[str, Any] = {
        "panels": len(panels),
        "queries": sum(p.queries for p in panels),
        "server_ms": server,
        "floor_ms": floor,
        "ratio_p50": ratio(server, floor, "p50"),
        "ratio_p95": ratio(server, floor, "p95"),
    }
    if cached:
        whole["server_cold_ms"] = summary([sum(p.server_cold[i] for p in panels) for i in range(ITERATIONS)])
    return {
        "scope": {"level": scope.level, "code": scope.code, "name": scope.name},
        "panels": rows,
        "dashboard": whole,
        "failed_panels": failed,  # left out of "dashboard": it is then incomplete
    }


def print_scope(level_name: str, label: str, result: dict[str, Any]) -> None:
    scope = result["scope"]
    print(f"  [{level_name}] {label}: {scope['name']} {scope['code']}".rstrip(), flush=True)
    print(f"    {'panel':<34} {'q':>3} {'server p50':>10} {'p95':>8} {'floor p50':>10} {'p95':>8} {'ratio p95':>9}")
    lines = [*result["panels"].items(), ("= whole dashboard", result["dashboard"])]
    for name, row in lines:
        server, floor = row["server_ms"], row["floor_ms"]
        flag = "" if row["ratio_p95"] is None or row["ratio_p95"] <= GOAL_RATIO else "  > 1.5"
        cold = f"  (cold p95 {row['server_cold_ms']['p95']:.2f})" if "server_cold_ms" in row else ""
        print(
            f"    {name[:34]:<34} {row['queries']:>3} {server['p50']:>10.2f} {server['p95']:>8.2f}"
            f" {floor['p50']:>10.2f} {floor['p95']:>8.2f} {row['ratio_p95'] or 0:>9.2f}{flag}{cold}",
            flush=True,
        )


# --- results file ------------------------------------------------------------------------


def _scale() -> float:
    from simpul.core.models import DemoDataset

    dataset = DemoDataset.objects.order_by("-pk").first()
    return dataset.scale if dataset is not None else float(os.environ.get("BENCH_SCALE", "1.0"))


def _engine() -> tuple[str, str]:
    if connection.vendor == "sqlite":
        import sqlite3

        return "sqlite", sqlite3.sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return connection.vendor, cursor.fetchone()[0]


def _data_counts() -> dict[str, int]:
    from simpul.centers.models import Center
    from simpul.monitoring.models import AreaMonth, AreaVocationMonth, CentreMonth, VocationMonth

    return {
        "centres": Center.objects.count(),
        "centre_months": CentreMonth.objects.count(),
        "area_months": AreaMonth.objects.count(),
        "vocation_months": VocationMonth.objects.count(),
        "area_vocation_months": AreaVocationMonth.objects.count(),
    }


def query_counts(levels: dict[str, Any]) -> dict[str, dict[str, int]]:
    return {
        f"{level}/{label}": {name: row["queries"] for name, row in result["panels"].items()}
        for level, scopes in levels.items()
        for label, result in scopes.items()
    }


def compare_scales(path: Path, engine: str, counts: dict[str, dict[str, int]]) -> dict[str, Any]:
    """This run's query counts against every other scale's results file of the same engine."""
    comparison: dict[str, Any] = {}
    for other in sorted(path.parent.glob(f"monitoring-{engine}-scale*.json")):
        if other == path:
            continue
        try:
            theirs = json.loads(other.read_text())
        except (OSError, ValueError):
            continue
        their_counts = theirs.get("query_counts", {})
        differences = [
            f"{key} {name}: {count} here, {their_counts[key][name]} at scale {theirs.get('scale')}"
            for key, panels in counts.items()
            if key in their_counts
            for name, count in panels.items()
            if name in their_counts[key] and their_counts[key][name] != count
        ]
        compared = sum(
            1 for key, panels in counts.items() if key in their_counts for name in panels if name in their_counts[key]
        )
        comparison[str(theirs.get("scale"))] = {"panels_compared": compared, "differences": differences}
        verdict = "the same" if not differences else f"{len(differences)} DIFFERENT"
        print(f"  query counts against scale {theirs.get('scale')}: {compared} panels compared, {verdict}")
        for line in differences:
            print(f"    {line}")
    return comparison


# --- entry point -------------------------------------------------------------------------


def run(bench: Any) -> None:
    print("Monitoring dashboards", flush=True)
    from simpul.monitoring import facts
    from simpul.monitoring.models import CentreMonth

    if not CentreMonth.objects.exists() and hasattr(facts, "rebuild"):
        # A database seeded before the aggregates existed: build them once (and time it).
        bench.timed("facts.rebuild() (the aggregates were empty)", facts.rebuild)
    counts = _data_counts()
    print("  aggregates: " + ", ".join(f"{name} {value:,}" for name, value in counts.items()), flush=True)
    engine, version = _engine()
    cached = _uses_cache()
    scopes = dashboard_scopes()
    builders: dict[str, Callable[[Any, DashboardScope], list[Panel]]] = {
        "views": view_panels,
        "selectors": selector_panels,
    }
    print(
        f"  {ITERATIONS} iterations after {WARMUPS} warm-ups, DEBUG off, as Admin Pusat;"
        f" cache {'used: cold and warm' if cached and 'views' in builders else 'not used'}",
        flush=True,
    )
    load_before = os.getloadavg()
    levels: dict[str, dict[str, Any]] = {}
    for level_name, build in builders.items():
        levels[level_name] = {}
        for scope in scopes:
            panels = build(bench, scope)
            failed = capture(panels)
            measure(panels, cached and level_name == "views")
            levels[level_name][scope.label] = scope_result(scope, panels, cached and level_name == "views", failed)
            print_scope(level_name, scope.label, levels[level_name][scope.label])

    scale = _scale()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"monitoring-{engine}-scale{scale:g}.json"
    counts_by_panel = query_counts(levels)
    national = levels.get("views", levels.get("selectors", {})).get("national", {}).get("dashboard", {})
    worst = max(
        (row["ratio_p95"] or 0, f"{level}/{label}/{name}")
        for level, scopes_ in levels.items()
        for label, result in scopes_.items()
        for name, row in [*result["panels"].items(), ("dashboard", result["dashboard"])]
    )
    checks = {
        "national_dashboard_p95_ms": national.get("server_ms", {}).get("p95"),
        "national_dashboard_p95_within_goal": national.get("server_ms", {}).get("p95", 1e9) <= GOAL_NATIONAL_P95_MS,
        "worst_ratio_p95": {"ratio": worst[0], "where": worst[1]},
        "every_ratio_within_goal": worst[0] <= GOAL_RATIO,
        "measured_level": "views" if "views" in levels else "selectors",
    }
    result = {
        "benchmark": "monitoring",
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "engine_version": version,
        "scale": scale,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": sys.version.split()[0],
            "django": django.get_version(),
            # Other work on the machine inflates both sides; the ratio suffers less than the times.
            "load_average_1min_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        },
        "method": {
            "iterations": ITERATIONS,
            "warmups": WARMUPS,
            "actor": "admin.pusat",
            "debug_cursor": False,
            "cache": "cold and warm" if cached and "views" in levels else "not used by the monitoring code",
            "server": "django.test.Client GET (views) or the selector call (selectors)",
            "floor": "the same statements and parameters replayed through the DB-API cursor, rows fetched",
            "dashboard": "page shell + every panel of one page load, summed per iteration",
        },
        "goals": {"ratio_p95_max": GOAL_RATIO, "national_dashboard_p95_ms_max": GOAL_NATIONAL_P95_MS},
        "data": counts,
        "levels": levels,
        "query_counts": counts_by_panel,
        "checks": checks,
    }
    result["query_counts_against_other_scales"] = compare_scales(path, engine, counts_by_panel)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(
        f"  national dashboard p95 {checks['national_dashboard_p95_ms']} ms (goal {GOAL_NATIONAL_P95_MS:g});"
        f" worst ratio p95 {worst[0]} at {worst[1]} (goal {GOAL_RATIO})",
        flush=True,
    )
    print(f"  results: {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}", flush=True)


# --- the tables of docs/performance.md ---------------------------------------------------

SCOPE_LABELS = {
    "national": "the nation",
    "province": "province (most centres)",
    "regency": "its regency (most centres)",
    "centre": "a centre of it",
}


def _pair(summary_ms: dict[str, float]) -> str:
    return f"{summary_ms['p50']:.1f} / {summary_ms['p95']:.1f}"


def _ratios(row: dict[str, Any]) -> str:
    return f"{row['ratio_p50']} / {row['ratio_p95']}"


def markdown(results: list[dict[str, Any]], level: str = "views") -> str:
    """docs/performance.md's tables from results files (one per engine, same scale), ready to paste."""
    engines = [r["engine"] for r in results]
    head = " | ".join(f"{e} server | {e} floor | ratio" for e in engines)
    bar = " | ".join("---: | ---: | ---:" for _ in engines)
    lines = [
        f"Scale {', '.join(str(r['scale']) for r in results)}; measured {', '.join(r['measured_at'] for r in results)};"
        f" {results[0]['method']['iterations']} iterations; ms, p50 / p95; ratio = server / floor, at p50 / at p95.",
        "",
        f"| national dashboard | queries | {head} |",
        f"| --- | ---: | {bar} |",
    ]
    national = [r["levels"][level]["national"] for r in results]
    for name in national[0]["panels"]:
        cells = []
        for result in national:
            row = result["panels"].get(name)
            cells.append(
                f"{_pair(row['server_ms'])} | {_pair(row['floor_ms'])} | {_ratios(row)}" if row else "– | – | –"
            )
        lines.append(f"| {name} | {national[0]['panels'][name]['queries']} | {' | '.join(cells)} |")
    for name in sorted({n for result in national for n in result.get("failed_panels", {})}):
        lines.append(f"| {name} | failed | {' | '.join('– | – | –' for _ in engines)} |")
    whole = [
        f"{_pair(r['dashboard']['server_ms'])} | {_pair(r['dashboard']['floor_ms'])} | {_ratios(r['dashboard'])}"
        for r in national
    ]
    lines.append(
        f"| **whole dashboard** (goal p95 ≤ {GOAL_NATIONAL_P95_MS:g} ms, ratio ≤ {GOAL_RATIO}) |"
        f" {national[0]['dashboard']['queries']} | {' | '.join(whole)} |"
    )
    lines += ["", f"| whole dashboard of | queries | {head} |", f"| --- | ---: | {bar} |"]
    for label, title in SCOPE_LABELS.items():
        cells = []
        for result in results:
            scope = result["levels"][level].get(label)
            cells.append(
                f"{_pair(scope['dashboard']['server_ms'])} | {_pair(scope['dashboard']['floor_ms'])}"
                f" | {_ratios(scope['dashboard'])}"
                if scope
                else "– | – | –"
            )
        first = results[0]["levels"][level].get(label)
        lines.append(f"| {title} | {first['dashboard']['queries'] if first else '–'} | {' | '.join(cells)} |")
    panels = list(national[0]["panels"])
    lines += ["", f"| queries per request | {' | '.join(panels)} |", f"| --- | {' | '.join('---:' for _ in panels)} |"]
    for label, title in SCOPE_LABELS.items():
        scope = results[0]["levels"][level].get(label)
        if scope:
            counts = [str(scope["panels"][p]["queries"]) if p in scope["panels"] else "–" for p in panels]
            lines.append(f"| {title} | {' | '.join(counts)} |")
    for result in results:
        for scale, comparison in result.get("query_counts_against_other_scales", {}).items():
            verdict = "the same" if not comparison["differences"] else "; ".join(comparison["differences"])
            lines.append(
                f"\n{result['engine']}: query counts against scale {scale}"
                f" ({comparison['panels_compared']} panels compared): {verdict}."
            )
    return "\n".join(lines)


if __name__ == "__main__":
    # python -m bench.monitoring [--level=selectors] bench/results/monitoring-sqlite-scale1.json \
    #     bench/results/monitoring-postgresql-scale1.json
    options = [a.removeprefix("--level=") for a in sys.argv[1:] if a.startswith("--level=")]
    files = [a for a in sys.argv[1:] if not a.startswith("--")]
    print(markdown([json.loads(Path(name).read_text()) for name in files], level=(options or ["views"])[0]))
