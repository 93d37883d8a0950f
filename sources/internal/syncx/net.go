package syncx

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"
)

// IsLoopback reports whether host names this machine.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ParseBaseURL parses a base URL and refuses plain http to anything but
// loopback, so a token never crosses the network in clear text. source
// prefixes the errors ("github") and want says what is expected.
func ParseBaseURL(source, base, want string) (*url.URL, error) {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%s: base_url %q: want %s", source, base, want)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return nil, fmt.Errorf("%s: base_url %q: http:// is accepted for loopback hosts only; use https://", source, base)
		}
	default:
		return nil, fmt.Errorf("%s: base_url %q: scheme must be https", source, base)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("%s: base_url %q: no user info, query or fragment allowed", source, base)
	}
	return u, nil
}

// SleepCtx waits d or until ctx is done.
func SleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// HTTPBase is what an injected client lends the transport: its
// RoundTripper, its Timeout (bounding each attempt) and its redirect
// policy. nil: a transport with dial, TLS and header timeouts sized for
// concurrency, and 60 s an attempt.
func HTTPBase(hc *http.Client, concurrency int) (base http.RoundTripper, attemptTimeout time.Duration, checkRedirect func(*http.Request, []*http.Request) error) {
	base, attemptTimeout = defaultTransport(concurrency), 60*time.Second
	if hc == nil {
		return base, attemptTimeout, nil
	}
	base = http.DefaultTransport
	if hc.Transport != nil {
		base = hc.Transport
	}
	if hc.Timeout > 0 {
		attemptTimeout = hc.Timeout
	}
	return base, attemptTimeout, hc.CheckRedirect
}

// defaultTransport is http.DefaultTransport with timeouts on every phase
// before the body, sized for the per-host concurrency.
func defaultTransport(concurrency int) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 60 * time.Second
	t.MaxIdleConnsPerHost = concurrency
	return t
}
