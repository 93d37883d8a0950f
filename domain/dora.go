package domain

import "time"

// DORA 2023 benchmark buckets.
const (
	DoraElite  = "elite"
	DoraHigh   = "high"
	DoraMedium = "medium"
	DoraLow    = "low"
)

// DoraThresholds describes the DORA 2023 buckets as pace applies them, for
// help screens and the README.
var DoraThresholds = map[string]string{
	"deploy_frequency":    "deploy-days per week: elite >= 5, high >= 1, medium >= 7/30 (once a month), else low",
	"lead_time":           "lead time p50: elite < 1 day, high < 1 week, medium < 30 days, else low",
	"change_failure_rate": "change failure rate: elite <= 5 %, high <= 10 %, medium <= 15 %, else low",
	"recovery":            "recovery time p50: elite < 1 hour, high < 1 day, medium < 1 week, else low",
}

// DoraDeployFrequency buckets deploy frequency by distinct deploy days per
// week. A team without production deployments at all has no bucket: the
// caller leaves it "" (DeployReport.HasDeployments).
func DoraDeployFrequency(daysPerWeek float64) string {
	switch {
	case daysPerWeek >= 5:
		return DoraElite
	case daysPerWeek >= 1:
		return DoraHigh
	case daysPerWeek >= 7.0/30:
		return DoraMedium
	}
	return DoraLow
}

// DoraLeadTime buckets the median lead time for changes; "" without data.
func DoraLeadTime(lead Stats) string {
	if !lead.Known() {
		return ""
	}
	return durationBucket(lead.P50, 24*time.Hour, 7*24*time.Hour, 30*24*time.Hour)
}

// DoraChangeFailureRate buckets a change failure rate (a fraction, 0.05 is
// 5 %); "" when nil (nothing finished).
func DoraChangeFailureRate(rate *float64) string {
	switch {
	case rate == nil:
		return ""
	case *rate <= 0.05:
		return DoraElite
	case *rate <= 0.10:
		return DoraHigh
	case *rate <= 0.15:
		return DoraMedium
	}
	return DoraLow
}

// DoraRecovery buckets the median recovery time; "" without data.
func DoraRecovery(rec Stats) string {
	if !rec.Known() {
		return ""
	}
	return durationBucket(rec.P50, time.Hour, 24*time.Hour, 7*24*time.Hour)
}

// durationBucket is elite below elite, high below high, medium below medium.
func durationBucket(secs int64, elite, high, medium time.Duration) string {
	switch {
	case secs < seconds(elite):
		return DoraElite
	case secs < seconds(high):
		return DoraHigh
	case secs < seconds(medium):
		return DoraMedium
	}
	return DoraLow
}
