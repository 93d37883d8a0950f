package tui

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/pace-dev/pace/demo"
	"github.com/pace-dev/pace/domain"
)

// onceBackend hands out one prepared-nowhere copy of a dataset.
type onceBackend struct{ ds *domain.Dataset }

func (b onceBackend) Load(context.Context) (*domain.Dataset, error) { return b.ds, nil }
func (onceBackend) Sync(context.Context, func(SyncEvent)) error     { return nil }

// cloneDataset copies the slices Prepare writes into, so every iteration
// starts from data as the cache or the demo hands it over.
func cloneDataset(ds *domain.Dataset) *domain.Dataset {
	return &domain.Dataset{
		Org:         ds.Org,
		Changes:     slices.Clone(ds.Changes),
		Deployments: slices.Clone(ds.Deployments),
		Runs:        slices.Clone(ds.Runs),
		Sources:     slices.Clone(ds.Sources),
	}
}

// BenchmarkFirstFrame measures start to first frame: New, the Load and
// Compute messages, then View, on the demo at scales 1 and 100 (the data
// itself is generated outside the timer, as a warm cache would hold it).
func BenchmarkFirstFrame(b *testing.B) {
	for _, scale := range []int{1, 100} {
		b.Run("scale"+strconv.Itoa(scale), func(b *testing.B) {
			master, s := demo.Generate(fixedNow, scale)
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				ds := cloneDataset(master)
				b.StartTimer()
				m := newTestModel(onceBackend{ds: ds}, s, 80, 24)
				run(m, m.Init())
				if m.data == nil {
					b.Fatal("no data")
				}
				_ = m.View()
			}
		})
	}
}

// BenchmarkView measures one redraw of a ready dashboard, the cost every
// key pays: the overview and a team's Cycle tab.
func BenchmarkView(b *testing.B) {
	for _, scale := range []int{1, 100} {
		ds, s := demo.Generate(fixedNow, scale)
		m := newTestModel(onceBackend{ds: ds}, s, 160, 48)
		run(m, m.Init())
		b.Run("overview/scale"+strconv.Itoa(scale), func(b *testing.B) {
			for range b.N {
				_ = m.View()
			}
		})
		press(m, "enter")
		b.Run("cycle/scale"+strconv.Itoa(scale), func(b *testing.B) {
			for range b.N {
				_ = m.View()
			}
		})
	}
}
