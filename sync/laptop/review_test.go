package laptop

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// lockedBuffer is a log the server's handlers may write from several
// goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// reviewWorld is a world with its records sent, a server over the same
// catalogue that logs, and the county's people with their tokens.
type reviewWorld struct {
	*world
	logged  *lockedBuffer
	url     string
	records []string
	tokens  map[string]string // who -> token
}

// withoutReviews serves the catalogue as one that keeps no reviews.
func newReviewWorld(t *testing.T, be backend, withoutReviews bool) *reviewWorld {
	t.Helper()
	ctx := context.Background()
	w := newWorld(t, be)
	ids := w.finalize(t, 2)
	if sum, err := Run(ctx, w.laptop, w.client, nil); err != nil || sum.Sent != 2 {
		t.Fatalf("first sync: %+v %v", sum, err)
	}
	var reviews api.Reviews = w.cat
	if withoutReviews {
		reviews = nil
	}
	logged := &lockedBuffer{}
	srv := &api.Server{Cat: w.cat, Reviews: reviews, Form: w.cat.FormDefinition, Log: log.New(logged, "", 0)}
	server := httptest.NewServer(srv.Handler())
	t.Cleanup(server.Close)
	rw := &reviewWorld{world: w, logged: logged, url: server.URL, records: ids, tokens: map[string]string{"device": w.client.Token}}
	for _, u := range []struct{ who, role, county string }{
		{"reviewer", wire.RoleReviewer, township}, {"other county", wire.RoleReviewer, "110108"},
		{"reader", wire.RoleReader, township}, {"revoked", wire.RoleReviewer, township},
	} {
		user, token, err := w.cat.AddUser(ctx, u.who, u.role, u.county, false)
		if err != nil {
			t.Fatal(err)
		}
		rw.tokens[u.who] = token
		if u.who == "revoked" {
			if err := w.cat.RevokeUser(ctx, user.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	return rw
}

// call makes one request and returns the status, the error message of a
// refusal, and the body.
func (rw *reviewWorld) call(t *testing.T, method, path, token string, body []byte, header map[string]string) (int, string, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, rw.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.Header.Get(wire.ProtocolHeader) != wire.ProtocolVersion {
		t.Errorf("%s %s: no protocol header", method, path)
	}
	var p wire.Problem
	json.Unmarshal(data, &p)
	return resp.StatusCode, p.Error, data
}

// reviewsOf reads a record's versions as the reviewer of its county.
func (rw *reviewWorld) reviewsOf(t *testing.T, id string) *wire.RecordVersions {
	t.Helper()
	c := &Client{BaseURL: rw.url, Token: rw.tokens["reviewer"]}
	rec, err := c.ReviewRecord(context.Background(), id, false)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// Who may do what on /v1/review: the county's reviewer everything; a
// reviewer of another county sees none of its records (one asked for is
// answered 404, as an unknown record is); a reader and a device are
// refused with 403, a revoked, unknown or missing token with 401. Every refusal is logged with its reason and changes nothing; the
// comment (which may quote an ID number) never reaches the log.
func TestReviewEndpointsAuth(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		rw := newReviewWorld(t, be, false)
		id := rw.records[0]
		set := []byte(`{"state":"rejected","comment":"户主身份证号110105196805140036与户口簿不符"}`)
		type want struct{ list, show, set int }
		for _, c := range []struct {
			who  string
			want want
		}{
			{"other county", want{200, 404, 404}},
			{"reader", want{403, 403, 403}},
			{"device", want{403, 403, 403}},
			{"revoked", want{401, 401, 401}},
			{"unknown", want{401, 401, 401}},
			{"", want{401, 401, 401}},
			{"reviewer", want{200, 200, 200}},
		} {
			token := rw.tokens[c.who]
			if c.who == "unknown" {
				token = strings.Repeat("ab", 32)
			}
			if c.who == "reviewer" {
				// Nothing any refused request did is there.
				if v := rw.reviewsOf(t, id).Versions[0]; v.Review != nil || len(v.History) != 0 {
					t.Fatalf("a refused request stored a review: %+v", v)
				}
			}
			code, msg, body := rw.call(t, "GET", "/v1/review/records", token, nil, nil)
			if code != c.want.list {
				t.Errorf("%q lists: %d %s", c.who, code, msg)
			}
			if c.who == "other county" && strings.Contains(string(body), id) {
				t.Errorf("a reviewer of another county sees the record: %s", body)
			}
			code, msg, body = rw.call(t, "GET", "/v1/review/records/"+id, token, nil, nil)
			if code != c.want.show {
				t.Errorf("%q shows: %d %s", c.who, code, msg)
			}
			if c.who == "other county" {
				// Word for word the answer for a record that is not there.
				_, _, unknown := rw.call(t, "GET", "/v1/review/records/"+id+"x", token, nil, nil)
				if !bytes.Equal(bytes.ReplaceAll(body, []byte(id), []byte(id+"x")), unknown) || bytes.Contains(body, []byte(township)) {
					t.Errorf("another county's record: %s; an unknown one: %s", body, unknown)
				}
			}
			if code, msg, _ := rw.call(t, "POST", "/v1/review/records/"+id+"/review", token, set, nil); code != c.want.set {
				t.Errorf("%q sets: %d %s", c.who, code, msg)
			}
		}
		v := rw.reviewsOf(t, id).Versions[0]
		if v.Review == nil || v.Review.State != wire.ReviewRejected || len(v.History) != 1 {
			t.Fatalf("the reviewer's review: %+v", v)
		}
		logged := rw.logged.String()
		for _, reason := range []string{"403 not allowed: the token of device", "403 not allowed: user", "is a reader", "404 record " + id + ": not found",
			"401 unknown or revoked token", "401 a reviewer's token is needed", "review: user"} {
			if !strings.Contains(logged, reason) {
				t.Errorf("the log lacks %q:\n%s", reason, logged)
			}
		}
		if strings.Contains(logged, "110105196805140036") {
			t.Errorf("an ID number reached the log:\n%s", logged)
		}
		// The device gets its return; a user's token is no device's.
		if code, _, body := rw.call(t, "GET", "/v1/returns", rw.tokens["device"], nil, nil); code != 200 || !strings.Contains(string(body), id) {
			t.Errorf("the device's returns: %d %s", code, body)
		}
		if code, _, _ := rw.call(t, "GET", "/v1/returns", rw.tokens["reviewer"], nil, nil); code != 401 {
			t.Errorf("a reviewer's token fetched returns: %d", code)
		}
	})
}

// Bad review requests are refused with the reason and store nothing:
// bodies too large before or after gzip, malformed JSON, a state that is
// none, a rejection without a comment, a bad listing filter. A gzipped
// review is accepted.
func TestReviewRefusesBadRequests(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		rw := newReviewWorld(t, be, false)
		id, token := rw.records[1], rw.tokens["reviewer"]
		path := "/v1/review/records/" + id + "/review"
		big := []byte(`{"state":"rejected","comment":"` + strings.Repeat("长", 30000) + `"}`)
		var bomb bytes.Buffer
		zw := newGzip(&bomb)
		zw.Write([]byte(`{"state":"rejected","comment":"`))
		zw.Write(bytes.Repeat([]byte("x"), 1<<20))
		zw.Write([]byte(`"}`))
		zw.Close()
		for _, c := range []struct {
			name   string
			body   []byte
			header map[string]string
			code   int
			says   string
		}{
			{"too large", big, nil, 413, "larger than"},
			{"a gzip bomb", bomb.Bytes(), map[string]string{"Content-Encoding": "gzip"}, 413, "larger than"},
			{"malformed", []byte(`{"state":`), nil, 400, "malformed JSON"},
			{"no such state", []byte(`{"state":"ok"}`), nil, 422, `state "ok"`},
			{"rejected without comment", []byte(`{"state":"rejected","comment":"  "}`), nil, 422, "comment must say what to correct"},
			{"rejected with invisible characters only", []byte(`{"state":"rejected","comment":"\u200b\u3000\u2060\ufeff\u00ad\u3164"}`), nil, 422, "invisible characters"},
			{"another record's version", []byte(`{"state":"approved","version_id":"` + rw.records[0] + `"}`), nil, 404, "not found"},
		} {
			if code, msg, _ := rw.call(t, "POST", path, token, c.body, c.header); code != c.code || !strings.Contains(msg, c.says) {
				t.Errorf("%s: %d %q, want %d saying %q", c.name, code, msg, c.code, c.says)
			}
		}
		for _, q := range []string{"?state=done", "?limit=0", "?limit=x", "?after=nowhere"} {
			if code, msg, _ := rw.call(t, "GET", "/v1/review/records"+q, token, nil, nil); code != 400 && code != 422 {
				t.Errorf("listing %s: %d %s", q, code, msg)
			}
		}
		if v := rw.reviewsOf(t, id).Versions[0]; v.Review != nil || len(v.History) != 0 {
			t.Fatalf("a refused review was stored: %+v", v)
		}
		var zipped bytes.Buffer
		zw = newGzip(&zipped)
		zw.Write([]byte(`{"state":"has-issues","comment":"门牌号缺"}`))
		zw.Close()
		if code, msg, _ := rw.call(t, "POST", path, token, zipped.Bytes(), map[string]string{"Content-Encoding": "gzip"}); code != 200 {
			t.Fatalf("a gzipped review: %d %s", code, msg)
		}
		if v := rw.reviewsOf(t, id).Versions[0]; v.Review == nil || v.Review.State != wire.ReviewHasIssues {
			t.Fatalf("after the gzipped review: %+v", v)
		}
	})
}

// A catalogue that keeps no reviews: the reviewer's endpoints answer 404,
// a device has no returns, and a sync runs as before.
func TestCatalogueWithoutReviews(t *testing.T) {
	rw := newReviewWorld(t, "sqlite", true)
	if code, msg, _ := rw.call(t, "GET", "/v1/review/records", rw.tokens["reviewer"], nil, nil); code != 404 {
		t.Errorf("review on a catalogue without it: %d %s", code, msg)
	}
	if code, _, body := rw.call(t, "GET", "/v1/returns", rw.tokens["device"], nil, nil); code != 200 || !strings.Contains(string(body), `"returns":[]`) {
		t.Errorf("returns: %d %s", code, body)
	}
	rw.client.BaseURL = rw.url
	rw.finalize(t, 1)
	if sum, err := Run(context.Background(), rw.laptop, rw.client, nil); err != nil || sum.Sent != 1 || sum.NeedsAttention() {
		t.Fatalf("sync: %+v %v", sum, err)
	}
}

// The round trip through the engine: a record rejected by a reviewer comes
// back on the next sync as returned with the comment (needing attention),
// once; its correction goes out as a new version replacing it, which the
// catalogue holds unreviewed beside the rejected one.
func TestReturnRoundTrip(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		rw := newReviewWorld(t, be, false)
		id := rw.records[0]
		reviewer := &Client{BaseURL: rw.url, Token: rw.tokens["reviewer"]}
		r, err := reviewer.SetReview(ctx, id, wire.ReviewRequest{State: wire.ReviewRejected, Comment: "户主电话号码有误，请核实"})
		if err != nil {
			t.Fatal(err)
		}
		sum, err := Run(ctx, rw.laptop, rw.client, nil)
		if err != nil || len(sum.Returned) != 1 || !sum.NeedsAttention() {
			t.Fatalf("the sync after the rejection: %+v %v", sum, err)
		}
		if got := sum.Returned[0]; got.RecordID != id || got.VersionID != r.VersionID || got.Reason != r.Comment || got.By != "reviewer" {
			t.Errorf("returned: %+v", got)
		}
		rec, _ := rw.laptop.Record(ctx, id)
		note, _ := rw.laptop.SyncNote(ctx, id)
		if rec.State != store.Returned || note != r.Comment {
			t.Fatalf("on the laptop: %s %q", rec.State, note)
		}
		if sum, err := Run(ctx, rw.laptop, rw.client, nil); err != nil || len(sum.Returned) != 0 || sum.NeedsAttention() {
			t.Fatalf("the same return again: %+v %v", sum, err)
		}
		if rec, _ := rw.laptop.Record(ctx, id); rec.State != store.Returned {
			t.Fatalf("after the second sync: %s", rec.State)
		}

		fixed := bytes.Replace(rec.Data, []byte(`"head_phone":"13811062547"`), []byte(`"head_phone":"13811062548"`), 1)
		if bytes.Equal(fixed, rec.Data) {
			t.Fatal("the sample record has no head_phone to correct")
		}
		v2, err := rw.laptop.Edit(ctx, id, fixed)
		if err != nil {
			t.Fatal(err)
		}
		sum, err = Run(ctx, rw.laptop, rw.client, nil)
		if err != nil || sum.Sent != 1 || sum.NeedsAttention() {
			t.Fatalf("the correction's sync: %+v %v", sum, err)
		}
		if rec, _ := rw.laptop.Record(ctx, id); rec.State != store.Sent {
			t.Fatalf("the corrected record is %s", rec.State)
		}
		versions := rw.reviewsOf(t, id).Versions
		if len(versions) != 2 || versions[1].VersionID != v2.ID || versions[1].Replaces != r.VersionID || versions[1].Review != nil ||
			versions[0].Review == nil || versions[0].Review.State != wire.ReviewRejected {
			t.Fatalf("the catalogue's versions: %+v", versions)
		}
		if rs, _ := rw.cat.Returns(ctx, &wire.Device{ID: rw.laptop.DeviceID()}); len(rs) != 0 {
			t.Errorf("returns after the correction: %+v", rs)
		}
	})
}
