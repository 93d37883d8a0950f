package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/textsafe"
)

// syncPrinter renders sync progress: on a terminal a block redrawn in place
// (a bar over the streams seen, the streams in flight with their items, the
// rate budget and any rate-limit countdown); on a pipe one plain line per
// finished stream and per pause, for cron logs.
type syncPrinter struct {
	w     io.Writer
	live  bool
	clock func() time.Time

	mu        sync.Mutex
	streams   map[string]*streamState
	order     []string
	remaining int
	limit     int
	waitUntil time.Time
	drawn     int // lines of the last live frame
	lastDraw  time.Time
	stop      chan struct{}
	stopped   sync.WaitGroup
}

type streamState struct {
	label string
	items int
	done  bool
	err   error
}

func newSyncPrinter(w io.Writer, live bool, clock func() time.Time) *syncPrinter {
	p := &syncPrinter{w: w, live: live, clock: clock, streams: map[string]*streamState{}, remaining: -1, limit: -1}
	if live {
		// The countdown must move while a source sleeps without reporting.
		p.stop = make(chan struct{})
		p.stopped.Add(1)
		go func() {
			defer p.stopped.Done()
			t := time.NewTicker(time.Second)
			defer t.Stop()
			for {
				select {
				case <-p.stop:
					return
				case <-t.C:
					p.mu.Lock()
					p.draw()
					p.mu.Unlock()
				}
			}
		}()
	}
	return p
}

// report is the sources.ProgressFunc; sources call it from several goroutines.
func (p *syncPrinter) report(ev sources.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ev.Limit > 0 {
		p.remaining, p.limit = ev.Remaining, ev.Limit
	}
	if !ev.WaitUntil.IsZero() && ev.WaitUntil.After(p.waitUntil) {
		p.waitUntil = ev.WaitUntil
		if !p.live {
			fmt.Fprintf(p.w, "rate limit: pausing until %s\n", ev.WaitUntil.UTC().Format(time.RFC3339))
		}
	}
	label := fmt.Sprintf("%s %s %s", ev.Source, textsafe.Clean(ev.Repo), ev.Stream)
	if ev.Repo == "" {
		return
	}
	s := p.streams[label]
	if s == nil {
		s = &streamState{label: label}
		p.streams[label] = s
		p.order = append(p.order, label)
	}
	if ev.Items > s.items {
		s.items = ev.Items
	}
	if ev.Done && !s.done {
		s.done, s.err = true, ev.Err
		if !p.live {
			fmt.Fprintln(p.w, p.doneLine(s, ev.Message))
		}
	}
	if p.live && p.clock().Sub(p.lastDraw) >= 100*time.Millisecond {
		p.draw()
	}
}

func (p *syncPrinter) doneLine(s *streamState, msg string) string {
	switch {
	case s.err != nil:
		return fmt.Sprintf("%-50s failed: %s", s.label, textsafe.Clean(s.err.Error()))
	case msg != "":
		return fmt.Sprintf("%-50s %d items (%s)", s.label, s.items, textsafe.Clean(msg))
	}
	return fmt.Sprintf("%-50s %d items", s.label, s.items)
}

// draw redraws the live block; p.mu is held.
func (p *syncPrinter) draw() {
	if !p.live {
		return
	}
	p.lastDraw = p.clock()
	var lines []string
	done, items, failed := 0, 0, 0
	var active []*streamState
	for _, k := range p.order {
		s := p.streams[k]
		items += s.items
		if s.done {
			done++
			if s.err != nil {
				failed++
			}
		} else {
			active = append(active, s)
		}
	}
	const width = 30
	fill := 0
	if len(p.order) > 0 {
		fill = width * done / len(p.order)
	}
	head := fmt.Sprintf("[%s%s] %d/%d streams · %d items", strings.Repeat("█", fill), strings.Repeat("░", width-fill), done, len(p.order), items)
	if failed > 0 {
		head += fmt.Sprintf(" · %d failed", failed)
	}
	if p.limit > 0 {
		head += fmt.Sprintf(" · rate %d/%d left", p.remaining, p.limit)
	}
	lines = append(lines, head)
	if wait := p.waitUntil.Sub(p.clock()); wait > 0 {
		lines = append(lines, fmt.Sprintf("rate limit: resuming in %s", wait.Round(time.Second)))
	}
	sort.SliceStable(active, func(i, j int) bool { return active[i].items > active[j].items })
	for i, s := range active {
		if i == 6 {
			lines = append(lines, fmt.Sprintf("  … and %d more", len(active)-6))
			break
		}
		lines = append(lines, fmt.Sprintf("  %-50s %d", textsafe.Truncate(s.label, 50), s.items))
	}
	var b strings.Builder
	if p.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", p.drawn)
	}
	for _, l := range lines {
		b.WriteString("\x1b[2K" + l + "\n")
	}
	for i := len(lines); i < p.drawn; i++ {
		b.WriteString("\x1b[2K\n")
	}
	if extra := p.drawn - len(lines); extra > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", extra)
	}
	p.drawn = len(lines)
	io.WriteString(p.w, b.String())
}

// finish stops the live redraw and leaves the final frame on a terminal;
// runSync then lists the failed streams on stderr.
func (p *syncPrinter) finish() {
	if p.live {
		close(p.stop)
		p.stopped.Wait()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.live {
		p.draw()
	}
}
