package config

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pace-dev/pace/domain"
)

// ops are the comparisons a rule may use, two-character ones first so "<="
// is not read as "<" followed by "=".
var ops = []domain.Op{domain.LE, domain.GE, domain.LT, domain.GT}

// plainNumber is the only number syntax a rule accepts: no signs, hex,
// exponents or "inf" that strconv.ParseFloat would let through.
var plainNumber = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// ParseGuardrail reads one rule such as `cycle_time.p50: '<= 48h'`: an
// operator (<=, >=, <, >) and a value in the metric's unit (a duration for
// duration metrics, stored in seconds; a whole number for counts; a number
// for rates; 0-100 for percent and points, "%" optional for percent).
func ParseGuardrail(metric, rule string) (domain.Guardrail, error) {
	unit, ok := domain.GuardrailMetrics[metric]
	if !ok {
		return domain.Guardrail{}, fmt.Errorf("unknown metric %q%s; allowed: %s", metric, suggest(metric, metricNames()), AllowedMetrics())
	}
	r := strings.TrimSpace(rule)
	var op domain.Op
	for _, o := range ops {
		if strings.HasPrefix(r, string(o)) {
			op = o
			break
		}
	}
	if op == "" {
		return domain.Guardrail{}, fmt.Errorf("%q does not start with a comparison; allowed: %s", rule, ruleHelp(unit))
	}
	text := strings.TrimSpace(r[len(op):])
	v, err := ruleValue(unit, text)
	if err != nil {
		return domain.Guardrail{}, fmt.Errorf("%q: %v; allowed: %s", rule, err, ruleHelp(unit))
	}
	if v == 0 && op == domain.LT {
		return domain.Guardrail{}, fmt.Errorf("%q can never hold (no value is below 0); allowed: %s", rule, ruleHelp(unit))
	}
	return domain.Guardrail{Metric: metric, Op: op, Value: v, Rule: r}, nil
}

// ruleValue parses the value of a rule in the metric's unit.
func ruleValue(unit domain.GuardrailUnit, s string) (float64, error) {
	if s == "" {
		return 0, fmt.Errorf("has no value")
	}
	switch unit {
	case domain.UnitDuration:
		d, err := ParseDuration(s)
		if err != nil {
			return 0, err
		}
		if d == 0 {
			return 0, fmt.Errorf("a duration of 0 makes no sense here")
		}
		return float64(d / time.Second), nil
	case domain.UnitCount:
		if !plainNumber.MatchString(s) || strings.Contains(s, ".") {
			return 0, fmt.Errorf("%q is not a whole number", s)
		}
		n, err := strconv.ParseInt(s, 10, 32)
		if err != nil {
			return 0, fmt.Errorf("%q is too large", s)
		}
		return float64(n), nil
	}
	if unit == domain.UnitPercent {
		s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	}
	if !plainNumber.MatchString(s) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is too large", s)
	}
	if (unit == domain.UnitPercent || unit == domain.UnitPoints) && v > 100 {
		return 0, fmt.Errorf("%q is above 100", s)
	}
	return v, nil
}

// ruleHelp says how a rule for a metric of this unit is written.
func ruleHelp(unit domain.GuardrailUnit) string {
	const ops = `"<op> <value>" with op <=, >=, < or >`
	switch unit {
	case domain.UnitDuration:
		return ops + ` and a duration, e.g. "<= 48h"`
	case domain.UnitCount:
		return ops + ` and a whole number, e.g. "<= 2"`
	case domain.UnitRate:
		return ops + ` and a number per week, e.g. ">= 5"`
	case domain.UnitPercent:
		return ops + ` and a percentage from 0 to 100, e.g. "<= 15%"`
	default:
		return ops + ` and percentage points from 0 to 100, e.g. "<= 10"`
	}
}

func metricNames() []string {
	names := make([]string, 0, len(domain.GuardrailMetrics))
	for m := range domain.GuardrailMetrics {
		names = append(names, m)
	}
	sort.Strings(names)
	return names
}

// AllowedMetrics lists the guardrail metrics compactly, for error messages
// and help: duration metrics once with their percentile suffixes.
func AllowedMetrics() string {
	var durs, others []string
	seen := map[string]bool{}
	for _, m := range metricNames() {
		if domain.GuardrailMetrics[m] != domain.UnitDuration {
			others = append(others, m)
			continue
		}
		base := m
		if i := strings.LastIndexByte(m, '.'); i > 0 {
			base = m[:i]
		}
		if !seen[base] {
			seen[base] = true
			durs = append(durs, base)
		}
	}
	return strings.Join(durs, ", ") + " (each with .p50, .p75 or .p90); " + strings.Join(others, ", ")
}

// guardrailKeys lists the metrics of a guardrails mapping in file order
// (a Config built in code has none, so it falls back to sorted order).
func (c *Config) guardrailKeys(path string, m map[string]string) []string {
	var keys []string
	done := map[string]bool{}
	for _, k := range c.order[path] {
		if _, ok := m[k]; ok && !done[k] {
			done[k] = true
			keys = append(keys, k)
		}
	}
	for _, k := range sortedKeys(m) {
		if !done[k] {
			keys = append(keys, k)
		}
	}
	return keys
}

func (c *Config) checkGuardrails(p *collector, path string, m map[string]string) {
	for _, metric := range c.guardrailKeys(path, m) {
		kp := join(path, metric)
		if _, ok := domain.GuardrailMetrics[metric]; !ok {
			p.add(kp, "unknown metric%s; allowed: %s", suggest(metric, metricNames()), AllowedMetrics())
			continue
		}
		if _, err := ParseGuardrail(metric, m[metric]); err != nil {
			p.add(kp, "%v", err)
		}
	}
}

// guardrails converts a validated mapping; bad rules are skipped.
func (c *Config) guardrails(path string, m map[string]string) []domain.Guardrail {
	var out []domain.Guardrail
	for _, metric := range c.guardrailKeys(path, m) {
		if g, err := ParseGuardrail(metric, m[metric]); err == nil {
			out = append(out, g)
		}
	}
	return out
}
