package forms

import (
	"testing"
	"time"
)

// A record's visit time is its own end time, else its start time, in any
// offset; a form or record without either has none.
func TestVisitTime(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label |
| | start | started | |
| | begin group | times | |
| | end | finished | |
| | text | village | Village |
| | end group | | |
`)
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		record string
		want   time.Time
	}{
		{`{"started":"2026-11-20T09:00:00+08:00","finished":"2026-11-20T09:40:12.5+08:00","village":"a"}`, at("2026-11-20T01:40:12.5Z")},
		{`{"started":"2026-11-20T09:00:00+08:00","village":"a"}`, at("2026-11-20T01:00:00Z")},
		{`{"finished":"2026-11-20T09:40:00","village":"a"}`, time.Date(2026, 11, 20, 9, 40, 0, 0, time.Local)},
		{`{"village":"a"}`, time.Time{}},
	} {
		in, res := f.ValidateRecord(mustDecode(t, c.record), Options{})
		if !res.OK() {
			t.Fatalf("%s: %v", c.record, res)
		}
		if got := in.VisitTime(); !got.Equal(c.want) {
			t.Errorf("%s: visit time %v, want %v", c.record, got, c.want)
		}
	}
	plain := mustLoadMD(t, `
| survey |
| | type | name | label |
| | text | finished | Finished |
`)
	if got := plain.VisitTime(func(string) string { return "2026-11-20T09:00:00Z" }); !got.IsZero() {
		t.Errorf("a form without start or end metadata gave %v", got)
	}
}
