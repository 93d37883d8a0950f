#!/usr/bin/env python3
"""Copies the DevLake snapshot rows the parity test compares with (README.md).

    PEER=/work/shared/peerdata python3 extract_snapshots.py
Keeps the rows of connection 1 (column connection_id, or an id with ":1:"
after the table name); nothing else changes.
"""
import csv, os, sys

csv.field_size_limit(10**9)
PEER = os.environ.get("PEER", "/work/shared/peerdata")
SNAP = PEER + "/devlake/backend/plugins/gitlab/e2e/snapshot_tables/"
for name in ["_tool_gitlab_merge_requests.csv", "_tool_gitlab_merge_requests_for_mr_notes_test.csv",
             "_tool_gitlab_mr_notes.csv", "_tool_gitlab_mr_comments.csv", "_tool_gitlab_mr_commits.csv",
             "_tool_gitlab_pipelines.csv", "cicd_pipelines.csv", "_tool_gitlab_deployments.csv",
             "cicd_deployments.csv"]:
    with open(SNAP + name, newline="") as f, open("devlake/" + name, "w", newline="") as g:
        r = csv.DictReader(f)
        w = csv.DictWriter(g, fieldnames=r.fieldnames)
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
