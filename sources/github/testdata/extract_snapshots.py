#!/usr/bin/env python3
"""Copies the DevLake snapshot rows the parity test compares with (README.md).

    PEER=/work/shared/peerdata python3 extract_snapshots.py
Keeps the rows of connection 1 (column connection_id, or an id with
":1:" after the table name) and drops the body column; nothing else changes.
"""
import csv, os, sys

csv.field_size_limit(10**9)
PEER = os.environ.get("PEER", "/work/shared/peerdata")
SNAP = PEER + "/devlake/backend/plugins/github/e2e/snapshot_tables/"
for name in ["_tool_github_pull_requests.csv", "_tool_github_pull_request_commits.csv",
             "_tool_github_pull_request_comments.csv", "_tool_github_pull_request_reviews.csv",
             "_tool_github_runs.csv", "cicd_pipelines.csv"]:
    with open(SNAP + name, newline="") as f, open("devlake/" + name, "w", newline="") as g:
        r = csv.DictReader(f)
        fields = [c for c in r.fieldnames if c != "body"]
        w = csv.DictWriter(g, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        n = 0
        for row in r:
            conn = row.get("connection_id")
            if conn is None:
                conn = row["id"].split(":")[2]
            if conn != "1":
                continue
            w.writerow(row)
            n += 1
        print(name, n, file=sys.stderr)
