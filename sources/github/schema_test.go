package github

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/github/fakegh"
)

// bigPR overflows every nested first page of the changes query, so that
// each follow-up query is sent.
func bigPR(number int, at time.Time) *fakegh.PR {
	pr := &fakegh.PR{Number: number, Title: "big", Author: "alice", BaseRef: "main", HeadRef: "big",
		State: "OPEN", CreatedAt: at, UpdatedAt: at.Add(48 * time.Hour)}
	for i := 0; i < 230; i++ {
		pr.Commits = append(pr.Commits, fakegh.PRCommit{SHA: fmt.Sprintf("%040d", i), AuthorLogin: "alice",
			AuthoredDate: at.Add(-time.Duration(230-i) * time.Minute)})
	}
	for i := 0; i < 75; i++ {
		rv := &fakegh.Review{ID: fmt.Sprintf("PRR_big_%d", i), Author: "bob", State: "COMMENTED",
			CreatedAt: at.Add(time.Duration(i) * time.Minute), SubmittedAt: at.Add(time.Duration(i)*time.Minute + 30*time.Second)}
		n := 1
		if i%25 == 0 {
			n = 45 // past the 20 review comments of the first page
		}
		for j := 0; j < n; j++ {
			rv.Comments = append(rv.Comments, fakegh.Comment{Author: "bob", CreatedAt: rv.CreatedAt.Add(time.Duration(j) * time.Second)})
		}
		pr.Reviews = append(pr.Reviews, rv)
	}
	for i := 0; i < 150; i++ {
		pr.Comments = append(pr.Comments, fakegh.Comment{Author: "carol", CreatedAt: at.Add(time.Duration(i) * time.Hour / 4)})
	}
	return pr
}

// Every GraphQL document pace sends validates against GitHub's published
// schema. The fake validates each request before answering; this test
// also validates the recorded documents itself, and checks that the sync
// exercised every query pace has (changes, the four follow-ups,
// deployments).
func TestGraphQLQueriesValidateAgainstSchema(t *testing.T) {
	end := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	clk := newClock(end)
	srv := newFake(t, clk, fakegh.Options{})
	repo := fakegh.Generate(fakegh.GenSpec{Repos: 1, Changes: 30, Deployments: 10, End: end, Seed: 3})[0]
	repo.PRs = append(repo.PRs, bigPR(999, end.Add(-72*time.Hour)))
	srv.AddRepo(repo)
	sink := sources.NewMemSink()
	o := testOptions(srv, clk, repo.FullName())
	sum, err := Sync(context.Background(), o, sink, nil)
	if err != nil || sum.Failed() {
		t.Fatalf("sync: %v %v", err, sum.Errors())
	}

	schema, err := fakegh.Schema()
	if err != nil {
		t.Fatal(err)
	}
	queries := srv.Queries()
	seen := map[string]bool{}
	for _, q := range queries {
		if _, err := fakegh.ValidateQuery(schema, q); err != nil {
			t.Errorf("invalid query: %v\n%s", err, q)
		}
		for _, marker := range []string{"pullRequests(", "commits(first: 100, after: $after)", "reviews(first: 50, after: $after)",
			"comments(first: 100, after: $after)", "node(id: $id)", "deployments("} {
			if strings.Contains(q, marker) {
				seen[marker] = true
			}
		}
	}
	if len(seen) != 6 {
		t.Errorf("queries exercised: %v (of %d documents)", seen, len(queries))
	}
	counts := srv.Counts()
	if counts["graphql:invalid"] != 0 {
		t.Errorf("the fake rejected %d queries", counts["graphql:invalid"])
	}

	// The follow-ups completed the big pull request.
	var big domain.Change
	for _, c := range sink.Changes() {
		if c.Number == 999 {
			big = c
		}
	}
	want := map[domain.ActivityKind]int{domain.Commit: 230, domain.Review: 75, domain.ReviewComment: 72 + 3*45, domain.Comment: 150}
	for kind, n := range want {
		if got := len(activity(big, kind)); got != n {
			t.Errorf("big PR: %d %s, want %d", got, kind, n)
		}
	}
	if !big.FirstCommitAt.Equal(end.Add(-72*time.Hour - 230*time.Minute)) {
		t.Errorf("big PR first commit %v", big.FirstCommitAt)
	}
}

// A query the schema rejects is refused by the fake as GitHub would (an
// errors array with HTTP 200), and pace reports the stream failed.
func TestSchemaRejectsInvalidQuery(t *testing.T) {
	schema, err := fakegh.Schema()
	if err != nil {
		t.Fatal(err)
	}
	bad := []string{
		`query{repository(owner:"a",name:"b"){pullRequests(first:1){nodes{nosuchfield}}}}`,
		`query($n:String!){repository(owner:"a",name:"b"){pullRequest(number:$n){title}}}`,
		`query{repository(owner:"a",name:"b"){pullRequests(first:1,orderBy:{field:NOPE,direction:DESC}){nodes{title}}}}`,
	}
	for _, q := range bad {
		if _, err := fakegh.ValidateQuery(schema, q); err == nil {
			t.Errorf("accepted invalid query %s", q)
		}
	}
	good := `query{repository(owner:"a",name:"b"){pullRequests(first:1){nodes{title}}}}`
	if _, err := fakegh.ValidateQuery(schema, good); err != nil {
		t.Errorf("rejected valid query: %v", err)
	}
}
