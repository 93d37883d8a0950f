package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
)

// teamKeyPrefix marks a team listing in the meta table.
const teamKeyPrefix = "team:"

// SetTeamMembers records the logins a source listed for a team (e.g. the
// members of the GitHub team "acme/fraud", key "github:acme/fraud"),
// replacing what was stored, so that the dashboard and snapshots know a
// config's github_team members without the network.
func (s *Store) SetTeamMembers(ctx context.Context, key string, logins []string) error {
	if logins == nil {
		logins = []string{}
	}
	b, err := json.Marshal(logins)
	if err != nil {
		return fmt.Errorf("store: team %s: %w", key, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, teamKeyPrefix+key, string(b))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: set team %s: %w", key, err)
	}
	return nil
}

// TeamMembers returns every stored team listing by its key.
func (s *Store) TeamMembers(ctx context.Context) (map[string][]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key, value FROM meta WHERE key LIKE 'team:%'`)
	if err != nil {
		return nil, fmt.Errorf("store: team members: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("store: team members: %w", err)
		}
		var logins []string
		if err := json.Unmarshal([]byte(v), &logins); err != nil {
			return nil, fmt.Errorf("store: team members of %s: %w", strings.TrimPrefix(k, teamKeyPrefix), err)
		}
		out[strings.TrimPrefix(k, teamKeyPrefix)] = logins
	}
	return out, rows.Err()
}
