package laptop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// The takeover as reported: a valid code of another township and an
// enrolled laptop's device id. The server answers 409 and the laptop keeps
// its township, its token and its returns; the attacker gets no token.
// A bad device id or code is refused (400) before the code is used. A
// code made for the laptop enrols it again through the laptop's own
// enrolment, and its old token stops working.
func TestEnrolNeverMovesADevice(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		rw := newReviewWorld(t, be, false)
		victim := rw.laptop.DeviceID()
		reviewer := &Client{BaseURL: rw.url, Token: rw.tokens["reviewer"]}
		if _, err := reviewer.SetReview(ctx, rw.records[0], wire.ReviewRequest{State: wire.ReviewRejected, Comment: "电话号码有误"}); err != nil {
			t.Fatal(err)
		}
		code, err := rw.cat.AddDevice(ctx, "110106001")
		if err != nil {
			t.Fatal(err)
		}
		enrol := func(code, deviceID string) (int, string, []byte) {
			body, _ := json.Marshal(wire.EnrolRequest{Code: code, DeviceID: deviceID})
			return rw.call(t, "POST", "/v1/enrol", "", body, nil)
		}
		status, msg, body := enrol(code, victim)
		if status != 409 || !strings.Contains(msg, "--replaces "+victim) || strings.Contains(string(body), `"token"`) {
			t.Fatalf("enrolling over device %s: %d %s", victim, status, body)
		}
		attacker := &Client{BaseURL: rw.url}
		if _, err := attacker.Enrol(ctx, code, victim); !errors.Is(err, wire.ErrDeviceExists) {
			t.Fatalf("the client's error: %v", err)
		}
		// The laptop is where it was, with its token and its return.
		info, err := rw.client.Info(ctx)
		if err != nil || info.Device == nil || info.Device.ID != victim || info.Device.Township != township {
			t.Fatalf("the laptop after the attempt: %+v %v", info, err)
		}
		if status, _, body := rw.call(t, "GET", "/v1/returns", rw.tokens["device"], nil, nil); status != 200 || !strings.Contains(string(body), rw.records[0]) {
			t.Fatalf("the laptop's returns after the attempt: %d %s", status, body)
		}

		for _, c := range []struct{ code, id, want string }{
			{code, strings.Repeat("a", wire.MaxIDLen+1), "at most 64"},
			{code, "../../x", "only letters"},
			{code, "a b", "only letters"},
			{strings.Repeat("A", 65), "laptop-new", "longer than"},
		} {
			if status, msg, _ := enrol(c.code, c.id); status != 400 || !strings.Contains(msg, c.want) {
				t.Errorf("code %.10q device %.10q: %d %s", c.code, c.id, status, msg)
			}
		}
		// None of that used the code up.
		if status, msg, _ := enrol(code, "laptop-new"); status != 200 {
			t.Fatalf("the code after the refusals: %d %s", status, msg)
		}

		// The administrator's code for this laptop: its own enrolment.
		again, err := rw.cat.ReplaceDevice(ctx, township, victim)
		if err != nil {
			t.Fatal(err)
		}
		old := rw.tokens["device"]
		c := &Client{BaseURL: rw.url}
		resp, err := Enrol(ctx, rw.laptop, c, again)
		if err != nil || resp.ID != victim || resp.Township != township || resp.Token == old {
			t.Fatalf("enrolling again: %+v %v", resp, err)
		}
		if status, _, _ := rw.call(t, "GET", "/v1/returns", old, nil, nil); status != 401 {
			t.Fatalf("the old token: %d", status)
		}
		if status, _, body := rw.call(t, "GET", "/v1/returns", resp.Token, nil, nil); status != 200 || !strings.Contains(string(body), rw.records[0]) {
			t.Fatalf("the returns with the new token: %d %s", status, body)
		}
	})
}

// Ids a laptop never makes are refused at the batch's door: a batch id
// or a version id (which the receipt would have to repeat) longer than
// MaxIDLen is a 400 and stores nothing.
func TestServerBoundsBatchIDs(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		w := newWorld(t, be)
		long := strings.Repeat("7", wire.MaxIDLen+1)
		data := []byte(`{"head_name":"张建国"}`)
		for name, b := range map[string]wire.Batch{
			"batch id": {BatchID: long, DeviceID: w.laptop.DeviceID()},
			"version id": {BatchID: "b1", DeviceID: w.laptop.DeviceID(), Records: []wire.Record{{RecordID: "r1", VersionID: long,
				FormID: "household_visit", FormVersion: samples.HouseholdVisitVersion, SHA256: sum(data), Data: data}}},
		} {
			body, _ := json.Marshal(b)
			req := map[string]string{"Idempotency-Key": b.BatchID, "Authorization": "Bearer " + w.client.Token}
			status, msg := postRaw(t, w.server.URL+"/v1/batches", body, req)
			if status != 400 || !strings.Contains(msg, "longer than 64 bytes") {
				t.Errorf("a long %s: %d %s", name, status, msg)
			}
		}
		if got := w.catalogueTotal(t); got != 0 {
			t.Errorf("%d records stored", got)
		}
	})
}

// postRaw posts body with the headers given and returns the status and
// the error message of a refusal.
func postRaw(t *testing.T, url string, body []byte, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p wire.Problem
	json.NewDecoder(resp.Body).Decode(&p)
	return resp.StatusCode, p.Error
}
