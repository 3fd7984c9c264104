package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/sync"
	"github.com/fieldbench/fieldbench/when/whentest"
)

// A reviewer in UTC+8 reads the catalogue's times in Beijing time, as the
// collector's screens show them; `review show` used to print them in UTC.
func TestReviewShowsTimesInTheReadersZone(t *testing.T) {
	whentest.Shanghai(t)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(sync.ProtocolHeader, sync.ProtocolVersion)
		w.Write([]byte(`{"record_id":"r1","form_id":"household_visit","township":"110105001","head_version":"v1","masked":true,"versions":[` +
			`{"version_id":"v1","form_version":"1","status":"accepted","collector":"王芳","received_at":"2026-03-01T23:30:00.000000000Z",` +
			`"data":{"village":"花家地"},"review":{"state":"approved","reviewer":"李审核","at":"2026-03-02T00:05:00.000000000Z"}}]}`))
	}))
	defer server.Close()
	code, out, errs := run(t, "", "review", "show", "r1", "--url", server.URL, "--token", "t")
	if code != 0 || !strings.Contains(out, "received 2026-03-02 07:30") || !strings.Contains(out, "at 2026-03-02 08:05") || strings.Contains(out, "UTC") {
		t.Errorf("times not in Beijing time: exit %d\n%s%s", code, out, errs)
	}
}
