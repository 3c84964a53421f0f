#!/usr/bin/env python3
"""200 parallel sign-ins from one address against a running `fulcrum serve`
(one right password, number 30, among 199 wrong ones): prints the answers
by status and the server's peak resident memory, sampled every 5 ms.

  fulcrum user add admin@x.test --role admin --password-stdin --workspace WS
  fulcrum serve WS --listen 127.0.0.1:18181 --insecure-cookies &
  scripts/bench-signin.py PID [BASE_URL]
"""
import threading, urllib.request, urllib.parse, re, http.cookiejar, sys, time, os
base = sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:18181"
# one form: its CSRF pair
cj = http.cookiejar.CookieJar()
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cj))
html = op.open(base + "/signin").read().decode()
csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
cookie = [c for c in cj if c.name == "fulcrum_signin"][0].value
statuses = []
peak = [0]
pid = int(sys.argv[1])
def rss():
    for l in open(f"/proc/{pid}/status"):
        if l.startswith("VmRSS"):
            return int(l.split()[1])
def attempt(i):
    pw = "a long test password 1" if i == 30 else f"wrong {i}"
    data = urllib.parse.urlencode({"email": "admin@x.test", "password": pw, "csrf": csrf}).encode()
    req = urllib.request.Request(base + "/signin", data=data, headers={"Cookie": f"fulcrum_signin={cookie}"})
    try:
        r = urllib.request.build_opener(urllib.request.HTTPRedirectHandler()).open(req)
        statuses.append(r.status)
    except urllib.error.HTTPError as e:
        statuses.append(e.code)
stop = False
def sample():
    while not stop:
        peak[0] = max(peak[0], rss()); time.sleep(0.005)
s = threading.Thread(target=sample); s.start()
ts = [threading.Thread(target=attempt, args=(i,)) for i in range(200)]
for t in ts: t.start()
for t in ts: t.join()
stop = True; s.join()
from collections import Counter
print("statuses", Counter(statuses)); print("peak RSS KB", peak[0]); time.sleep(1); print("after RSS KB", rss())
