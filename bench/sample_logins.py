#!/usr/bin/env python3
"""Logs in a sample of synthetic residents through the API and writes one line
per verified resident: "<token> <home neighbourhood id> <first feed page bytes>".

    sample_logins.py --url http://127.0.0.1:PORT --residents N --count 1000 \
        --out tokens.txt [--seed 1] [--parallel 4]

Residents are r<i>@example.org (noaber seed-synthetic) with the password
synthetic-password. Those still waiting for approval are skipped and others
drawn instead, so the file holds `count` lines when the data set allows.
"""
import argparse
import concurrent.futures
import json
import random
import sys
import urllib.error
import urllib.request


def call(url, method="GET", body=None, token=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.read()


def sample(base, i):
    token = json.loads(call(base + "/api/v1/auth/login", "POST",
                            {"email": f"r{i}@example.org", "password": "synthetic-password"}))["token"]
    me = json.loads(call(base + "/api/v1/me", token=token))
    homes = [m["neighbourhood"]["id"] for m in me["memberships"]
             if m["status"] == "verified" and m["role"] in ("resident", "manager")]
    if not homes:
        return None
    page = call(f"{base}/api/v1/neighbourhoods/{homes[0]}/feed", token=token)
    return token, homes[0], len(page)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--residents", type=int, required=True)
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--parallel", type=int, default=4)
    a = p.parse_args()

    rng = random.Random(a.seed)
    wanted = min(a.count, a.residents)
    candidates = rng.sample(range(1, a.residents + 1), a.residents if a.residents <= 4 * wanted
                            else 2 * wanted)
    lines = []
    with concurrent.futures.ThreadPoolExecutor(a.parallel) as pool:
        start = 0
        while len(lines) < wanted and start < len(candidates):
            batch = candidates[start:start + (wanted - len(lines))]
            start += len(batch)
            for result in pool.map(lambda i: sample(a.url, i), batch):
                if result:
                    lines.append(result)
    if not lines:
        sys.exit("no verified resident could log in")
    with open(a.out, "w") as f:
        for token, hood, size in lines:
            f.write(f"{token} {hood} {size}\n")


if __name__ == "__main__":
    main()
