#!/usr/bin/env python3
"""Read performance of Convene against its own /healthz, in one run (issue 12).

Usage: benchmarks/http_read.py BINARY DATABASE [SECONDS] [LABEL]

DATABASE is a seeded SQLite file (`convene seed`) or a postgres:// URL. Starts `BINARY serve`
on it, signs a team manager in (a web session and an API token), then runs wrk (2 threads,
50 connections) against /healthz and each read target, and prints one line per target:
requests/s, p50, p99, non-2xx responses and the share of /healthz's requests/s. Needs wrk
(and sqlite3 for a SQLite file). Figures are ratios within one run on one machine: compare
them, not the absolute numbers, across machines.
"""
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import http.cookiejar
import urllib.parse
import urllib.request

BIN, DB = sys.argv[1], sys.argv[2]
SECONDS = int(sys.argv[3]) if len(sys.argv) > 3 else 10
LABEL = sys.argv[4] if len(sys.argv) > 4 else os.path.basename(DB)
PORT = 21000 + random.randint(0, 8999)
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "Strategy-Demo-2026"
work = tempfile.mkdtemp(prefix="convene-bench-")


def manager_email():
    """A team manager with open discussions in their team."""
    query = ("select p.email from people p join discussions d on d.team_id = p.team_id "
             "where p.role = 'team-manager' group by p.email order by count(*) desc limit 1")
    if DB.startswith("postgres"):
        out = subprocess.run(["psql", DB, "-At", "-c", query], capture_output=True, text=True)
    else:
        out = subprocess.run(["sqlite3", DB, query], capture_output=True, text=True)
    email = out.stdout.strip()
    if not email:
        sys.exit("no team manager found in " + DB + ": " + out.stderr)
    return email


def start():
    log = open(os.path.join(work, "server.log"), "w")
    env = dict(os.environ, CONVENE_ENV="production")
    process = subprocess.Popen([BIN, "serve", "--hostname", "127.0.0.1", "--port", str(PORT), "--database", DB],
                               stdout=log, stderr=subprocess.STDOUT, cwd=work, env=env)
    for _ in range(600):
        try:
            urllib.request.urlopen(BASE + "/healthz", timeout=1).read()
            return process
        except Exception:
            if process.poll() is not None:
                break
            time.sleep(0.5)
    process.kill()
    sys.exit("the server did not start: " + open(os.path.join(work, "server.log")).read()[-600:])


def web_session(email):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(BASE + "/sign-in").read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"email": email, "password": PASSWORD, "_csrf": csrf}).encode()
    opener.open(urllib.request.Request(BASE + "/sign-in", data=data))
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def api_token(email):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(BASE + "/api/v1/openapi.json").read()
    csrf = [c.value for c in jar if c.name.endswith("convene-csrf")][0]
    request = urllib.request.Request(BASE + "/api/v1/tokens", method="POST",
                                     data=json.dumps({"email": email, "password": PASSWORD, "name": "bench"}).encode(),
                                     headers={"Content-Type": "application/json", "X-CSRF-Token": csrf})
    return json.loads(opener.open(request).read())["token"]


def api_get(path, token):
    request = urllib.request.Request(BASE + path, headers={"Authorization": "Bearer " + token})
    return json.loads(urllib.request.urlopen(request).read())


def wrk(path, header):
    command = ["wrk", "-t2", "-c50", f"-d{SECONDS}s", "--latency", "--timeout", "5s"]
    if header:
        command += ["-H", header]
    out = subprocess.run(command + [BASE + path], capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(percentile):
        match = re.search(rf"\s{percentile}%\s+([\d.]+)(us|ms|s)\b", out)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return rate, latency("50"), latency("99"), int(bad.group(1)) if bad else 0, errors.group(1) if errors else ""


def main():
    email = manager_email()
    server = start()
    try:
        cookie = web_session(email)
        token = api_token(email)
        items = api_get("/api/v1/discussions?per=50", token)["items"]
        discussion = items[len(items) // 2]["id"]
        case = api_get(f"/api/v1/discussions/{discussion}", token)["discussion"]["caseId"]
        bearer, session = "Authorization: Bearer " + token, "Cookie: " + cookie
        targets = [
            ("healthz", "/healthz", None),
            ("api discussion", f"/api/v1/discussions/{discussion}", bearer),
            ("page discussion", f"/discussions/{discussion}", session),
            ("api list 50", "/api/v1/discussions?per=50", bearer),
            ("page team", "/team", session),
            ("page my-work", "/my-work", session),
            ("page case", f"/cases/{case}", session),
        ]
        print(f"# {LABEL}: {time.strftime('%Y-%m-%d %H:%M')}, wrk -t2 -c50 -d{SECONDS}s, signed in as {email}")
        floor = None
        for name, path, header in targets:
            rate, p50, p99, bad, errors = wrk(path, header)
            floor = floor or rate
            print(f"{name:16s} {rate:9.0f} req/s  p50 {p50:8.2f} ms  p99 {p99:8.2f} ms  non-2xx {bad:6d}  "
                  f"{100 * rate / floor:5.1f}% of healthz {errors}", flush=True)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
