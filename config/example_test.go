package config

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestExampleParsesClean(t *testing.T) {
	c, err := Parse("example.yaml", Example())
	if err != nil {
		t.Fatalf("the example has problems:\n%v", err)
	}
	// The example is SPEC §3's sample org; spot-check it arrived whole.
	s := c.Settings()
	if len(s.Teams) != 1 || s.Teams[0].Allocation == nil || len(s.Guardrails) != 5 || len(s.Classify) != 2 {
		t.Errorf("example settings look truncated: %+v", s)
	}
}

// schemaPaths lists every key path of type t ("github.base_url", ...), with
// "[]" for list items and classify's two categories.
func schemaPaths(t reflect.Type, prefix string, out map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t == nodeType {
		// Both categories take the same rule shape; the example shows it
		// in full once.
		out[join(prefix, "engineering")] = true
		schemaPaths(ruleType, join(prefix, "research"), out)
		out[join(prefix, "research")] = true
		return
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for _, name := range fieldNames(t) {
		p := join(prefix, name)
		out[p] = true
		schemaPaths(yamlFields(t)[name].Type, p, out)
	}
}

// TestExampleCoversEveryKey checks that every key a config may hold is in
// the example with a comment; tokens are shown commented out, since a live
// token line in a scaffold would invite pasting a secret into it.
func TestExampleCoversEveryKey(t *testing.T) {
	want := map[string]bool{}
	schemaPaths(reflect.TypeOf(Config{}), "", want)
	c, err := Parse("example.yaml", Example())
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for p := range c.lines {
		if i := strings.Index(p, "["); i >= 0 { // teams[0].name -> teams.name
			p = p[:i] + p[strings.Index(p, "]")+1:]
		}
		if strings.HasPrefix(p, "guardrails.") || strings.HasPrefix(p, "teams.guardrails.") {
			continue
		}
		have[p] = true
	}
	var root yaml.Node
	if err := yaml.Unmarshal(Example(), &root); err != nil {
		t.Fatal(err)
	}
	for p := range want {
		switch {
		case p == "github.token" || p == "gitlab.token":
			if !bytes.Contains(Example(), []byte("# token: ")) {
				t.Errorf("%s is not shown (commented out) in the example", p)
			}
		case !have[p]:
			t.Errorf("%s is missing from the example", p)
		}
	}
	// Every key written in block style carries its own comment; keys inside
	// flow mappings and guardrail rules are explained by their parent's.
	var check func(n *yaml.Node, path string)
	check = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				check(c, path)
			}
		case yaml.MappingNode:
			if n.Style&yaml.FlowStyle != 0 || path == "guardrails" || path == "teams.guardrails" {
				return
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.HeadComment == "" && k.LineComment == "" && (i > 0 || path != "teams") {
					if n.Content[i+1].Kind != yaml.MappingNode { // section headers need none
						t.Errorf("example line %d: key %s has no comment", k.Line, join(path, k.Value))
					}
				}
				check(n.Content[i+1], join(path, k.Value))
			}
		}
	}
	check(&root, "")
}

func TestWriteExample(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pace")
	path := filepath.Join(dir, "config.yaml")
	if err := WriteExample(path, false); err != nil {
		t.Fatal(err)
	}
	checkMode := func(p string, want os.FileMode) {
		t.Helper()
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s mode = %04o, want %04o", p, got, want)
		}
	}
	checkMode(path, 0o600)
	checkMode(dir, 0o700)
	if _, err := Load(path); err != nil {
		t.Errorf("the written example does not load: %v", err)
	}

	// An existing file is kept unless forced.
	if err := os.WriteFile(path, []byte("window: 7d\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := WriteExample(path, false)
	if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), "--force") {
		t.Errorf("WriteExample over an existing file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "window: 7d\n" {
		t.Errorf("existing file changed to %q", b)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteExample(path, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, Example()) {
		t.Error("forced write did not replace the file")
	}
	checkMode(path, 0o600)
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left behind: %v", ents)
	}
}
