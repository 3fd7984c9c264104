package laptop

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// entityCatalogue serves GET /v1/entities as a catalogue does, pageSize
// entities a page, from a fixed list ordered by seq; failAt, when > 0,
// cuts the connection of every request asking since failAt.
type entityCatalogue struct {
	mu       sync.Mutex
	all      []wire.Entity
	pageSize int
	failAt   int64
	asked    []int64
}

func (ec *entityCatalogue) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(wire.ProtocolHeader, wire.ProtocolVersion)
	if r.URL.Path != wire.EntitiesPath || r.Header.Get("Authorization") != "Bearer tok" {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	since, err := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	ec.mu.Lock()
	ec.asked = append(ec.asked, since)
	fail := ec.failAt > 0 && since == ec.failAt
	ec.mu.Unlock()
	if fail {
		// The link drops mid-answer.
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
		return
	}
	page := wire.EntityPage{Next: since}
	for _, e := range ec.all {
		if e.Seq > since && len(page.Entities) < ec.pageSize {
			page.Entities = append(page.Entities, e)
			page.Next = e.Seq
		}
	}
	page.More = len(ec.all) > 0 && page.Next < ec.all[len(ec.all)-1].Seq
	json.NewEncoder(w).Encode(page)
}

func TestPullEntitiesResumesAfterACut(t *testing.T) {
	ctx := context.Background()
	ec := &entityCatalogue{pageSize: 2}
	for i := int64(1); i <= 5; i++ {
		ec.all = append(ec.all, wire.Entity{List: "households", ID: "e" + strconv.FormatInt(i, 10), Label: "户" + strconv.FormatInt(i, 10),
			Version: 1, Township: "420106001", Properties: map[string]string{"size": strconv.FormatInt(i, 10)}, Seq: i * 10 / 5})
	}
	// Seqs 2, 4, 6, 8, 10: pages end at 4, 8 and 10.
	ec.failAt = 4
	srv := httptest.NewServer(ec)
	defer srv.Close()
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := &Client{BaseURL: srv.URL, Token: "tok", MaxAttempts: 1, Sleep: func(context.Context, time.Duration) error { return nil }}
	sum := &Summary{}
	if err := pullEntities(ctx, db, c, sum); err == nil {
		t.Fatal("a cut connection went unnoticed")
	}
	if since, _ := db.EntitiesSince(ctx); since != 4 || sum.Entities != 2 {
		t.Fatalf("after the cut: cursor %d, %d entities; want 4 and 2", since, sum.Entities)
	}
	ec.failAt, ec.asked = 0, nil // the link is back
	sum = &Summary{}
	if err := pullEntities(ctx, db, c, sum); err != nil {
		t.Fatal(err)
	}
	if want := []int64{4, 8}; !reflect.DeepEqual(ec.asked, want) {
		t.Errorf("asked since %v, want %v", ec.asked, want)
	}
	if since, _ := db.EntitiesSince(ctx); since != 10 || sum.Entities != 3 {
		t.Errorf("after the resumed download: cursor %d, %d entities; want 10 and 3", since, sum.Entities)
	}
	got, err := db.Entities(ctx, "households")
	if err != nil || len(got) != 5 {
		t.Fatalf("%d entities, %v", len(got), err)
	}
	if e := got[2]; e.ID != "e3" || e.Properties["size"] != "3" || e.Township != "420106001" || e.Seq != 6 || e.Local {
		t.Errorf("e3 stored as %+v", e)
	}
	// Nothing new: one request, nothing stored.
	ec.asked = nil
	if err := pullEntities(ctx, db, c, &Summary{}); err != nil || !reflect.DeepEqual(ec.asked, []int64{10}) {
		t.Errorf("an up-to-date laptop asked %v: %v", ec.asked, err)
	}
}

// A catalogue whose pages say there is more but never move on would keep
// the laptop asking for ever.
func TestPullEntitiesRefusesAStuckCursor(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(wire.ProtocolHeader, wire.ProtocolVersion)
		json.NewEncoder(w).Encode(wire.EntityPage{Next: 0, More: true})
	}))
	defer srv.Close()
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := &Client{BaseURL: srv.URL, MaxAttempts: 1}
	if err := pullEntities(context.Background(), db, c, &Summary{}); err == nil {
		t.Fatal("a page that does not move the cursor was taken")
	}
}

// A catalogue from before entity lists answers 404: the sync goes on,
// with nothing downloaded and the cursor where it was.
func TestPullEntitiesFromAnOlderCatalogue(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(wire.ProtocolHeader, wire.ProtocolVersion)
		w.WriteHeader(http.StatusNotFound)
	}))
	defer srv.Close()
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.ApplyDownloaded(ctx, nil, 7); err != nil {
		t.Fatal(err)
	}
	sum := &Summary{}
	if err := pullEntities(ctx, db, &Client{BaseURL: srv.URL, MaxAttempts: 1}, sum); err != nil || sum.Entities != 0 {
		t.Fatalf("%v, %d entities", err, sum.Entities)
	}
	if since, _ := db.EntitiesSince(ctx); since != 7 {
		t.Fatalf("the cursor moved to %d", since)
	}
}

// Preloaded visits assigned to a collector come down as to visit (Home's
// 待走访) until a record has visited them; one for the whole township, or
// already visited, does not.
func TestPullEntitiesMarksVisitsToMake(t *testing.T) {
	ctx := context.Background()
	ec := &entityCatalogue{pageSize: 10, all: []wire.Entity{
		{List: "visits", ID: "a", Label: "张家", Version: 1, AssignedTo: "王芳", Seq: 1},
		{List: "visits", ID: "b", Label: "李家", Version: 2, AssignedTo: "王芳", Seq: 2},
		{List: "visits", ID: "c", Label: "赵家", Version: 1, Seq: 3},
	}}
	srv := httptest.NewServer(ec)
	defer srv.Close()
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := &Client{BaseURL: srv.URL, Token: "tok", MaxAttempts: 1}
	if err := pullEntities(ctx, db, c, &Summary{}); err != nil {
		t.Fatal(err)
	}
	lists, err := db.EntityLists(ctx)
	if err != nil || len(lists) != 1 || lists[0].Count != 3 || lists[0].ToVisit != 1 {
		t.Fatalf("lists: %+v %v", lists, err)
	}
}
