// Package whentest puts a test in a collector's time zone. t.Setenv("TZ")
// does not move time.Local once the process runs, so the zone is set on
// time.Local itself, and put back when the test ends; a test that uses it
// must not run in parallel.
package whentest

import (
	"testing"
	"time"
	_ "time/tzdata" // the zone is known on machines without a zone database
)

// Shanghai sets time.Local to Asia/Shanghai (UTC+8, no summer time) for t.
func Shanghai(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	old := time.Local
	time.Local = loc
	t.Cleanup(func() { time.Local = old })
	return loc
}
