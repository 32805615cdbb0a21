#!/usr/bin/env python3
"""How fast the performance view answers (issue 13), against /healthz in the same run.

Usage: benchmarks/performance_view.py BINARY DATABASE [DATABASE ...]

Each DATABASE is a seeded SQLite file (`convene seed --discussions N`; 10,000 discussions make
one authority, 100,000 ten). For each, starts `BINARY serve` on it (which migrates it), writes
the performance facts if the database has none (`convene oversight rebuild`, timed), signs in
the first authority's service manager and a team manager, and requests one at a time: /healthz,
the service manager's /performance (the whole authority), a team manager's /performance, the
authority's last quarter, and one drill-down. Prints the median and 95th percentile in
milliseconds for each, and for every database after the first, the ratio of its medians to the first database's. The issue's
targets: the authority's view under 200 ms at 10,000 discussions, and no slower than 1.3 times
that with 100,000 in the database. Figures are for comparing within one run on one machine.
"""
import http.cookiejar
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

PASSWORD = "Strategy-Demo-2026"
ROUNDS = int(os.environ.get("ROUNDS", "40"))


def sql(db, query):
    return subprocess.run(["sqlite3", db, query], capture_output=True, text=True).stdout.strip()


def first_authority_people(db):
    org = sql(db, "select id from organisations order by name limit 1")
    service = sql(db, f"select email from people where organisation_id = '{org}' and role = 'service-manager' "
                      "order by email limit 1")
    manager = sql(db, "select p.email from people p join discussions d on d.team_id = p.team_id "
                      f"where p.organisation_id = '{org}' and p.role = 'team-manager' group by p.email "
                      "order by count(*) desc limit 1")
    if not service or not manager:
        sys.exit("no service manager or team manager in the first authority of " + db)
    return service, manager


class Server:
    def __init__(self, binary, db):
        self.port = 22000 + random.randint(0, 8999)
        self.base = f"http://127.0.0.1:{self.port}"
        self.work = tempfile.mkdtemp(prefix="convene-perfview-")
        self.first = {}
        self.log = open(os.path.join(self.work, "server.log"), "w")
        self.process = subprocess.Popen(
            [binary, "serve", "--hostname", "127.0.0.1", "--port", str(self.port), "--database", db],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=self.work,
            env=dict(os.environ, CONVENE_ENV="production", CONVENE_DELIVERY="off"))
        for _ in range(1200):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1).read()
                return
            except Exception:
                if self.process.poll() is not None:
                    break
                time.sleep(0.5)
        self.stop()
        sys.exit("the server did not start: " + open(self.log.name).read()[-600:])

    def stop(self):
        self.process.terminate()
        self.process.wait()

    def session(self, email):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        html = opener.open(self.base + "/sign-in").read().decode()
        csrf = re.search(r'name="_csrf" value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode({"email": email, "password": PASSWORD, "_csrf": csrf}).encode()
        opener.open(urllib.request.Request(self.base + "/sign-in", data=data)).read()
        return opener

    def timings(self, opener, path, name=None):
        """Milliseconds for ROUNDS requests one after another (after two to warm up); the first
        request's time is kept apart (`self.first`): the server decodes each discussion's facts
        once and keeps them until they change, so the first view after a start is the slow one."""
        out = []
        for i in range(ROUNDS + 2):
            started = time.perf_counter()
            response = opener.open(self.base + path)
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != 200:
                sys.exit(f"{path} answered {response.status}")
            if i == 0:
                self.first[name or path] = elapsed
            if i >= 2:
                out.append(elapsed)
        return out, body.decode(errors="replace")


def describe(values):
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, dbs = os.path.abspath(sys.argv[1]), [os.path.abspath(d) for d in sys.argv[2:]]
    first = None
    print(f"# performance view, {time.strftime('%Y-%m-%d %H:%M')}, {ROUNDS} requests each, one at a time")
    for db in dbs:
        discussions = sql(db, "select count(*) from discussions")
        authorities = sql(db, "select count(*) from organisations")
        server = Server(binary, db)
        facts = sql(db, "select count(*) from discussion_facts")
        if facts in ("", "0"):
            server.stop()
            started = time.time()
            subprocess.run([binary, "oversight", "rebuild", "--database", db], check=True, capture_output=True)
            print(f"  (facts written for {db} in {time.time() - started:.0f} s)")
            server = Server(binary, db)
        try:
            service, manager = first_authority_people(db)
            anonymous = urllib.request.build_opener()
            service_session, manager_session = server.session(service), server.session(manager)
            rows = {}
            rows["healthz"] = server.timings(anonymous, "/healthz", "healthz")[0]
            rows["authority view"], html = server.timings(service_session, "/performance", "authority view")
            rows["team view"] = server.timings(manager_session, "/performance", "team view")[0]
            rows["quarter view"] = server.timings(service_session, "/performance?period=quarter", "quarter view")[0]
            rows["drill-down"] = server.timings(service_session, "/performance/held", "drill-down")[0]
            held = re.search(r'href="/performance/held">(\d+)<', html)
            print(f"{os.path.basename(db)}: {discussions} discussions, {authorities} authorities; "
                  f"the authority's view counts {held.group(1) if held else '?'} held last month")
            medians = {}
            for name, values in rows.items():
                median, p95 = describe(values)
                medians[name] = median
                ratio = ""
                if first and name in first:
                    ratio = f"  {median / first[name]:.2f}× the first database"
                first_time = server.first.get(name, float('nan'))
                print(f"  {name:15s} median {median:8.1f} ms  p95 {p95:8.1f} ms  first {first_time:8.1f} ms{ratio}", flush=True)
            first = first or medians
        finally:
            server.stop()


main()
