package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/fieldbench/fieldbench/store/catalogue/pgtest"
)

// mirror sends every batch upload to two servers at the same moment and
// answers with one of the two (taking turns); other requests go to the
// servers in turn. Two catalogues racing on every batch is the worst a
// pair of servers behind a load balancer can see: a laptop's retry
// landing on the other server while the first still works on it.
type mirror struct {
	servers [2]string
	turn    atomic.Int64

	mu        sync.Mutex
	batches   int
	different []string // batches whose two answers differed
}

func (m *mirror) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	first := int(m.turn.Add(1) % 2)
	if r.Method != http.MethodPost || r.URL.Path != "/v1/batches" {
		resp, data := m.forward(r, m.servers[first], body)
		m.answer(w, resp, data)
		return
	}
	type answer struct {
		resp *http.Response
		data []byte
	}
	var got [2]answer
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i].resp, got[i].data = m.forward(r, m.servers[i], body)
		}()
	}
	wg.Wait()
	m.mu.Lock()
	m.batches++
	if got[0].resp == nil || got[1].resp == nil || got[0].resp.StatusCode != got[1].resp.StatusCode || !bytes.Equal(got[0].data, got[1].data) {
		m.different = append(m.different, r.Header.Get("Idempotency-Key"))
	}
	m.mu.Unlock()
	m.answer(w, got[first].resp, got[first].data)
}

func (m *mirror) forward(r *http.Request, base string, body []byte) (*http.Response, []byte) {
	req, _ := http.NewRequestWithContext(r.Context(), r.Method, base+r.URL.RequestURI(), bytes.NewReader(body))
	req.Header = r.Header.Clone()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, nil
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, data
}

func (m *mirror) answer(w http.ResponseWriter, resp *http.Response, data []byte) {
	if resp == nil {
		http.Error(w, "upstream failed", http.StatusBadGateway)
		return
	}
	for k, v := range resp.Header {
		if k != "Content-Length" {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(data)
}

// TestTwoServersOnePostgres: two `fieldbench serve` processes share one
// PostgreSQL database, 50 laptops of 1,000 records (a batch each) sync at once, and every
// batch reaches both servers at the same moment. The catalogue ends with
// exactly 50,000 records, one version each, and both servers gave the
// same receipt for every batch.
func TestTwoServersOnePostgres(t *testing.T) {
	t.Parallel()
	const laptops, each = 50, 1000
	where := pgWhere(t, pgtest.DSN(t))
	bin := buildBinary(t)
	publishHousehold(t, bin, where)
	_, urlA := serveProcess(t, bin, where)
	_, urlB := serveProcess(t, bin, where)
	m := &mirror{servers: [2]string{urlA, urlB}}
	front := httptest.NewServer(m)
	defer front.Close()

	dbs, clients := newLaptops(t, bin, where, front.URL, laptops, each)
	syncAll(t, dbs, clients, each)

	if len(m.different) > 0 {
		t.Errorf("the two servers answered %d of %d batches differently: %v", len(m.different), m.batches, m.different[:min(5, len(m.different))])
	}
	if m.batches < laptops {
		t.Fatalf("only %d batches went through the mirror", m.batches)
	}
	cat := openCatalogueAt(t, where)
	total := 0
	counts, err := cat.RecordCounts(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range counts {
		if c.State != "accepted" {
			t.Errorf("%d records in state %s", c.N, c.State)
		}
		total += c.N
	}
	if total != laptops*each {
		t.Fatalf("the catalogue holds %d records, want %d", total, laptops*each)
	}
	raw, err := sql.Open("pgx", where[1])
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var versions, batches int
	raw.QueryRow(`SELECT (SELECT count(*) FROM versions), (SELECT count(*) FROM batches)`).Scan(&versions, &batches)
	if versions != laptops*each || batches != m.batches {
		t.Fatalf("%d versions and %d batches stored, want %d and %d", versions, batches, laptops*each, m.batches)
	}
	out, err := inEnglish(exec.Command(bin, append([]string{"catalogue", "records"}, where...)...)).Output()
	if err != nil || !strings.Contains(string(out), fmt.Sprintf("%d records", laptops*each)) {
		t.Fatalf("catalogue records:\n%s %v", out, err)
	}
}
