package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxSize is the largest config file pace reads; a real one is a few KB,
// so anything bigger is the wrong file.
const MaxSize = 1 << 20

// Load reads, parses and validates the config file at path. Besides what
// Parse checks, it refuses a file holding a token unless only its owner can
// read it (mode 0600 or stricter). On any problem it returns nil and
// Errors listing every problem; a missing file gives an error wrapping
// fs.ErrNotExist so the CLI can suggest `pace config init`.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if st.IsDir() {
		return nil, Errors{{File: path, Msg: "is a directory, not a config file"}}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return parse(path, data, st.Mode().Perm(), true)
}

// Parse parses and validates config data; filename is only used in
// problems. It cannot know the file's mode, so it does not apply the token
// mode rule: use Load for files, or ParseMode when the mode is known.
func Parse(filename string, data []byte) (*Config, error) {
	return parse(filename, data, 0, false)
}

// ParseMode is Parse plus the token rule of Load for a file of the given
// permission bits.
func ParseMode(filename string, data []byte, mode fs.FileMode) (*Config, error) {
	return parse(filename, data, mode, true)
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

func parse(filename string, data []byte, mode fs.FileMode, checkMode bool) (*Config, error) {
	if filename == "" {
		filename = "config"
	}
	p := newCollector(filename, nil, nil)
	if len(data) > MaxSize {
		p.addAt(0, "", "is larger than %d bytes; is this the config file?", MaxSize)
		return nil, finish(p.list, nil)
	}
	root, err := readNode(data)
	if err != nil {
		p.list = append(p.list, syntaxProblem(filename, err.Error()))
		return nil, finish(p.list, nil)
	}
	secrets := tokensIn(root)

	doc := root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	w := newWalker(p)
	if d := w.deref(doc); d != nil && !isNull(d) && d.Kind != yaml.MappingNode {
		p.addAt(d.Line, "", "the file must be a mapping of keys such as window: and teams:, got %s", kindName(d))
		return nil, finish(p.list, secrets)
	}
	w.walk(doc, reflect.TypeOf(Config{}), "")
	if w.spent {
		// Checking the rest would only repeat the same problems thousands of times.
		return nil, finish(Errors{p.list[len(p.list)-1]}, secrets)
	}

	c := Default()
	if len(p.list) == 0 {
		// Belt and braces: yaml.v3's own strict decoding must agree with the
		// schema walk; anything it still finds is reported as it says it.
		if err := decodeStrict(data, c); err != nil {
			p.list = append(p.list, decodeProblems(filename, err, w.lines)...)
		}
	} else {
		// Decode what can be decoded so the semantic checks still run on
		// the rest of the file and every problem is listed at once.
		_ = decodeLoose(data, c)
	}
	c.applyDefaults()
	c.file, c.lines, c.order, c.bad = filename, w.lines, w.order, p.bad

	if err := c.Validate(); err != nil {
		var errs Errors
		if errors.As(err, &errs) {
			p.list = append(p.list, errs...)
		}
	}
	if checkMode {
		c.checkMode(p, filename, mode)
	}
	if out := finish(p.list, secrets); out != nil {
		return nil, out
	}
	return c, nil
}

// readNode parses data into a node tree, rejecting a second document:
// pace reads one, so anything after "---" would be silently ignored.
func readNode(data []byte) (root *yaml.Node, err error) {
	defer recoverYAML(&err)
	root = &yaml.Node{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(root); err != nil {
		if err == io.EOF {
			return &yaml.Node{}, nil
		}
		return nil, err
	}
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		if err == io.EOF {
			return root, nil
		}
		if err == nil && next.Kind == yaml.DocumentNode && (len(next.Content) == 0 || isNull(next.Content[0]) && next.Content[0].Value == "") {
			continue // a stray trailing "---" holds nothing
		}
		if err != nil || next.Line == 0 {
			return nil, errors.New("the file holds more than one YAML document (---); pace reads one")
		}
		return nil, fmt.Errorf("line %d: the file holds more than one YAML document (---); pace reads one", next.Line)
	}
}

func decodeStrict(data []byte, c *Config) (err error) {
	defer recoverYAML(&err)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && err != io.EOF {
		return err
	}
	return nil
}

func decodeLoose(data []byte, c *Config) (err error) {
	defer recoverYAML(&err)
	return yaml.Unmarshal(data, c)
}

// recoverYAML turns a panic inside yaml.v3 into an error: a config file,
// however broken, must give a message and exit 2, never a crash.
func recoverYAML(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("the YAML parser failed on this file (%v)", r)
	}
}

// yamlProblem turns a yaml.v3 error message into a Problem, lifting its
// "line N:" prefix into the Line field.
func yamlProblem(file, msg string) Problem {
	msg = strings.TrimPrefix(msg, "yaml: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Problem{File: file, Line: n, Msg: "invalid YAML: " + m[2]}
	}
	return Problem{File: file, Msg: "invalid YAML: " + msg}
}

// parserProblems are the messages of yaml.v3's parser (as opposed to its
// scanner). For these yaml.v3 prints the 0-based line of the mark
// (go-yaml/yaml#205) and omits "line 0:", so one is added back.
var parserProblems = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found undefined tag handle",
	"found duplicate %YAML directive",
	"found duplicate %TAG directive",
	"found incompatible YAML document",
}

// syntaxProblem is yamlProblem for the parse stage, with yaml.v3's line
// numbers corrected: a missing "line N:" means line 1, and parser (not
// scanner) errors are one line off.
func syntaxProblem(file, msg string) Problem {
	p := yamlProblem(file, msg)
	if !strings.HasPrefix(strings.TrimPrefix(msg, "yaml: "), "line ") {
		if strings.HasPrefix(msg, "yaml: ") {
			p.Line = 1
		}
		return p
	}
	for _, pp := range parserProblems {
		if strings.HasSuffix(msg, pp) {
			p.Line++
			break
		}
	}
	return p
}

// decodeProblems converts what yaml.v3's strict decoder found into
// Problems, naming the key written on that line when there is one.
func decodeProblems(file string, err error, lines map[string]int) []Problem {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return []Problem{yamlProblem(file, err.Error())}
	}
	byLine := map[int]string{}
	for k, l := range lines {
		if cur, ok := byLine[l]; !ok || len(k) > len(cur) {
			byLine[l] = k
		}
	}
	var out []Problem
	for _, msg := range te.Errors {
		p := yamlProblem(file, msg)
		p.Key = byLine[p.Line]
		p.Msg = strings.TrimPrefix(p.Msg, "invalid YAML: ")
		if i := strings.Index(p.Msg, " in type config."); i >= 0 {
			p.Msg = p.Msg[:i]
		}
		out = append(out, p)
	}
	return out
}

// tokensIn collects the token values written anywhere in the file, so that
// finish can strip them from every problem whatever else is broken.
func tokensIn(n *yaml.Node) []string {
	var out []string
	budget := nodeBudget
	var visit func(n *yaml.Node)
	visit = func(n *yaml.Node) {
		if n == nil || budget <= 0 || n.Kind == yaml.AliasNode {
			return
		}
		budget--
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if k, v := n.Content[i], n.Content[i+1]; k.Value == "token" && v.Kind == yaml.ScalarNode && v.Value != "" {
					out = append(out, v.Value)
				}
			}
		}
		for _, c := range n.Content {
			visit(c)
		}
	}
	visit(n)
	return out
}

// checkMode enforces SPEC §3: tokens are only read from a file nobody but
// its owner can read. Windows has no such mode bits, so it is skipped there.
func (c *Config) checkMode(p *collector, file string, mode fs.FileMode) {
	if runtime.GOOS == "windows" || mode&0o077 == 0 {
		return
	}
	for _, t := range []struct {
		key, env string
		tok      Secret
	}{{"github.token", "GITHUB_TOKEN", c.GitHub.Token}, {"gitlab.token", "GITLAB_TOKEN", c.GitLab.Token}} {
		if t.tok == "" {
			continue
		}
		p.list = append(p.list, Problem{File: file, Line: lineOf(c.lines, t.key), Key: t.key,
			Msg: fmt.Sprintf("the file holds a token but its mode is %04o, so others can read it; run chmod 600 %s (or remove the token and set %s)", uint32(mode.Perm()), file, t.env)})
	}
}
