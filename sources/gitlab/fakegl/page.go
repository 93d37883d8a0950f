package fakegl

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// pageOf cuts a page out of items (per_page default 20, max 100; page
// default 1) with GitLab's paging headers: x-page, x-per-page,
// x-next-page (empty on the last page), x-prev-page, x-total,
// x-total-pages (both left out past 10,000 items, as GitLab does) and
// Link.
func pageOf(r *http.Request, items []any, q url.Values) reply {
	per := 20
	if v, err := strconv.Atoi(q.Get("per_page")); err == nil && v > 0 {
		per = min(v, 100)
	}
	pg := 1
	if v, err := strconv.Atoi(q.Get("page")); err == nil && v > 0 {
		pg = v
	}
	last := max(1, (len(items)+per-1)/per)
	start := min((pg-1)*per, len(items))
	end := min(start+per, len(items))
	page := items[start:end]
	if page == nil {
		page = []any{}
	}
	rep := jsonReply(http.StatusOK, page)
	h := rep.header
	h.Set("X-Page", strconv.Itoa(pg))
	h.Set("X-Per-Page", strconv.Itoa(per))
	next, prev := "", ""
	if pg < last {
		next = strconv.Itoa(pg + 1)
	}
	if pg > 1 {
		prev = strconv.Itoa(pg - 1)
	}
	h.Set("X-Next-Page", next)
	h.Set("X-Prev-Page", prev)
	if len(items) <= 10000 {
		h.Set("X-Total", strconv.Itoa(len(items)))
		h.Set("X-Total-Pages", strconv.Itoa(last))
	}
	link := func(n int, rel string) string {
		u := *r.URL
		u.Scheme, u.Host = "http", r.Host
		v := u.Query()
		v.Set("page", strconv.Itoa(n))
		v.Set("per_page", strconv.Itoa(per))
		u.RawQuery = v.Encode()
		return "<" + u.String() + `>; rel="` + rel + `"`
	}
	var links []string
	if prev != "" {
		links = append(links, link(pg-1, "prev"))
	}
	if next != "" {
		links = append(links, link(pg+1, "next"))
	}
	links = append(links, link(1, "first"))
	if len(items) <= 10000 {
		links = append(links, link(last, "last"))
	}
	h.Set("Link", strings.Join(links, ", "))
	return rep
}
