package fakegl

import (
	"embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
)

// devlakeFS holds the real GitLab items Apache DevLake captured for its
// end-to-end tests (Apache-2.0; rows of connection 1 only, see
// testdata/README.md).
//
//go:embed testdata/devlake/*.csv
var devlakeFS embed.FS

// rawRow is one row of a DevLake raw table: an API item and its parent.
type rawRow struct {
	data  map[string]any
	input map[string]any
}

func readCSV(name string) ([]map[string]string, error) {
	f, err := devlakeFS.Open("testdata/devlake/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out, nil
}

func readRaw(name string) ([]rawRow, error) {
	rows, err := readCSV(name)
	if err != nil {
		return nil, err
	}
	var out []rawRow
	for _, row := range rows {
		var r rawRow
		if err := json.Unmarshal([]byte(row["data"]), &r.data); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if in := row["input"]; in != "" && in != "null" {
			if err := json.Unmarshal([]byte(in), &r.input); err != nil {
				return nil, fmt.Errorf("%s input: %w", name, err)
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// SnowflakePath is the path of the project LoadSnowflake builds.
const SnowflakePath = "gitlab-data/snowflake_spend"

// LoadSnowflake builds the project DevLake captured (id 12345678,
// gitlab-data/snowflake_spend) as the fake serves it:
//
//   - merge requests: the union by iid of DevLake's three captured MR
//     lists (its authors edited the ids and iids of four of them to carry
//     the approval notes of another project: iids 29, 30, 37, 46), each
//     with the commits and notes captured for it (input Iid);
//   - deployments and pipelines: DevLake's captures for the same project
//     id, which came from another project (merico-dev/ee/vdev.co); no
//     deployment is linked to a merge request (none is a successful
//     production deployment, and the captures do not say);
//   - environments: built from the deployments' embedded environments
//     (the capture has no environments listing), with the tier GitLab
//     gives an environment of that name by default (production,
//     staging);
//   - pipelines: the 16 captured single-pipeline answers, and the 29
//     captured list items (other pipelines, every status value) served as
//     single pipelines with the fields a list item lacks set to null.
func LoadSnowflake() (*Project, error) {
	proj, err := readCSV("_tool_gitlab_projects.csv")
	if err != nil {
		return nil, err
	}
	id, _ := strconv.ParseInt(proj[0]["gitlab_id"], 10, 64)
	p := &Project{ID: id, Path: proj[0]["path_with_namespace"]}

	byIID := map[int64]*MR{}
	for _, name := range []string{"_raw_gitlab_api_merge_requests.csv", "_raw_gitlab_api_merge_requests_for_mr_notes_test.csv",
		"_raw_gitlab_api_merge_requests_for_mr_commit_test.csv"} {
		rows, err := readRaw(name)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			iid := num(r.data["iid"])
			if byIID[iid] == nil {
				byIID[iid] = &MR{JSON: r.data}
				p.MRs = append(p.MRs, byIID[iid])
			}
		}
	}
	notes, err := readRaw("_raw_gitlab_api_merge_request_notes.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range notes {
		if mr := byIID[num(r.input["Iid"])]; mr != nil {
			mr.Notes = append(mr.Notes, r.data)
		}
	}
	commits, err := readRaw("_raw_gitlab_api_merge_request_commits.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range commits {
		if mr := byIID[num(r.input["Iid"])]; mr != nil {
			mr.Commits = append(mr.Commits, r.data)
		}
	}
	sort.Slice(p.MRs, func(i, j int) bool { return p.MRs[i].IID() < p.MRs[j].IID() })

	deps, err := readRaw("_raw_gitlab_api_deployments.csv")
	if err != nil {
		return nil, err
	}
	envs := map[int64]bool{}
	for _, r := range deps {
		p.Deployments = append(p.Deployments, &Deployment{JSON: r.data})
		e := obj(r.data["environment"])
		if eid := num(e["id"]); eid != 0 && !envs[eid] {
			envs[eid] = true
			env := map[string]any{}
			for k, v := range e {
				env[k] = v
			}
			env["state"] = "available"
			env["tier"] = defaultTier(str(e["name"]))
			p.Environments = append(p.Environments, env)
		}
	}

	details, err := readRaw("_raw_gitlab_api_pipeline_details.csv")
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, r := range details {
		p.Pipelines = append(p.Pipelines, &Pipeline{JSON: r.data})
		seen[num(r.data["id"])] = true
	}
	list, err := readRaw("_raw_gitlab_api_pipeline.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range list {
		if seen[num(r.data["id"])] {
			continue
		}
		d := map[string]any{}
		for k, v := range r.data {
			d[k] = v
		}
		for _, k := range []string{"started_at", "finished_at", "duration", "queued_duration", "user", "name"} {
			if _, ok := d[k]; !ok {
				d[k] = nil
			}
		}
		p.Pipelines = append(p.Pipelines, &Pipeline{JSON: d})
	}
	return p, nil
}

// defaultTier is the tier GitLab guesses from an environment's name when
// none is set (production, staging, testing, development, other).
func defaultTier(name string) string {
	switch name {
	case "production", "prod", "live":
		return "production"
	case "staging", "stage", "pre-prod", "preprod", "model":
		return "staging"
	case "test", "testing", "qa":
		return "testing"
	case "dev", "development", "review":
		return "development"
	}
	return "other"
}
