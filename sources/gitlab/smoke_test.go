package gitlab

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/gitlab/fakegl"
)

func TestSmokeSnowflake(t *testing.T) {
	clk := newClock(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	srv := newFake(t, clk, fakegl.Options{})
	p, err := fakegl.LoadSnowflake()
	if err != nil {
		t.Fatal(err)
	}
	srv.AddProject(p)
	o := testOptions(srv, clk, fakegl.SnowflakePath)
	o.Since = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	o.PipelineRef = regexp.MustCompile(".")
	sink := sources.NewMemSink()
	sum, err := Sync(context.Background(), o, sink, nil)
	if err != nil || sum.Failed() {
		t.Fatalf("%v %v", err, sum.Errors())
	}
	t.Logf("changes %d deployments %d runs %d requests %d: %s", len(sink.Changes()), len(sink.Deployments()), len(sink.Runs()), sum.Requests, fakegl.FormatCounts(srv.Counts()))
	for _, c := range sink.Changes()[:3] {
		t.Logf("%+v", c)
	}
	srv.ResetCounts()
	sum, err = Sync(context.Background(), o, sink, nil)
	t.Logf("second: %v %v %s", err, sum.Errors(), fakegl.FormatCounts(srv.Counts()))
}
