#!/usr/bin/env python3
"""Copies the DevLake e2e rows pace's fake GitHub serves (see README.md).

Run from this directory with PEER pointing at ../shared/peerdata:
    PEER=/work/shared/peerdata python3 extract_devlake.py
Keeps only rows whose params have "ConnectionId":1, drops from each item
bulky keys nothing in pace reads (listed in FILES), and trims every user
object (one with "login" and "avatar_url") to login, id, node_id and type;
values are otherwise unchanged.
"""
import csv, json, os, sys

csv.field_size_limit(10**9)
PEER = os.environ.get("PEER", "/work/shared/peerdata")
GH = PEER + "/devlake/backend/plugins/github/e2e/raw_tables/"
GQL = PEER + "/devlake/backend/plugins/github_graphql/e2e/raw_tables/"
FILES = {
    GH + "_raw_github_api_pull_requests.csv": ["body", "_links", "head.repo", "base.repo"],
    GH + "_raw_github_api_pull_request_commits.csv": ["files", "stats"],
    GH + "_raw_github_api_pull_request_reviews.csv": ["body", "_links"],
    GH + "_raw_github_api_pull_request_review_comments.csv": ["body", "diff_hunk", "_links"],
    GH + "_raw_github_api_comments.csv": ["body"],
    GH + "_raw_github_api_runs.csv": ["repository", "head_repository", "head_commit"],
    GQL + "_raw_github_graphql_deployment.csv": [],
}


def drop(d, path):
    head, _, rest = path.partition(".")
    if head not in d:
        return
    if rest:
        if isinstance(d[head], dict):
            drop(d[head], rest)
    else:
        del d[head]


def trim_users(v):
    if isinstance(v, dict):
        if "login" in v and "avatar_url" in v:
            return {k: v[k] for k in ("login", "id", "node_id", "type") if k in v}
        return {k: trim_users(x) for k, x in v.items()}
    if isinstance(v, list):
        return [trim_users(x) for x in v]
    return v


for src, keys in FILES.items():
    out = os.path.join("devlake", os.path.basename(src))
    with open(src, newline="") as f, open(out, "w", newline="") as g:
        r = csv.DictReader(f)
        w = csv.DictWriter(g, fieldnames=r.fieldnames)
        w.writeheader()
        n = 0
        for row in r:
            if json.loads(row["params"]).get("ConnectionId") != 1:
                continue
            d = json.loads(row["data"])
            for k in keys:
                drop(d, k)
            d = trim_users(d)
            row["data"] = json.dumps(d, ensure_ascii=False, separators=(",", ":"))
            w.writerow(row)
            n += 1
    print(out, n, file=sys.stderr)
