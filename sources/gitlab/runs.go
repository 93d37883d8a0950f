package gitlab

import (
	"context"
	"fmt"
	"strconv"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// syncRuns runs one pass of the pipelines stream: pipelines oldest update
// first from the watermark, 100 a page. The list gives a pipeline's ref
// and name, enough to tell whether pace wants it (Options.wantPipeline);
// only those are read in full, for start, finish, duration and user. A
// pipeline's update time moves with every status change, so one still
// running is read again once it finishes.
func (c *client) syncRuns(ctx context.Context, p projectRef, sink sources.Sink) (int, error) {
	orderBy, asc := "updated_at", "asc"
	return runPass(ctx, c, sink, passSpec[*gl.PipelineInfo]{
		key: sources.Key{Source: domain.GitLab, Repo: p.path, Stream: RunsStream(c.o)},
		list: func(ctx context.Context, after time.Time, page int) ([]*gl.PipelineInfo, bool, error) {
			ps, resp, err := c.api.Pipelines.ListProjectPipelines(p.path, &gl.ListProjectPipelinesOptions{
				ListOptions:  gl.ListOptions{PerPage: 100, Page: int64(page)},
				OrderBy:      &orderBy,
				Sort:         &asc,
				UpdatedAfter: &after,
			}, reqOpts(ctx))
			if err != nil {
				return nil, false, err
			}
			return ps, resp.NextPage != 0, nil
		},
		ident: func(pi *gl.PipelineInfo) (int64, time.Time) { return pi.ID, pipelineUpdated(pi) },
		process: func(ctx context.Context, ps []*gl.PipelineInfo) (sources.Page, time.Time, error) {
			var want []*gl.PipelineInfo
			for _, pi := range ps {
				if c.o.wantPipeline(pi.Ref, pi.Name) {
					want = append(want, pi)
				}
			}
			runs := make([]domain.Run, len(want))
			err := c.each(ctx, len(want), func(ctx context.Context, i int) error {
				pl, _, err := c.api.Pipelines.GetPipeline(p.path, want[i].ID, reqOpts(ctx))
				if err != nil {
					return detailErr(fmt.Sprintf("pipeline %d", want[i].ID), err)
				}
				runs[i] = toRun(p.path, pl)
				return nil
			})
			if err != nil {
				return sources.Page{}, time.Time{}, err
			}
			return sources.Page{Runs: runs}, time.Time{}, nil
		},
	})
}

// pipelineUpdated is a pipeline's update time (GitLab leaves it null on
// some new pipelines: then its creation).
func pipelineUpdated(p *gl.PipelineInfo) time.Time {
	switch {
	case p.UpdatedAt != nil:
		return p.UpdatedAt.UTC()
	case p.CreatedAt != nil:
		return p.CreatedAt.UTC()
	}
	return time.Time{}
}

// toRun converts a pipeline: its name is both the workflow (what
// deployments.workflows lists) and the display name (what
// experiments.pipelines.name matches); its source (push, schedule, web,
// merge_request_event, ...) is the event.
func toRun(repo string, p *gl.Pipeline) domain.Run {
	r := domain.Run{
		Source:    domain.GitLab,
		Repo:      repo,
		ID:        strconv.FormatInt(p.ID, 10),
		URL:       p.WebURL,
		Workflow:  p.Name,
		Name:      p.Name,
		Branch:    p.Ref,
		SHA:       p.SHA,
		Event:     string(p.Source),
		CreatedAt: utc(p.CreatedAt),
		StartedAt: utc(p.StartedAt),
	}
	if p.User != nil {
		r.Actor = p.User.Username
	}
	var terminal bool
	r.Result, terminal = pipelineResult(p.Status)
	if terminal {
		r.FinishedAt = utc(p.FinishedAt)
		if r.FinishedAt.IsZero() && !r.StartedAt.IsZero() && p.Duration > 0 {
			r.FinishedAt = r.StartedAt.Add(time.Duration(p.Duration) * time.Second)
		}
	}
	return r
}

// pipelineResult maps a pipeline status and says whether it is final.
// skipped is final but no verdict (nothing ran); manual and scheduled wait
// for a person or a time and count as in progress.
func pipelineResult(status string) (domain.Result, bool) {
	switch status {
	case "success":
		return domain.Success, true
	case "failed":
		return domain.Failure, true
	case "canceled":
		return domain.Cancelled, true
	case "canceling":
		return domain.Cancelled, false
	case "skipped":
		return "", true
	case "created", "waiting_for_resource", "preparing", "waiting_for_callback", "pending", "running", "manual", "scheduled":
		return domain.InProgress, false
	}
	return "", false
}
