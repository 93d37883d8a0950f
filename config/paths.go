package config

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

//go:embed example.yaml
var example []byte

// Example returns the fully commented example config that `pace config
// init` writes: every key of SPEC §3 with what it does and its default.
func Example() []byte { return append([]byte(nil), example...) }

// DefaultPath is where the config lives: $PACE_CONFIG when set, else
// $XDG_CONFIG_HOME/pace/config.yaml (~/.config/pace/config.yaml). getenv is
// os.Getenv in the CLI and a map lookup in tests.
func DefaultPath(getenv func(string) string) (string, error) {
	if p := getenv("PACE_CONFIG"); p != "" {
		return p, nil
	}
	dir, err := baseDir(getenv, "XDG_CONFIG_HOME", "APPDATA", ".config")
	if err != nil {
		return "", fmt.Errorf("config path: %w; set PACE_CONFIG or pass --config", err)
	}
	return filepath.Join(dir, "pace", "config.yaml"), nil
}

// DefaultCachePath is where the cache lives: $XDG_CACHE_HOME/pace/pace.db
// (~/.cache/pace/pace.db).
func DefaultCachePath(getenv func(string) string) (string, error) {
	dir, err := baseDir(getenv, "XDG_CACHE_HOME", "LOCALAPPDATA", ".cache")
	if err != nil {
		return "", fmt.Errorf("cache path: %w; pass --cache", err)
	}
	return filepath.Join(dir, "pace", "pace.db"), nil
}

// baseDir follows the XDG base directory spec: the variable when it holds an
// absolute path (relative ones must be ignored), else ~/<fallback>; on
// Windows the usual AppData variable.
func baseDir(getenv func(string) string, xdg, windows, fallback string) (string, error) {
	if d := getenv(xdg); d != "" && filepath.IsAbs(d) {
		return d, nil
	}
	if runtime.GOOS == "windows" {
		if d := getenv(windows); d != "" {
			return d, nil
		}
		return "", fmt.Errorf("neither %s nor %s is set", xdg, windows)
	}
	if home := getenv("HOME"); home != "" && filepath.IsAbs(home) {
		return filepath.Join(home, fallback), nil
	}
	return "", fmt.Errorf("neither %s nor HOME is set", xdg)
}

// WriteExample writes Example to path with mode 0600 (the file may later
// hold a token), creating its directory with mode 0700. It refuses to
// replace an existing file unless force is set.
func WriteExample(path string, force bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("config init: %w", err)
	}
	if !force {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("config init: %s already exists; not overwriting it (use --force to replace it)", path)
		}
		if err != nil {
			return fmt.Errorf("config init: %w", err)
		}
		if _, err := f.Write(example); err != nil {
			f.Close()
			return fmt.Errorf("config init: %w", err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("config init: %w", err)
		}
		return nil
	}
	// Replace atomically so a failed write never leaves half a config.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*.yaml")
	if err != nil {
		return fmt.Errorf("config init: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("config init: %w", err)
	}
	if _, err := tmp.Write(example); err != nil {
		tmp.Close()
		return fmt.Errorf("config init: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("config init: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("config init: %w", err)
	}
	return nil
}
