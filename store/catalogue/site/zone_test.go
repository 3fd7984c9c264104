package site_test

import (
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/when/whentest"
	"github.com/fieldbench/fieldbench/store/catalogue/site"
)

// The page shows its times in the zone the server runs in, named, as every
// screen and command shows times in its own zone; it used to fix them at
// UTC+8 unnamed, while `review` printed UTC for the same instants.
func TestPageTimesInTheServersZone(t *testing.T) {
	db := newCatalogue(t)
	stamp := regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d ([A-Z+0-9-]+)`)
	zones := func() map[string]bool {
		srv := httptest.NewServer((&site.Site{Src: db}).Handler())
		defer srv.Close()
		page, _ := get(t, srv.URL+"/")
		seen := map[string]bool{}
		for _, m := range stamp.FindAllStringSubmatch(page, -1) {
			seen[m[1]] = true
		}
		return seen
	}
	old := time.Local
	time.Local = time.UTC
	got := zones()
	time.Local = old
	if len(got) != 1 || !got["UTC"] {
		t.Errorf("a server in UTC shows times in %v, want UTC", got)
	}
	whentest.Shanghai(t)
	if got := zones(); len(got) != 1 || !got["CST"] {
		t.Errorf("a server in Asia/Shanghai shows times in %v, want CST", got)
	}
}
