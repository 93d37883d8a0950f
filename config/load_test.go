package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const ghToken = "ghp_0123456789abcdefABCDEF0123456789abcd"
const glToken = "glpat-Zy9xW8vU7tS6rQ5pO4nM"

func writeConfig(t *testing.T, body string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pace.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	// Chmod after writing: WriteFile's mode is filtered by the umask.
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestTokenNeedsMode0600(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permission bits")
	}
	withToken := "window: 14d\ngithub:\n  repos: [acme/x]\n  token: " + ghToken + "\ngitlab:\n  token: " + glToken + "\n"
	for _, c := range []struct {
		name  string
		body  string
		mode  os.FileMode
		wantN int // problems expected
	}{
		{"0600 with tokens", withToken, 0o600, 0},
		{"0400 with tokens", withToken, 0o400, 0},
		{"0644 with tokens", withToken, 0o644, 2},
		{"0640 with a token", "github:\n  token: " + ghToken + "\n", 0o640, 1},
		{"0644 without token", "window: 14d\n", 0o644, 0},
		{"0644 with an empty token", "github:\n  token: ''\n", 0o644, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := writeConfig(t, c.body, c.mode)
			cfg, err := Load(path)
			if c.wantN == 0 {
				if err != nil || cfg == nil {
					t.Fatalf("Load: %v", err)
				}
				if strings.Contains(c.body, ghToken) && cfg.GitHub.Token.Reveal() != ghToken {
					t.Error("token not read")
				}
				return
			}
			var errs Errors
			if !errors.As(err, &errs) || len(errs) != c.wantN {
				t.Fatalf("Load error = %v, want %d problems", err, c.wantN)
			}
			wantMsg := fmt.Sprintf("%s:4: github.token: the file holds a token but its mode is %04o, so others can read it; run chmod 600 %s (or remove the token and set GITHUB_TOKEN)", path, uint32(c.mode), path)
			if c.wantN == 1 {
				wantMsg = strings.Replace(wantMsg, ":4:", ":2:", 1)
			}
			if got := errs[0].String(); got != wantMsg {
				t.Errorf("problem:\n got %s\nwant %s", got, wantMsg)
			}
			if strings.Contains(err.Error(), ghToken) || strings.Contains(err.Error(), glToken) {
				t.Error("a token leaked into the error")
			}
		})
	}
	// Parse cannot know the mode and does not apply the rule; ParseMode does.
	if _, err := Parse("p.yaml", []byte(withToken)); err != nil {
		t.Errorf("Parse: %v", err)
	}
	if _, err := ParseMode("p.yaml", []byte(withToken), 0o644); err == nil {
		t.Error("ParseMode accepted a token in a 0644 file")
	}
}

func TestLoadErrors(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "missing.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	_, err = Load(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
	big := writeConfig(t, "# "+strings.Repeat("x", MaxSize)+"\n", 0o600)
	_, err = Load(big)
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("huge file: %v", err)
	}
	path := writeConfig(t, "window: 3d\nexperiments:\n  key: commit\n", 0o644)
	_, err = Load(path)
	if err == nil || err.Error() != path+`:3: experiments.key: "commit" is not allowed; use branch or run_name` {
		t.Errorf("Load problem = %v", err)
	}
}

// TestTokensNeverInErrors breaks a file in every way that could echo a
// value and checks no token appears in the text.
func TestTokensNeverInErrors(t *testing.T) {
	srcs := []string{
		"github:\n  token: [" + ghToken + "]\n",
		"github:\n  token: {a: " + ghToken + "}\n",
		"github:\n  token: !!binary " + ghToken + "\n",
		"github:\n  token: !custom " + ghToken + "\n",
		"github:\n  tokne: " + ghToken + "\n",
		ghToken + ": 1\n",
		"github:\n  repos: [" + ghToken + "]\n",
		"github:\n  base_url: https://x:" + ghToken + "@ghe.example.com/api/v3\n",
		"github:\n  base_url: https://" + ghToken + "@ghe.example.com\n",
		"github:\n  base_url: 'ht tp://" + ghToken + "@x'\n",
		"gitlab:\n  token: " + glToken + "\n  base_url: " + glToken + "\n",
		"teams:\n  - name: " + glToken + "\n    members: ['" + glToken + " x']\n",
		"github:\n  token: " + ghToken + "\nwindow: " + ghToken + "\n",
		"github:\n  token: '" + ghToken + "\n",
		"github:\n  token: " + ghToken + "\n---\nx: 1\n",
	}
	for _, src := range srcs {
		_, err := ParseMode("t.yaml", []byte(src), 0o644)
		if err == nil {
			t.Errorf("%q parsed without problems", src)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, ghToken) || strings.Contains(msg, glToken) || strings.Contains(msg, ghToken[4:20]) {
			t.Errorf("token leaked:\n%s", msg)
		}
	}
}

func TestSecretNeverPrinted(t *testing.T) {
	c, err := Parse("s.yaml", []byte("github:\n  token: "+ghToken+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(c)
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", *c), fmt.Sprintf("%#v", *c), fmt.Sprint(c.GitHub.Token), string(js)} {
		if strings.Contains(s, ghToken) {
			t.Errorf("token printed: %s", s)
		}
	}
	if c.GitHub.Token.Reveal() != ghToken {
		t.Error("Reveal lost the token")
	}
}

func TestTokenEnvReference(t *testing.T) {
	got := problems(t, "github:\n  token: $GITHUB_TOKEN\n")
	want := "pace.yaml:2: github.token: environment variables are not expanded in the config; remove the token and set GITHUB_TOKEN"
	if len(got) != 1 || got[0] != want {
		t.Errorf("problems = %q, want %q", got, want)
	}
}
