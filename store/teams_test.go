package store

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
)

func TestTeamMembersRoundTripAndReplace(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "pace.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.TeamMembers(ctx); err != nil || len(got) != 0 {
		t.Fatalf("empty cache: %v %v", got, err)
	}
	if err := s.SetTeamMembers(ctx, "github:acme/fraud", []string{"alice", "bob"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetTeamMembers(ctx, "github:acme/infra", nil); err != nil {
		t.Fatal(err)
	}
	if err := s.SetTeamMembers(ctx, "github:acme/fraud", []string{"carol"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.TeamMembers(ctx)
	want := map[string][]string{"github:acme/fraud": {"carol"}, "github:acme/infra": {}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("TeamMembers = %v, %v; want %v", got, err, want)
	}
	if err := s.SetOrg(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.TeamMembers(ctx); len(got) != 2 {
		t.Errorf("the org's meta row was read as a team: %v", got)
	}
}
