package catalogue

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/catalogue/resource"
	"github.com/fieldbench/fieldbench/sync/api"
	"github.com/fieldbench/fieldbench/sync/laptop"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// The key is made once per catalogue, whoever asks first: handles racing
// on one catalogue (as server processes do) all get the same 32 bytes,
// which stay after reopening.
func TestPseudonymKey(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		dbs := []*DB{openDB(t, w), openDB(t, w)}
		keys := make([][]byte, 8)
		errs := make([]error, 8)
		var wg sync.WaitGroup
		for i := range keys {
			wg.Add(1)
			go func() {
				defer wg.Done()
				keys[i], errs[i] = dbs[i%2].PseudonymKey(context.Background())
			}()
		}
		wg.Wait()
		for i := range keys {
			if errs[i] != nil || len(keys[i]) != 32 || !bytes.Equal(keys[i], keys[0]) {
				t.Fatalf("handle %d: %x %v (first %x)", i, keys[i], errs[i], keys[0])
			}
		}
		if bytes.Equal(keys[0], make([]byte, 32)) {
			t.Fatal("the key is all zeros")
		}
		dbs[0].Close()
		again, err := openDB(t, w).PseudonymKey(context.Background())
		if err != nil || !bytes.Equal(again, keys[0]) {
			t.Fatalf("after reopening: %x %v", again, err)
		}
		if n := query[int](t, dbs[1], `SELECT count(*) FROM meta WHERE key = 'pseudonym_key'`); n != 1 {
			t.Fatalf("%d keys stored", n)
		}
	})
}

func TestShareRule(t *testing.T) {
	reviewer := &wire.User{Role: wire.RoleReviewer}
	reader := &wire.User{Role: wire.RoleReader}
	clearReviewer := &wire.User{Role: wire.RoleReviewer, Clearance: true}
	clearReader := &wire.User{Role: wire.RoleReader, Clearance: true}
	for _, c := range []struct {
		sharing string
		u       *wire.User
		masked  bool
		refused bool
	}{
		{resource.SharingNone, reviewer, true, false},
		{resource.SharingNone, clearReviewer, false, false},
		{resource.SharingNone, reader, true, true},
		{resource.SharingNone, clearReader, true, true},
		{"", reviewer, true, false}, // anything unknown is 不予共享
		{"", clearReader, true, true},
		{resource.SharingConditional, reader, true, false},
		{resource.SharingConditional, clearReader, false, false},
		{resource.SharingConditional, reviewer, true, false},
		{resource.SharingUnconditional, reader, true, false},
		{resource.SharingUnconditional, clearReader, false, false},
		{resource.SharingUnconditional, clearReviewer, false, false},
	} {
		masked, refusal := shareRule(c.sharing, c.u)
		if (refusal != "") != c.refused || (!c.refused && masked != c.masked) {
			t.Errorf("%q %+v: masked %v refusal %q", c.sharing, *c.u, masked, refusal)
		}
	}
}

// hhRecord is a household record with a head and members' ID numbers.
func hhRecord(recordID, headName, headID string, memberIDs ...string) wire.Record {
	obj := map[string]any{"head_name": headName, "head_id": headID}
	var members []map[string]string
	for i, id := range memberIDs {
		members = append(members, map[string]string{"m_name": fmt.Sprintf("%s家人%d", headName, i+1), "m_id": id})
	}
	if members != nil {
		obj["members"] = members
	}
	data, _ := json.Marshal(obj)
	sum := sha256.Sum256(data)
	return wire.Record{RecordID: recordID, VersionID: recordID + "-v1", FormID: formID, FormVersion: formVer,
		SHA256: hex.EncodeToString(sum[:]), Data: data, Collector: "王芳", CreatedAt: "2026-03-01T08:00:00Z"}
}

// describeFully gives the household form every required element, with
// the sharing type.
func describeFully(t *testing.T, db *DB, sharing string) {
	t.Helper()
	describeForm(t, db, formID, sharing)
}

// describeForm gives a form every required element, with the sharing
// type.
func describeForm(t *testing.T, db *DB, formID, sharing string) {
	t.Helper()
	sets := [][2]string{
		{"resource_code", "201001/00001"}, {"provider", "朝阳区民政局"}, {"provider_uscc", "91350100M000100Y43"},
		{"summary", "全县入户登记"}, {"category", "基础"}, {"format", "数据库"}, {"sharing_type", sharing},
		{"sharing_condition", "仅限民政部门"}, {"sharing_method", "共享平台"}, {"update_cycle", "monthly"}, {"issued", "2026-03-01"},
	}
	e, err := db.Describe(context.Background(), formID, sets, "describe")
	if err != nil || e.Metadata.EffectiveSharing() != sharing {
		t.Fatalf("describe %s: %v %v", sharing, err, e.Metadata.Missing())
	}
}

// getWithToken GETs url with a bearer token ("" for none) and returns the
// answer with its whole body read.
func getWithToken(t *testing.T, url, token string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return resp, string(body)
}

// lockedLog is a server log the test reads while handlers may write.
type lockedLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// TestExportMatrix asks for the household records with every kind of
// token under each sharing type and checks the status and what the
// export holds: masked or clear, a pseudonym beside each ID number that is
// the same for one person in every export and differs between people,
// and only the records of the user's county. Every export is in the
// audit; every refusal is in the server log with its reason.
func TestExportMatrix(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db := openDB(t, w)
		if _, err := db.Publish(ctx, "household_visit.xlsx", household(t), []string{"110105", "110106"}); err != nil {
			t.Fatal(err)
		}
		devA, devB := enrol(t, db, "110105001", "laptop-a"), enrol(t, db, "110106001", "laptop-b")
		const shared, headA2, member, headB = "11010519491231002X", "110105196805140036", "510129198504201231", "110106198001010012"
		send(t, db, devA, batch("a", devA, hhRecord("r-a1", "张建国", shared, member), hhRecord("r-a2", "李秀梅", headA2, shared)))
		send(t, db, devB, batch("b", devB, hhRecord("r-b1", "丰台户", headB)))

		tokens := map[string]string{"device": "token-laptop-a", "none": "", "unknown": "not-a-token"}
		users := map[string]*wire.User{}
		for _, u := range []struct {
			name, role, county string
			clearance          bool
		}{
			{"reviewer", wire.RoleReviewer, "110105", false},
			{"reviewer+clearance", wire.RoleReviewer, "110105", true},
			{"reader", wire.RoleReader, "110105", false},
			{"reader+clearance", wire.RoleReader, "110105", true},
			{"reviewer of another county", wire.RoleReviewer, "110108", true},
			{"revoked", wire.RoleReader, "110105", true},
		} {
			usr, token, err := db.AddUser(ctx, u.name, u.role, u.county, u.clearance)
			if err != nil {
				t.Fatal(err)
			}
			tokens[u.name], users[u.name] = token, usr
		}
		if err := db.RevokeUser(ctx, users["revoked"].ID); err != nil {
			t.Fatal(err)
		}

		logs := &lockedLog{}
		srv := httptest.NewServer((&api.Server{Cat: db, Reviews: db, Form: db.FormDefinition, Exports: db, Log: log.New(logs, "", 0)}).Handler())
		defer srv.Close()
		get := func(token, query string) (*http.Response, string) {
			t.Helper()
			return getWithToken(t, srv.URL+wire.ExportPath+"?"+query, token)
		}

		pseudonyms := map[string]string{} // clear ID -> its pseudonym in the first export seen
		key, _ := db.PseudonymKey(ctx)
		expected := forms.NewPseudonymizer(key)
		exports, refusals := 0, 0
		for _, sharing := range []string{"", resource.SharingUnconditional, resource.SharingConditional, resource.SharingNone} {
			name := sharing
			if sharing == "" {
				name = "undescribed"
			} else {
				describeFully(t, db, sharing)
			}
			applied := sharing
			if sharing == "" {
				applied = resource.SharingNone
			}
			for _, who := range []string{"reviewer", "reviewer+clearance", "reader", "reader+clearance", "reviewer of another county", "device", "revoked", "unknown", "none"} {
				t.Run(name+"/"+who, func(t *testing.T) {
					resp, body := get(tokens[who], "form="+formID+"&format=jsonl")
					u := users[who]
					wantStatus := http.StatusOK
					switch {
					case who == "device":
						wantStatus = http.StatusForbidden
					case u == nil || who == "revoked":
						wantStatus = http.StatusUnauthorized
					case applied == resource.SharingNone && u.Role == wire.RoleReader:
						wantStatus = http.StatusForbidden
					}
					if resp.StatusCode != wantStatus {
						t.Fatalf("status %d, want %d: %s", resp.StatusCode, wantStatus, body)
					}
					if wantStatus != http.StatusOK {
						refusals++
						var p wire.Problem
						if json.Unmarshal([]byte(body), &p) != nil || p.Error == "" || strings.Contains(body, "张建国") {
							t.Fatalf("refusal body %q", body)
						}
						if wantStatus == http.StatusForbidden && who != "device" && !strings.Contains(p.Error, "reviewers only") {
							t.Errorf("the reason does not say who may have it: %s", p.Error)
						}
						return
					}
					exports++
					gotSharing, _ := url.PathUnescape(resp.Header.Get(wire.HeaderSharing))
					wantMasked := !u.Clearance
					if gotSharing != applied || resp.Header.Get(wire.HeaderMasked) != fmt.Sprint(wantMasked) {
						t.Errorf("headers: sharing %q masked %q", gotSharing, resp.Header.Get(wire.HeaderMasked))
					}
					if resp.Trailer.Get(wire.HeaderRecords) == "" {
						t.Error("no record count in the trailer")
					}
					lines := strings.Split(strings.TrimSpace(body), "\n")
					if body == "" {
						lines = nil
					}
					wantLines := 2
					if u.County != "110105" {
						wantLines = 0
					}
					if len(lines) != wantLines || strings.Contains(body, "丰台户") || strings.Contains(body, headB) || strings.Contains(body, "110106********0012") {
						t.Fatalf("%d records, want %d (county %s):\n%s", len(lines), wantLines, u.County, body)
					}
					for _, line := range lines {
						checkExportLine(t, line, wantMasked, pseudonyms, expected, shared, headA2, member)
					}
				})
			}
		}
		if len(pseudonyms) != 3 {
			t.Errorf("pseudonyms seen for %d IDs, want 3: %v", len(pseudonyms), pseudonyms)
		}

		// CSV: one file a request, the main level unless named.
		resp, body := get(tokens["reviewer"], "form="+formID+"&format=csv")
		files := resp.Header.Get(wire.HeaderFiles)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(files, "household_visit.csv,household_visit-members.csv") ||
			!strings.Contains(body, "KEY,") || !strings.Contains(body, "head_id,head_id_pseudonym") || strings.Contains(body, shared) ||
			resp.Header.Get("Content-Disposition") != `attachment; filename=household_visit.csv` {
			t.Fatalf("csv: %d %v\n%s", resp.StatusCode, resp.Header, body)
		}
		resp, body = get(tokens["reviewer+clearance"], "form="+formID+"&format=csv&file=household_visit-members.csv")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "\uFEFFPARENT_KEY,KEY") || !strings.Contains(body, shared+","+expected.Of(shared)) ||
			strings.Count(body, "\n") != 3 || resp.Trailer.Get(wire.HeaderRecords) != "2" {
			t.Fatalf("csv members: %d %v\n%s", resp.StatusCode, resp.Trailer, body)
		}
		exports += 2
		for _, bad := range []string{"form=" + formID + "&format=csv&file=../etc.csv", "form=" + formID + "&format=jsonl&labels=true", "format=jsonl", "form=" + formID + "&format=jsonl&file=x"} {
			if resp, body := get(tokens["reviewer"], bad); resp.StatusCode != http.StatusBadRequest {
				t.Errorf("%s: %d %s", bad, resp.StatusCode, body)
			}
			refusals++
		}
		if resp, _ := get(tokens["reviewer"], "form=nothing&format=jsonl"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown form: %d", resp.StatusCode)
		}
		refusals++

		// Without gzip the same bytes come plain.
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/export?form="+formID+"&format=jsonl", nil)
		req.Header.Set("Authorization", "Bearer "+tokens["reviewer"])
		req.Header.Set("Accept-Encoding", "identity")
		plain, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		plainBody, _ := io.ReadAll(plain.Body)
		plain.Body.Close()
		if plain.Header.Get("Content-Encoding") != "" || strings.Count(string(plainBody), "\n") != 2 || plain.Trailer.Get(wire.HeaderRecords) != "2" {
			t.Errorf("plain answer: %v %q", plain.Header, plainBody)
		}
		exports++
		srv.Close()

		events, err := db.ExportEvents(ctx, formID)
		if err != nil || len(events) != exports {
			t.Fatalf("%d audit rows for %d exports: %v", len(events), exports, err)
		}
		for _, e := range events {
			if e.UserID == "" || e.Remote == "" || e.FinishedAt.IsZero() || e.Failure != "" || e.Records < 0 || e.Command != "" {
				t.Errorf("audit row: %+v", e)
			}
		}
		last := events[len(events)-1]
		if last.UserID != users["reviewer"].ID || last.Sharing != resource.SharingNone || !last.Masked || last.Records != 2 || last.Format != "jsonl" {
			t.Errorf("last audit row: %+v", last)
		}
		if e := events[len(events)-2]; e.File != "household_visit-members.csv" || e.Masked || e.Sharing != resource.SharingNone {
			t.Errorf("csv audit row: %+v", e)
		}
		if got := strings.Count(logs.String(), "refused"); got != refusals {
			t.Errorf("%d refusals logged, want %d:\n%s", got, refusals, logs.String())
		}
		if strings.Contains(logs.String(), hex.EncodeToString(key)) {
			t.Error("the pseudonym key is in the log")
		}
	})
}

// checkExportLine checks one exported household: masked or clear ID
// numbers, and each one's pseudonym, equal to the one seen before for the
// same person and to the HMAC under the catalogue's key. A masked number
// is told apart from the others of the test (ids) by what its mask shows.
func checkExportLine(t *testing.T, line string, masked bool, seen map[string]string, p *forms.Pseudonymizer, ids ...string) {
	t.Helper()
	var rec struct {
		HeadID    string `json:"head_id"`
		HeadPseud string `json:"head_id_pseudonym"`
		Members   []struct {
			MID    string `json:"m_id"`
			MPseud string `json:"m_id_pseudonym"`
		} `json:"members"`
	}
	if err := json.Unmarshal([]byte(line), &rec); err != nil {
		t.Fatalf("%v: %s", err, line)
	}
	pairs := [][2]string{{rec.HeadID, rec.HeadPseud}}
	for _, m := range rec.Members {
		pairs = append(pairs, [2]string{m.MID, m.MPseud})
	}
	for _, pair := range pairs {
		id, pseudonym := pair[0], pair[1]
		if strings.Contains(id, "*") != masked || len(pseudonym) != 64 {
			t.Fatalf("masked %v, but ID %q with pseudonym %q", masked, id, pseudonym)
		}
		if masked {
			for _, clear := range ids {
				if forms.Mask(forms.SensitiveIDNumber, clear) == id {
					id = clear
				}
			}
		}
		if strings.Contains(id, "*") {
			t.Fatalf("masked ID %s is none of the test's", id)
		}
		if pseudonym != p.Of(id) {
			t.Errorf("pseudonym of %s is %s, not its HMAC", id, pseudonym)
		}
		if before, ok := seen[id]; ok && before != pseudonym {
			t.Errorf("%s had pseudonym %s, now %s", id, before, pseudonym)
		}
		for other, ps := range seen {
			if other != id && ps == pseudonym {
				t.Errorf("%s and %s share a pseudonym", id, other)
			}
		}
		seen[id] = pseudonym
	}
}

// An export that fails after its answer began is cut off, so the client
// (laptop.Client.DownloadExport) reports it incomplete rather than taking a
// short file for the whole; the audit row says how far it got and why.
func TestExportCutOff(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		send(t, db, dev, batch("a", dev, hhRecord("r-1", "张建国", "11010519491231002X"), hhRecord("r-2", "李秀梅", "110105196805140036")))
		// A stored version damaged behind the catalogue's back.
		if _, err := db.sql.ExecContext(ctx, db.d.bind(`UPDATE versions SET data = ? WHERE record_id = ?`), `{"head_id":`, "r-2"); err != nil {
			t.Fatal(err)
		}
		_, token, err := db.AddUser(ctx, "", wire.RoleReviewer, "110105", true)
		if err != nil {
			t.Fatal(err)
		}
		logs := &lockedLog{}
		srv := httptest.NewServer((&api.Server{Cat: db, Reviews: db, Form: db.FormDefinition, Exports: db, Log: log.New(logs, "", 0)}).Handler())
		defer srv.Close()
		c := &laptop.Client{BaseURL: srv.URL, Token: token}
		for _, format := range []string{"jsonl", "csv"} {
			var got bytes.Buffer
			info, err := c.DownloadExport(ctx, formID, format, "", func(*laptop.ExportInfo) (io.Writer, error) { return &got, nil })
			if !errors.Is(err, laptop.ErrCutShort) {
				t.Fatalf("%s: %v (%+v)\n%s", format, err, info, got.String())
			}
		}
		srv.Close()
		events, err := db.ExportEvents(ctx, formID)
		if err != nil || len(events) != 2 {
			t.Fatalf("%+v %v", events, err)
		}
		for _, e := range events {
			if e.Records != 1 || !strings.Contains(e.Failure, "r-2") || e.FinishedAt.IsZero() {
				t.Errorf("audit row of a failed export: %+v", e)
			}
		}
		if !strings.Contains(logs.String(), "failed after 1 records") {
			t.Errorf("log:\n%s", logs.String())
		}
	})
}
