package sources

// Summary says what a sync of one source did for every repo and stream.
// GitHub and GitLab both return it, so the CLI reads one shape.
type Summary struct {
	Streams  []StreamResult
	Requests int64 // HTTP requests sent, retries included
}

// StreamResult is the outcome of one stream of one repo or project (or of
// listing an org's or a group's repos, Repo "org:NAME" or "group:PATH").
type StreamResult struct {
	Repo    string
	Stream  Stream
	Items   int   // items stored
	Err     error // nil when the stream completed; its text never holds the token
	Skipped bool  // not run: the repo was not found or not accessible
}

// Failed reports whether any stream failed or was skipped (exit code 1).
func (s Summary) Failed() bool {
	for _, r := range s.Streams {
		if r.Err != nil {
			return true
		}
	}
	return false
}

// Errors lists the failures, one line each.
func (s Summary) Errors() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range s.Streams {
		if r.Err != nil && !seen[r.Err.Error()] {
			seen[r.Err.Error()] = true
			out = append(out, r.Err.Error())
		}
	}
	return out
}

// Items is the number of items stored over all streams.
func (s Summary) Items() int {
	n := 0
	for _, r := range s.Streams {
		n += r.Items
	}
	return n
}

// Completed counts the streams that completed; a sync in which none did
// (and some failed) is an error rather than a partial success.
func (s Summary) Completed() int {
	n := 0
	for _, r := range s.Streams {
		if r.Err == nil {
			n++
		}
	}
	return n
}
