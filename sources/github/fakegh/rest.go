package fakegh

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// answerREST answers the REST calls pace makes.
func (s *Server) answerREST(r *http.Request) reply {
	if r.Method != http.MethodGet {
		return errorReply(http.StatusNotFound, "Not Found")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, s.o.Prefix)
	p := strings.Split(strings.Trim(path, "/"), "/")
	q := r.URL.Query()
	switch kind, repo := restKind(path); kind {
	case "rest:runs":
		rp := s.repos[strings.ToLower(repo)]
		if rp == nil || !rp.hasWorkflow(p[5]) {
			return errorReply(http.StatusNotFound, "Not Found")
		}
		return s.listRuns(r, rp, p[5], q)
	case "rest:compare":
		rp := s.repos[strings.ToLower(repo)]
		if rp == nil {
			return errorReply(http.StatusNotFound, "Not Found")
		}
		spec, _ := url.PathUnescape(strings.Join(p[4:], "/"))
		return s.compare(r, rp, spec, q)
	case "rest:orgRepos":
		var items []any
		var names []string
		for _, rp := range s.repos {
			if strings.EqualFold(rp.Owner, p[1]) {
				names = append(names, rp.FullName())
			}
		}
		if len(names) == 0 {
			return errorReply(http.StatusNotFound, "Not Found")
		}
		sort.Strings(names)
		for _, n := range names {
			items = append(items, repoJSON(s.repos[strings.ToLower(n)]))
		}
		return pageOf(r, items, q, -1).reply
	case "rest:user":
		return jsonReply(http.StatusOK, map[string]any{"login": s.o.Login, "id": 1, "type": "User",
			"html_url": "https://github.com/" + s.o.Login})
	case "rest:repo":
		rp := s.repos[strings.ToLower(repo)]
		if rp == nil {
			return errorReply(http.StatusNotFound, "Not Found")
		}
		return jsonReply(http.StatusOK, repoJSON(rp))
	case "rest:teamMembers":
		logins, ok := s.teams[strings.ToLower(p[1]+"/"+p[3])]
		if !ok {
			return errorReply(http.StatusNotFound, "Not Found")
		}
		items := make([]any, len(logins))
		for i, l := range logins {
			items[i] = map[string]any{"login": l, "id": i + 1, "type": "User"}
		}
		return pageOf(r, items, q, -1).reply
	}
	return errorReply(http.StatusNotFound, "Not Found")
}

// repoJSON is a repo as GET /repos/{owner}/{repo} and the org listing
// serve it (the fields pace reads).
func repoJSON(rp *Repo) map[string]any {
	return map[string]any{"id": rp.ID, "name": rp.Name, "full_name": rp.FullName(),
		"owner": map[string]any{"login": rp.Owner}, "archived": rp.Archived, "disabled": false,
		"html_url": "https://github.com/" + rp.FullName()}
}

func (r *Repo) hasWorkflow(file string) bool {
	for _, run := range r.Runs {
		if run.File == file {
			return true
		}
	}
	return false
}

// filteredCap is GitHub's limit on a filtered workflow-run listing.
const filteredCap = 1000

// listRuns answers GET /repos/o/r/actions/workflows/FILE/runs: newest
// first, `created` filter in search syntax, at most 1,000 results when
// filtered, wrapped as {total_count, workflow_runs}.
func (s *Server) listRuns(r *http.Request, rp *Repo, file string, q url.Values) reply {
	var runs []*Run
	for _, run := range rp.Runs {
		if run.File == file {
			runs = append(runs, run)
		}
	}
	sort.SliceStable(runs, func(i, j int) bool {
		if runs[i].CreatedAt.Equal(runs[j].CreatedAt) {
			return runs[i].ID > runs[j].ID
		}
		return runs[i].CreatedAt.After(runs[j].CreatedAt)
	})
	capAt := -1
	if c := q.Get("created"); c != "" {
		lo, hi, err := parseCreated(c)
		if err != nil {
			return errorReply(http.StatusUnprocessableEntity, "Validation Failed: created "+err.Error())
		}
		keep := runs[:0]
		for _, run := range runs {
			if !run.CreatedAt.Before(lo) && !run.CreatedAt.After(hi) {
				keep = append(keep, run)
			}
		}
		runs = keep
		capAt = filteredCap
	}
	items := make([]any, len(runs))
	for i, run := range runs {
		items[i] = run.JSON
	}
	total := len(items)
	rep := pageOf(r, items, q, capAt)
	return withHeader(jsonReply(http.StatusOK, map[string]any{"total_count": total, "workflow_runs": rep.wrapped}), rep.header)
}

// parseCreated parses the `created` qualifier: >=T, >T, <=T, <T, A..B
// (dates or date-times, UTC).
func parseCreated(v string) (lo, hi time.Time, err error) {
	lo, hi = time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	parse := func(s string) (time.Time, error) {
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, fmt.Errorf("bad date %q", s)
	}
	switch {
	case strings.Contains(v, ".."):
		a, b, _ := strings.Cut(v, "..")
		if lo, err = parse(a); err != nil {
			return
		}
		hi, err = parse(b)
	case strings.HasPrefix(v, ">="):
		lo, err = parse(v[2:])
	case strings.HasPrefix(v, ">"):
		lo, err = parse(v[1:])
		lo = lo.Add(time.Second)
	case strings.HasPrefix(v, "<="):
		hi, err = parse(v[2:])
	case strings.HasPrefix(v, "<"):
		hi, err = parse(v[1:])
		hi = hi.Add(-time.Second)
	default:
		lo, err = parse(v)
		hi = lo.Add(24*time.Hour - time.Second)
	}
	return
}

// compare answers GET /repos/o/r/compare/BASE...HEAD from the repo's linear
// history: the commits after BASE up to HEAD, oldest first, 100 a page
// when paged (250 at most otherwise, as GitHub documents).
func (s *Server) compare(r *http.Request, rp *Repo, spec string, q url.Values) reply {
	base, head, ok := strings.Cut(spec, "...")
	if !ok {
		return errorReply(http.StatusNotFound, "Not Found")
	}
	bi, hi := indexOf(rp.History, base), indexOf(rp.History, head)
	if bi < 0 || hi < 0 {
		return errorReply(http.StatusNotFound, "No common ancestor between "+base+" and "+head+".")
	}
	status, ahead, behind := "identical", 0, 0
	var commits []any
	switch {
	case hi > bi:
		status, ahead = "ahead", hi-bi
		for _, sha := range rp.History[bi+1 : hi+1] {
			commits = append(commits, map[string]any{"sha": sha, "commit": map[string]any{"message": "commit " + sha[:7]}})
		}
	case hi < bi:
		status, behind = "behind", bi-hi
	}
	header := http.Header{}
	page := commits
	if q.Get("page") != "" || q.Get("per_page") != "" {
		rp := pageOf(r, commits, q, -1)
		page, header = rp.wrapped, rp.header
	} else if len(page) > 250 {
		page = page[:250]
	}
	if page == nil {
		page = []any{}
	}
	body := map[string]any{"status": status, "ahead_by": ahead, "behind_by": behind,
		"total_commits": ahead, "commits": page, "files": []any{},
		"html_url": "https://github.com/" + rp.FullName() + "/compare/" + spec}
	return withHeader(jsonReply(http.StatusOK, body), header)
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// pageOf cuts a page out of items (per_page, default 30, max 100; page,
// default 1) with GitHub's Link header; capAt limits the listing (-1: no
// cap). The page's items are also in wrapped, for endpoints that wrap them.
func pageOf(r *http.Request, items []any, q url.Values, capAt int) replyPage {
	per := 30
	if v, err := strconv.Atoi(q.Get("per_page")); err == nil && v > 0 {
		per = min(v, 100)
	}
	pg := 1
	if v, err := strconv.Atoi(q.Get("page")); err == nil && v > 0 {
		pg = v
	}
	if capAt >= 0 && len(items) > capAt {
		items = items[:capAt]
	}
	last := max(1, (len(items)+per-1)/per)
	start := min((pg-1)*per, len(items))
	end := min(start+per, len(items))
	page := items[start:end]
	if page == nil {
		page = []any{}
	}
	rep := jsonReply(http.StatusOK, page)
	if len(items) > per {
		link := func(n int, rel string) string {
			u := *r.URL
			u.Scheme, u.Host = "http", r.Host
			v := u.Query()
			v.Set("page", strconv.Itoa(n))
			v.Set("per_page", strconv.Itoa(per))
			u.RawQuery = v.Encode()
			return fmt.Sprintf("<%s>; rel=%q", u.String(), rel)
		}
		var links []string
		if pg > 1 {
			links = append(links, link(pg-1, "prev"))
		}
		if pg < last {
			links = append(links, link(pg+1, "next"), link(last, "last"))
		}
		if pg > 1 {
			links = append(links, link(1, "first"))
		}
		rep.header.Set("Link", strings.Join(links, ", "))
	}
	return replyPage{reply: rep, wrapped: page}
}

// replyPage is a page reply plus the page's items, for endpoints that
// wrap them in an object.
type replyPage struct {
	reply
	wrapped []any
}

func withHeader(rep reply, h http.Header) reply {
	if l := h.Get("Link"); l != "" {
		rep.header.Set("Link", l)
	}
	return rep
}
