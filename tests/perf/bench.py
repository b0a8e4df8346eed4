"""The HTTP benchmark's Python side, run by scripts/bench.sh against a running gunicorn.

    python -m tests.perf.bench targets           the pages to load, one per line (TSV)
    python -m tests.perf.bench record N P C      one JSON line from wrk's output (stdin)
    python -m tests.perf.bench report FILE       the table of wrk's results, with ratios
    python -m tests.perf.bench rush URL          500 guest confirmations at once
    python -m tests.perf.bench rush URL --sessions 3 --session-places 100 --guests 1000
                                                 the same with a ronde of deelsessies,
                                                 each guest choosing one (issue 21)
    python -m tests.perf.bench harvest URL       an OAI-PMH harvest of every record, timed
    python -m tests.perf.bench once URL          the reach report and its XLSX, one at a time
    python -m tests.perf.bench profile PATH      one request in process, with pyinstrument

`targets` and `rush` use the portal's own settings and database (the environment the
server runs with); `report` needs nothing but the file.
"""

import argparse
import http.client
import json
import os
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

TREKKER_EMAIL = "trekker.jip@example.org"
TREKKER_ATELIER = "jongeren-inclusie-en-participatie"
HEALTHZ = "/healthz"
UNCACHED = "ongecached=1"
TWO_FACETS = "soort=tool&voorwaarde=sociale-cohesie"
BEREIK_PERIOD = "van=2024-01-01&tot=2026-12-31"
# The targets: anonymous pages reach this share of /healthz's throughput with a p95
# under this many ms; logged-in pages the second pair.
TARGETS = {False: (0.5, 100), True: (0.25, 250)}
# Pages made on every request (issue 20) have a p95 target of their own and no ratio: they
# are compared with what the cache saves, not with /healthz.
PAGE_TARGETS = {
    "/kennisbank/, two facets (uncached)": (0, 150),
    "/zoeken/, a common word (uncached)": (0, 100),
    "/zoeken/, two words (uncached)": (0, 100),
    # Issue 22 asks under 2 s for the report and 5 s for its workbook, for one request;
    # held here against 20 clients at once.
    "/bereik/, three years (coördinator)": (0, 2000),
    "/bereik/bereik.xlsx, three years": (0, 5000),
}
HARVEST_SECONDS = 5


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkplaats.settings")
    import django

    django.setup()


def targets() -> list[tuple[str, str, str]]:
    """(name, path, cookie) of every page the issue lists; the trekker gets a session."""
    _django()
    from themas.models import Update

    update = Update.objects.gepubliceerd().order_by("-gepubliceerd_op").first()
    from bijeenkomsten.demo import DEMO
    from nieuwsbrief.models import Editie

    symposium = DEMO[0]["slug"]
    cookie = _session_cookie(TREKKER_EMAIL)
    from netwerk.demo import COORDINATOR_EMAIL

    coordinator = _session_cookie(COORDINATOR_EMAIL)
    # The demo sends no edition: an edition's page is loaded when the database has one.
    editie = Editie.objects.in_archief().first()
    archief = [("/nieuwsbrief/archief/", "/nieuwsbrief/archief/", "")]
    if editie is not None:
        archief.append(("an edition", editie.get_archief_url(), ""))
    archief.append(("/nieuwsbrief/archief/feed/", "/nieuwsbrief/archief/feed/", ""))
    return [
        ("/", "/", ""),
        ("/leerateliers/", "/leerateliers/", ""),
        ("a leeratelier", "/leerateliers/armoede/", ""),
        ("/themas/", "/themas/", ""),
        ("a thema", "/themas/samenwerken/", ""),
        ("/netwerk/", "/netwerk/", ""),
        ("/netwerk/?soort=gemeente", "/netwerk/?soort=gemeente", ""),
        ("an organisatie", "/netwerk/stichting-buurtkracht/", ""),
        ("/updates/", "/updates/", ""),
        ("an update", update.get_absolute_url(), ""),
        ("/updates/feed/", "/updates/feed/", ""),
        ("a thema's feed", "/updates/feed/thema/samenwerken/", ""),
        ("a leeratelier's feed", "/updates/feed/leeratelier/armoede/", ""),
        ("/bijeenkomsten/", "/bijeenkomsten/", ""),
        ("a bijeenkomst", f"/bijeenkomsten/{symposium}/", ""),
        ("/bijeenkomsten/agenda.ics", "/bijeenkomsten/agenda.ics", ""),
        *archief,
        ("/kennisbank/", "/kennisbank/", ""),
        # A parameter no view reads keeps a page out of the cache: these are made every time.
        ("/kennisbank/, two facets (uncached)", f"/kennisbank/?{TWO_FACETS}&{UNCACHED}", ""),
        ("/zoeken/, a common word (uncached)", f"/zoeken/?q=wijk&{UNCACHED}", ""),
        ("/zoeken/, two words (uncached)", f"/zoeken/?q=samenwerken+wijk&{UNCACHED}", ""),
        ("/mijn/ (trekker)", "/mijn/", cookie),
        ("a leeratelier (trekker)", f"/leerateliers/{TREKKER_ATELIER}/", cookie),
        # Issue 22: the reach report over three years, and its XLSX (never cached).
        ("/bereik/, three years (coördinator)", f"/bereik/?{BEREIK_PERIOD}", coordinator),
        ("/bereik/bereik.xlsx, three years", f"/bereik/bereik.xlsx?{BEREIK_PERIOD}", coordinator),
    ]


def _session_cookie(email: str) -> str:
    """A logged-in session, made the way the test client's force_login makes one."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from netwerk.models import Persoon

    persoon = Persoon.objects.get(email=email)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(persoon.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = persoon.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def report(path: str) -> str:
    """wrk's results as a Markdown table. Each page was loaded right after /healthz: its ratio
    is against that ceiling, measured the moment before on the same machine."""
    results = Path(path).read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in results if line.strip()]
    lines = [
        "| page | req/s | p50 | p95 | p99 | /healthz req/s | ratio | target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    ceiling = None
    for row in rows:
        if row["path"] == HEALTHZ:
            ceiling = row
            continue
        ratio = row["rps"] / ceiling["rps"]
        min_ratio, max_p95 = PAGE_TARGETS.get(row["name"]) or TARGETS[bool(row["cookie"])]
        met = ratio >= min_ratio and row["p95_ms"] < max_p95 and not row["errors"]
        wanted = f"≥ {min_ratio}, p95 < {max_p95} ms" if min_ratio else f"p95 < {max_p95} ms"
        verdict = f"{'met' if met else 'MISSED'} ({wanted})"
        if row["errors"]:
            verdict += f", {row['errors']} errors"
        lines.append(
            f"| {row['name']} | {row['rps']:.0f} | {row['p50_ms']:.0f} ms | "
            f"{row['p95_ms']:.0f} ms | {row['p99_ms']:.0f} ms | {ceiling['rps']:.0f} | "
            f"{ratio:.2f} | {verdict} |"
        )
    return "\n".join(lines)


def record(name: str, path: str, cookie: str, wrk_output: str) -> str:
    """One JSON line from wrk's output (the line wrk_report.lua writes)."""
    match = re.search(r"^BENCH (\{.*\})$", wrk_output, re.MULTILINE)
    if match is None:
        raise SystemExit(f"No result from wrk for {path}:\n{wrk_output}")
    data = json.loads(match.group(1))
    seconds = data["duration_us"] / 1e6
    return json.dumps(
        {
            "name": name,
            "path": path,
            "cookie": bool(cookie),
            "rps": data["requests"] / seconds,
            "p50_ms": data["p50_us"] / 1000,
            "p95_ms": data["p95_us"] / 1000,
            "p99_ms": data["p99_us"] / 1000,
            "errors": data["status_errors"] + data["socket_errors"],
        }
    )


# The registration rush: many guests confirm their registration for one bijeenkomst at once.


def rush(
    base_url: str,
    *,
    guests: int,
    places: int,
    ceiling: float | None = None,
    sessions: int = 0,
    session_places: int = 0,
) -> int:
    """`guests` confirm at once for `places` places; with `sessions`, the bijeenkomst has a
    ronde of that many deelsessies of `session_places` each, and guest n chooses deelsessie
    n modulo `sessions` in the confirmation form, as a browser sends it."""
    _django()
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from bijeenkomsten import services
    from bijeenkomsten.demo import COORDINATOR_EMAIL
    from bijeenkomsten.models import Aanmelding, Bijeenkomst
    from netwerk.models import Persoon

    stamp = time.strftime("%Y%m%d%H%M%S")
    coordinator = Persoon.objects.get(email=COORDINATOR_EMAIL)
    start = timezone.now() + timedelta(days=30)
    bijeenkomst = services.create_bijeenkomst(
        door=coordinator,
        titel=f"Drukte {stamp}",
        soort=Bijeenkomst.Soort.SYMPOSIUM,
        start=start,
        eind=start + timedelta(hours=3),
        locatie_naam="Benchmarkzaal",
        locatie_plaats="Nijmegen",
        capaciteit=places,
        wachtlijst_open=True,
    )
    bijeenkomst = services.publish_bijeenkomst(bijeenkomst=bijeenkomst, door=coordinator)
    ronde, deelsessies = _programme_with_sessions(
        bijeenkomst, sessions=sessions, session_places=session_places
    )
    paths = []
    for number in range(guests):
        token = services.request_guest_registration(
            bijeenkomst=bijeenkomst,
            gegevens={"email": f"gast{number}.{stamp}@example.org", "naam": f"Gast {number}"},
        )
        paths.append(
            reverse(
                "bijeenkomsten:gast-bevestigen",
                kwargs={"slug": bijeenkomst.slug, "token": token},
            )
        )
    print(f"==> {guests} single-use confirmation links for {places} places of {bijeenkomst.slug}")
    if deelsessies:
        print(
            f"==> one ronde of {len(deelsessies)} deelsessies of {session_places} places; "
            f"guest n chooses deelsessie n mod {len(deelsessies)}"
        )

    host = urlsplit(base_url)
    # Each guest opens their link first: the form's CSRF token and cookie, as a browser has.
    with ThreadPoolExecutor(max_workers=4) as pool:
        forms = list(pool.map(lambda path: _open_form(host, path), paths))

    barrier = threading.Barrier(guests + 1)
    results: list[tuple[int, float, float]] = [(0, 0.0, 0.0)] * guests

    def confirm(index: int) -> None:
        path, cookie, token = paths[index], *forms[index]
        fields = {"csrfmiddlewaretoken": token, "dieetwensen": "", "toegankelijkheid": ""}
        if deelsessies:
            fields[f"sessie_{ronde.pk}"] = deelsessies[index % len(deelsessies)].pk
        body = urlencode(fields)
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
        barrier.wait()
        sent = time.monotonic()
        try:
            connection.request(
                "POST",
                path,
                body=body,
                headers={
                    "Cookie": cookie,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            status = connection.getresponse().status
        except OSError:
            status = 0
        finally:
            connection.close()
        results[index] = (status, sent, time.monotonic())

    threads = [threading.Thread(target=confirm, args=(index,)) for index in range(guests)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    elapsed = max(done for _status, _sent, done in results) - started

    statuses: dict[int, int] = {}
    for status, _sent, _done in results:
        statuses[status] = statuses.get(status, 0) + 1
    latencies = sorted(done - sent for _status, sent, done in results)
    aanmeldingen = Aanmelding.objects.filter(bijeenkomst=bijeenkomst)
    bevestigd = aanmeldingen.filter(status=Aanmelding.Status.BEVESTIGD).count()
    orders = list(
        aanmeldingen.filter(status=Aanmelding.Status.WACHTLIJST)
        .order_by("wachtlijst_volgorde")
        .values_list("wachtlijst_volgorde", flat=True)
    )
    gapless = orders == list(range(1, len(orders) + 1))
    server_errors = sum(count for status, count in statuses.items() if status >= 500 or not status)
    per_minute = guests / elapsed * 60

    if ceiling:
        print(
            f"/healthz just before: {ceiling:.0f} req/s; the confirmations ran at "
            f"{guests / elapsed / ceiling:.2f} of that"
        )
    print(f"HTTP statuses: {dict(sorted(statuses.items()))}")
    print(
        f"bevestigd: {bevestigd} (expected {places}); wachtlijst: {len(orders)} "
        f"(expected {guests - places}), gapless 1..{len(orders)}: {'yes' if gapless else 'NO'}"
    )
    print(
        f"{guests} confirmations in {elapsed:.1f} s: {per_minute:,.0f} registrations per minute; "
        f"latency p50 {_percentile(latencies, 50):.2f} s, p95 {_percentile(latencies, 95):.2f} s, "
        f"max {latencies[-1]:.2f} s"
    )
    sessions_ok = _report_sessions(deelsessies, session_places=session_places, bevestigd=bevestigd)
    ok = (
        bevestigd == places
        and len(orders) == guests - places
        and gapless
        and server_errors == 0
        and statuses.get(302, 0) == guests
        and sessions_ok
    )
    print("RUSH " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


def _programme_with_sessions(bijeenkomst, *, sessions: int, session_places: int):
    """A keynote and one ronde of `sessions` deelsessies side by side; (ronde, deelsessies),
    (None, []) without sessions."""
    from datetime import timedelta

    from bijeenkomsten import services
    from bijeenkomsten.models import ProgrammaOnderdeel

    if not sessions:
        return None, []
    Soort = ProgrammaOnderdeel.Soort
    start = bijeenkomst.start
    services.save_onderdeel(
        bijeenkomst=bijeenkomst,
        soort=Soort.PLENAIR,
        titel="Keynote",
        start=start,
        eind=start + timedelta(hours=1),
    )
    ronde = services.save_onderdeel(
        bijeenkomst=bijeenkomst,
        soort=Soort.RONDE,
        titel="Workshopronde",
        start=start + timedelta(hours=1),
        eind=start + timedelta(hours=2),
    )
    deelsessies = [
        services.save_onderdeel(
            bijeenkomst=bijeenkomst,
            soort=Soort.DEELSESSIE,
            titel=f"Workshop {chr(ord('A') + number)}",
            ronde=ronde,
            capaciteit=session_places,
            start=ronde.start,
            eind=ronde.eind,
        )
        for number in range(sessions)
    ]
    return ronde, deelsessies


def _report_sessions(deelsessies, *, session_places: int, bevestigd: int) -> bool:
    """Per deelsessie: its places taken (never above `session_places`) and its own
    wachtlijst, gapless; and every confirmed guest holds or waits for a session place."""
    from bijeenkomsten.models import SessieKeuze

    ok = True
    S = SessieKeuze.Status
    for sessie in deelsessies:
        keuzes = SessieKeuze.objects.filter(deelsessie=sessie)
        taken = keuzes.filter(status__in=SessieKeuze.TAKEN_STATUSES).count()
        orders = list(
            keuzes.filter(status=S.WACHTLIJST)
            .order_by("wachtlijst_volgorde")
            .values_list("wachtlijst_volgorde", flat=True)
        )
        gapless = orders == list(range(1, len(orders) + 1))
        pending = keuzes.filter(status=S.GEKOZEN).count()
        ok = ok and taken <= session_places and gapless
        print(
            f"  {sessie.titel}: {taken} of {session_places} places taken; wachtlijst "
            f"{len(orders)}, gapless: {'yes' if gapless else 'NO'}; {pending} chosen by "
            "guests still waiting for a place at the bijeenkomst"
        )
    if deelsessies:
        confirmed_with_session = (
            SessieKeuze.objects.filter(
                deelsessie__in=deelsessies,
                aanmelding__status="bevestigd",
                status__in=[*SessieKeuze.TAKEN_STATUSES, S.WACHTLIJST],
            )
            .values("aanmelding")
            .distinct()
            .count()
        )
        print(
            f"  confirmed guests with a session place or on its wachtlijst: "
            f"{confirmed_with_session} of {bevestigd}"
        )
        ok = ok and confirmed_with_session == bevestigd
    return ok


def harvest(base_url: str) -> int:
    """Harvest every record over OAI-PMH the way a harvester does (ListRecords, then each
    resumption token in turn, one connection), and time the whole of it."""
    from defusedxml.ElementTree import fromstring

    host = urlsplit(base_url)
    oai = "{http://www.openarchives.org/OAI/2.0/}"
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
    query = urlencode({"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    records = pages = 0
    started = time.monotonic()
    page_times = []
    try:
        while query:
            sent = time.monotonic()
            connection.request("GET", f"/oai/?{query}")
            response = connection.getresponse()
            body = response.read()
            page_times.append(time.monotonic() - sent)
            if response.status != 200:
                raise SystemExit(f"/oai/?{query} answered {response.status}")
            root = fromstring(body)
            pages += 1
            records += len(root.findall(f"{oai}ListRecords/{oai}record"))
            token = root.find(f"{oai}ListRecords/{oai}resumptionToken")
            query = (
                urlencode({"verb": "ListRecords", "resumptionToken": token.text})
                if (token is not None and token.text)
                else ""
            )
    finally:
        connection.close()
    elapsed = time.monotonic() - started
    page_times.sort()
    ok = elapsed < HARVEST_SECONDS
    print(
        f"OAI-PMH ListRecords: {records:,} records in {pages} pages in {elapsed:.2f} s "
        f"(page p50 {_percentile(page_times, 50) * 1000:.0f} ms, "
        f"p95 {_percentile(page_times, 95) * 1000:.0f} ms); target < {HARVEST_SECONDS} s: "
        + ("met" if ok else "MISSED")
    )
    return 0 if ok else 1


# Issue 22: one request, uncached, over three years of history: (path, target in ms).
ONCE_TARGETS = [
    (f"/bereik/?{BEREIK_PERIOD}", 2000),
    (f"/bereik/bereik.xlsx?{BEREIK_PERIOD}", 5000),
]


def once(base_url: str, *, repeat: int) -> int:
    """Each ONCE_TARGETS page `repeat` times, one request at a time, as a coördinator;
    prints every time, the median and the target; the number of medians that missed."""
    _django()
    from netwerk.demo import COORDINATOR_EMAIL

    cookie = _session_cookie(COORDINATOR_EMAIL)
    host = urlsplit(base_url).netloc
    missed = 0
    for path, target in ONCE_TARGETS:
        times, size = [], 0
        for _ in range(repeat):
            connection = http.client.HTTPConnection(host, timeout=60)
            started = time.perf_counter()
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            size = len(response.read())
            times.append((time.perf_counter() - started) * 1000)
            connection.close()
            if response.status != 200:
                raise SystemExit(f"{path} answered {response.status}")
        median = sorted(times)[len(times) // 2]
        verdict = "met" if median < target else "MISSED"
        missed += median >= target
        print(
            f"{path}: {size / 1024:.0f} KB; "
            + ", ".join(f"{t:.0f}" for t in times)
            + f" ms; median {median:.0f} ms; {verdict} (< {target} ms)"
        )
    return missed


def _open_form(host, path: str) -> tuple[str, str]:
    """GET a confirmation page: (the CSRF cookie, the form's token)."""
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        html = response.read().decode()
        if response.status != 200:
            raise SystemExit(f"GET {path} answered {response.status}")
        cookies = [
            value.split(";", 1)[0]
            for name, value in response.getheaders()
            if name.lower() == "set-cookie"
        ]
    finally:
        connection.close()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return "; ".join(cookies), token


def _percentile(values: list[float], percent: int) -> float:
    return values[min(len(values) - 1, int(len(values) * percent / 100))]


def profile(path: str, *, email: str | None, repeat: int) -> str:
    """Where one page spends its time, in process, with pyinstrument (or cProfile when it is
    not installed): the request is made `repeat` times after a first one that fills the caches."""
    _django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from netwerk.models import Persoon

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    if email:
        client.force_login(Persoon.objects.get(email=email))
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    # Counted now: the requests below empty the connection's log of queries.
    count = len(queries)
    header = f"{path}: {status}, {count} queries, {repeat} requests profiled"
    try:
        from pyinstrument import Profiler
    except ImportError:
        return (
            header
            + " (cProfile: pyinstrument is not installed)\n"
            + _cprofile(client, path, repeat)
        )
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(repeat):
        client.get(path)
    profiler.stop()
    return header + "\n" + profiler.output_text(unicode=True, color=False)


def _cprofile(client, path: str, repeat: int) -> str:
    """The same with the standard library's profiler: the 40 calls with the most time spent
    in them and below them."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(repeat):
        client.get(path)
    profiler.disable()
    took = (time.perf_counter() - started) / repeat * 1000
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
    return f"{took:.1f} ms per request (profiled)\n" + out.getvalue()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.bench")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("targets")
    record_parser = commands.add_parser("record")
    record_parser.add_argument("name")
    record_parser.add_argument("path")
    record_parser.add_argument("cookie")
    report_parser = commands.add_parser("report")
    report_parser.add_argument("file")
    profile_parser = commands.add_parser("profile")
    profile_parser.add_argument("path")
    profile_parser.add_argument("--as", dest="email", help="log in as this person first")
    profile_parser.add_argument("--repeat", type=int, default=20)
    rush_parser = commands.add_parser("rush")
    rush_parser.add_argument("base_url")
    rush_parser.add_argument("--guests", type=int, default=500)
    rush_parser.add_argument("--places", type=int, default=150)
    rush_parser.add_argument("--ceiling", help="wrk's /healthz result just before, as JSON")
    rush_parser.add_argument("--sessions", type=int, default=0, help="deelsessies in one ronde")
    rush_parser.add_argument("--session-places", type=int, default=0)
    harvest_parser = commands.add_parser("harvest")
    harvest_parser.add_argument("base_url")
    once_parser = commands.add_parser("once")
    once_parser.add_argument("base_url")
    once_parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if args.command == "harvest":
        return harvest(args.base_url)
    if args.command == "once":
        once(args.base_url, repeat=args.repeat)
        return 0
    if args.command == "targets":
        for name, path, cookie in targets():
            print(f"{name}\t{path}\t{cookie}")
    elif args.command == "record":
        print(record(args.name, args.path, args.cookie, sys.stdin.read()))
    elif args.command == "report":
        print(report(args.file))
    elif args.command == "profile":
        print(profile(args.path, email=args.email, repeat=args.repeat))
    else:
        ceiling = json.loads(Path(args.ceiling).read_text())["rps"] if args.ceiling else None
        return rush(
            args.base_url,
            guests=args.guests,
            places=args.places,
            ceiling=ceiling,
            sessions=args.sessions,
            session_places=args.session_places,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
