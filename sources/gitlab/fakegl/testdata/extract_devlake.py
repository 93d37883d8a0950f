#!/usr/bin/env python3
"""Copies the DevLake e2e rows pace's fake GitLab serves (see README.md).

Run from this directory with PEER pointing at ../shared/peerdata:
    PEER=/work/shared/peerdata python3 extract_devlake.py
Keeps only rows whose params have "ConnectionId":1 (the project table:
connection_id 1); every kept row is copied unchanged.
"""
import csv, json, os, sys

csv.field_size_limit(10**9)
PEER = os.environ.get("PEER", "/work/shared/peerdata")
GL = PEER + "/devlake/backend/plugins/gitlab/e2e/raw_tables/"
RAW = ["_raw_gitlab_api_merge_requests", "_raw_gitlab_api_merge_requests_for_mr_notes_test",
       "_raw_gitlab_api_merge_requests_for_mr_commit_test", "_raw_gitlab_api_merge_request_notes",
       "_raw_gitlab_api_merge_request_commits", "_raw_gitlab_api_pipeline",
       "_raw_gitlab_api_pipeline_details", "_raw_gitlab_api_deployments"]

for name in RAW + ["_tool_gitlab_projects"]:
    with open(GL + name + ".csv", newline="") as f, open("devlake/" + name + ".csv", "w", newline="") as g:
        r = csv.DictReader(f)
        w = csv.DictWriter(g, fieldnames=r.fieldnames)
        w.writeheader()
        n = 0
        for row in r:
            if "params" in row:
                keep = json.loads(row["params"]).get("ConnectionId") == 1
            else:
                keep = row["connection_id"] == "1"
            if keep:
                w.writerow(row)
                n += 1
    print(name, n, file=sys.stderr)
