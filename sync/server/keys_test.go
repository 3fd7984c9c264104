package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// A catalogue with a key hands its public key out at enrolment and
// announces it, with the retention, in the /v1/info of every sync; a
// batch whose sealing fields are out of bounds is refused before any key
// is unwrapped, and the log names no answer.
func TestCatalogueKeyOnTheWire(t *testing.T) {
	db, ln := newCatalogue(t)
	ctx := context.Background()
	id, err := seal.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.UseKeys(ctx, seal.KeyRing{id}); err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	srv := New(db, Config{BaseURL: "http://catalogue.test/", RetentionDays: 12, Log: log.New(&logs, "", 0)})
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go srv.Serve(sctx, ln)
	base := "http://" + ln.Addr().String()

	code, err := db.AddDevice(ctx, "110105001")
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path, token string, body any, out any) int {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(b))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if bb, ok := body.(*wire.Batch); ok {
			req.Header.Set("Idempotency-Key", bb.BatchID)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		if out != nil && resp.StatusCode == http.StatusOK {
			if err := json.Unmarshal(data, out); err != nil {
				t.Fatalf("%s %s: %v\n%s", method, path, err, data)
			}
		}
		return resp.StatusCode
	}
	want := wire.CatalogueKey{ID: id.KeyID(), Recipient: id.Recipient()}
	var enrolled wire.EnrolResponse
	if st := call("POST", "/v1/enrol", "", wire.EnrolRequest{Code: code, DeviceID: "laptop-1"}, &enrolled); st != http.StatusOK ||
		enrolled.CatalogueKey == nil || *enrolled.CatalogueKey != want {
		t.Fatalf("enrolment: %d %+v", st, enrolled.CatalogueKey)
	}
	var info wire.Info
	if st := call("GET", "/v1/info", enrolled.Token, nil, &info); st != http.StatusOK ||
		info.CatalogueKey == nil || *info.CatalogueKey != want || info.RetentionDays != 12 {
		t.Fatalf("info: %d %+v %d", st, info.CatalogueKey, info.RetentionDays)
	}
	var anonymous wire.Info
	if call("GET", "/v1/info", "", nil, &anonymous); anonymous.CatalogueKey != nil {
		t.Fatal("the key is announced without a device token")
	}

	b := &wire.Batch{BatchID: "b1", DeviceID: "laptop-1"}
	for i := range wire.MaxBatchKeys + 1 {
		b.Keys = append(b.Keys, wire.SealedKey{ID: strings.Repeat("k", i+1), CatalogueKey: id.KeyID(), Wrapped: []byte("x")})
	}
	if st := call("POST", "/v1/batches", enrolled.Token, b, nil); st != http.StatusBadRequest {
		t.Fatalf("a batch with %d keys: %d", len(b.Keys), st)
	}
}
