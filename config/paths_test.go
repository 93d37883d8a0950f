package config

import (
	"path/filepath"
	"runtime"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDefaultPaths(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("XDG layout")
	}
	cases := []struct {
		env           map[string]string
		config, cache string
	}{
		{map[string]string{"HOME": "/home/ada"}, "/home/ada/.config/pace/config.yaml", "/home/ada/.cache/pace/pace.db"},
		{map[string]string{"HOME": "/home/ada", "XDG_CONFIG_HOME": "/xdg/conf", "XDG_CACHE_HOME": "/xdg/cache"}, "/xdg/conf/pace/config.yaml", "/xdg/cache/pace/pace.db"},
		// The XDG spec says relative values are invalid and must be ignored.
		{map[string]string{"HOME": "/home/ada", "XDG_CONFIG_HOME": "rel", "XDG_CACHE_HOME": "rel"}, "/home/ada/.config/pace/config.yaml", "/home/ada/.cache/pace/pace.db"},
		{map[string]string{"HOME": "/home/ada", "PACE_CONFIG": "./team.yaml"}, "./team.yaml", "/home/ada/.cache/pace/pace.db"},
	}
	for _, c := range cases {
		got, err := DefaultPath(env(c.env))
		if err != nil || got != filepath.FromSlash(c.config) {
			t.Errorf("DefaultPath(%v) = %q, %v; want %q", c.env, got, err, c.config)
		}
		got, err = DefaultCachePath(env(c.env))
		if err != nil || got != filepath.FromSlash(c.cache) {
			t.Errorf("DefaultCachePath(%v) = %q, %v; want %q", c.env, got, err, c.cache)
		}
	}
	if p, err := DefaultPath(env(nil)); err == nil {
		t.Errorf("DefaultPath with no HOME = %q, want an error", p)
	}
	if p, err := DefaultCachePath(env(nil)); err == nil {
		t.Errorf("DefaultCachePath with no HOME = %q, want an error", p)
	}
}
