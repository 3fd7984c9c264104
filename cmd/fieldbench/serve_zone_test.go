//go:build linux

package main

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// `serve --tz` chooses the zone the catalogue page shows times in: a
// county server kept in UTC shows Beijing time with --tz Asia/Shanghai,
// its own zone without it, and a zone that does not exist is refused
// before anything starts.
func TestServeShowsThePageInTheChosenZone(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	where := catalogueAt(t, "sqlite")
	utc := []string{"TZ=UTC"} // the server's own zone, for the processes below
	code, _, errs := run(t, "", append([]string{"serve", "--tz", "Beijing"}, where...)...)
	if code != exitUnusable || !strings.Contains(errs, "--tz Beijing is not a time zone") {
		t.Errorf("an unknown zone: exit %d, %s", code, errs)
	}
	stamp := regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d ([A-Z+0-9-]+)`)
	zones := func(extra ...string) map[string]bool {
		t.Helper()
		_, addr := serveWithEnv(t, bin, utc, where, io.Discard, extra...)
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		seen := map[string]bool{}
		for _, m := range stamp.FindAllStringSubmatch(string(page), -1) {
			seen[m[1]] = true
		}
		return seen
	}
	if got := zones(); len(got) != 1 || !got["UTC"] {
		t.Errorf("without --tz the page shows times in %v, want the server's zone, UTC", got)
	}
	if got := zones("--tz", "Asia/Shanghai"); len(got) != 1 || !got["CST"] {
		t.Errorf("with --tz Asia/Shanghai the page shows times in %v, want CST", got)
	}
}
