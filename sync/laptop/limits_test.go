package laptop

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// serveWith serves w's catalogue with the limits srv is given.
func (w *world) serveWith(t *testing.T, srv *api.Server) string {
	t.Helper()
	srv.Cat, srv.Reviews, srv.Form = w.cat, w.cat, w.cat.FormDefinition
	server := httptest.NewServer(srv.Handler())
	t.Cleanup(server.Close)
	return server.URL
}

func gzipped(parts ...[]byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	for _, p := range parts {
		zw.Write(p)
	}
	zw.Close()
	return b.Bytes()
}

func postBody(t *testing.T, url, token string, body []byte, header http.Header) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
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

// Enrolment and review take a few KB, gzip or not: a body that inflates
// past that is refused without being read whole, and changes nothing
// (the code still enrols a laptop afterwards).
func TestServerBoundsSmallBodies(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		w := newWorld(t, be)
		code, err := w.cat.AddDevice(ctx, township)
		if err != nil {
			t.Fatal(err)
		}
		url := w.server.URL
		gz := http.Header{"Content-Encoding": {"gzip"}}
		long := bytes.Repeat([]byte("a"), 1<<20)
		enrol := func(id []byte) []byte {
			return []byte(`{"code":"` + code + `","device_id":"` + string(id) + `"}`)
		}
		for name, c := range map[string]struct {
			body   []byte
			header http.Header
		}{
			"1 MB inflated": {gzipped(enrol(long)), gz},
			"5 KB plain":    {enrol(long[:5<<10]), nil},
		} {
			if status, msg := postBody(t, url+"/v1/enrol", "", c.body, c.header); status != http.StatusRequestEntityTooLarge {
				t.Errorf("enrolment of %s: %d %s", name, status, msg)
			}
		}
		_, token, err := w.cat.AddUser(ctx, "审核员", wire.RoleReviewer, township, false)
		if err != nil {
			t.Fatal(err)
		}
		review := gzipped([]byte(`{"state":"rejected","comment":"`), long, []byte(`"}`))
		if status, msg := postBody(t, url+"/v1/review/records/x/review", token, review, gz); status != http.StatusRequestEntityTooLarge {
			t.Errorf("a review inflating to 1 MB: %d %s", status, msg)
		}
		// The largest comment allowed, every rune a surrogate pair in
		// \u escapes, still fits.
		comment := strings.Repeat(`\ud83d\ude00`, wire.MaxCommentRunes)
		if status, msg := postBody(t, url+"/v1/review/records/x/review", token, []byte(`{"state":"rejected","comment":"`+comment+`"}`), nil); status == http.StatusRequestEntityTooLarge {
			t.Errorf("a review with the longest comment: %d %s", status, msg)
		}
		if status, msg := postBody(t, url+"/v1/enrol", "", gzipped(enrol([]byte("laptop-2"))), gz); status != http.StatusOK {
			t.Errorf("the code after the refusals: %d %s", status, msg)
		}
	})
}

// slowUpload sends a batch upload's headers and then a byte every tick;
// it returns the status line of the answer, or the error that ended it.
func slowUpload(addr, token string, tick time.Duration) (string, time.Duration) {
	began := time.Now()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err.Error(), 0
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /v1/batches HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nIdempotency-Key: slow\r\n"+
		"Content-Type: application/json\r\nContent-Length: 10000\r\n\r\n", token)
	go func() {
		for range 10000 {
			time.Sleep(tick)
			if _, err := c.Write([]byte(" ")); err != nil {
				return
			}
		}
	}()
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err.Error(), time.Since(began)
	}
	return strings.TrimSpace(line), time.Since(began)
}

// Two slow uploads of one device hold no batch slot (they held both): the
// same device's third upload is answered 429 with Retry-After, another
// laptop's batch is stored at once, and the slow ones are answered 408
// once the grace has passed.
func TestServerCutsSlowUploads(t *testing.T) {
	backendsAlone(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		w := newWorld(t, be)
		url := w.serveWith(t, &api.Server{MinRate: 1024, Grace: 3 * time.Second, MaxConcurrent: 2})
		addr := strings.TrimPrefix(url, "http://")
		code, _ := w.cat.AddDevice(ctx, township)
		second := &Client{BaseURL: url}
		enrolled, err := second.Enrol(ctx, code, "laptop-other")
		if err != nil {
			t.Fatal(err)
		}
		second.Token = enrolled.Token
		type answer struct {
			status string
			took   time.Duration
		}
		slow := make(chan answer, 2)
		for range 2 {
			go func() {
				s, d := slowUpload(addr, w.client.Token, 100*time.Millisecond)
				slow <- answer{s, d}
			}()
		}
		time.Sleep(300 * time.Millisecond)

		// Another laptop's batch goes through at once.
		began := time.Now()
		data := []byte(`{}`)
		b, _ := json.Marshal(wire.Batch{BatchID: "quick", DeviceID: enrolled.ID, Records: []wire.Record{{RecordID: "r", VersionID: "v",
			FormID: "household_visit", FormVersion: samples.HouseholdVisitVersion, SHA256: sum(data), Data: data}}})
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if _, err := second.SendBatch(sctx, "quick", b); err != nil {
			t.Errorf("another laptop's batch while one device's uploads trickle: %v after %v", err, time.Since(began))
		}

		third := *w.client
		third.BaseURL, third.MaxAttempts = url, 1
		body, _ := json.Marshal(wire.Batch{BatchID: "third", DeviceID: w.laptop.DeviceID(), Records: []wire.Record{}})
		var se *StatusError
		tctx, tcancel := context.WithTimeout(ctx, 5*time.Second)
		defer tcancel()
		if _, err := third.SendBatch(tctx, "third", body); !errors.As(err, &se) || se.Status != http.StatusTooManyRequests {
			t.Errorf("the device's third upload at once: %v", err)
		}

		for range 2 {
			a := <-slow
			if !strings.Contains(a.status, " 408 ") || a.took > 8*time.Second {
				t.Errorf("a slow upload: %q after %v, want 408 within seconds", a.status, a.took)
			}
		}
		if _, err := third.SendBatch(ctx, "third", body); err != nil {
			t.Errorf("the device's upload once the slow ones were cut off: %v", err)
		}
	})
}

// The server's log names refused records by id, path and rule, never by
// what was answered: the reason the laptop gets may quote the answer.
func TestServerLogHoldsNoAnswers(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		w := newWorld(t, be)
		var logged lockedBuffer
		url := w.serveWith(t, &api.Server{Log: log.New(&logged, "", 0)})
		c := *w.client
		c.BaseURL = url
		data, err := os.ReadFile("../../testdata/forms/household_visit.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		var rec map[string]any
		json.Unmarshal(bytes.SplitN(data, []byte("\n"), 2)[0], &rec)
		const secret = "秘密答案-13811062547"
		rec["province"] = secret
		line, _ := json.Marshal(rec)
		batch := wire.Batch{BatchID: "leak-1", DeviceID: w.laptop.DeviceID(), Records: []wire.Record{{RecordID: "01900000-0000-7000-8000-0000000000c1",
			VersionID: "01900000-0000-7000-8000-0000000000d1", FormID: "household_visit", FormVersion: samples.HouseholdVisitVersion, SHA256: sum(line), Data: line}}}
		body, _ := json.Marshal(batch)
		r, err := c.SendBatch(ctx, "leak-1", body)
		if err != nil {
			t.Fatal(err)
		}
		if r.Results[0].Status != wire.StatusRejected || !strings.Contains(r.Results[0].Reason, secret) {
			t.Fatalf("the record with a value not among the choices: %+v", r.Results[0])
		}
		out := logged.String()
		if strings.Contains(out, secret) || strings.Contains(out, "13811062547") {
			t.Errorf("the server's log holds an answer:\n%s", out)
		}
		if !strings.Contains(out, "01900000-0000-7000-8000-0000000000d1") || !strings.Contains(out, `"province" (choice)`) {
			t.Errorf("the server's log does not say which record failed where:\n%s", out)
		}
	})
}
