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
// entities a page, from a fixed list ordered by seq, of one list when
// asked so, with the property sets of sets; failAt, when > 0, cuts the
// connection of every request asking since failAt (of failList only,
// when set). asked and askedList are the since of each request for every
// list and for one; onAsk, when set, runs before each answer.
type entityCatalogue struct {
	mu        sync.Mutex
	all       []wire.Entity
	pageSize  int
	failAt    int64
	failList  string
	asked     []int64
	askedList []int64
	sets      map[string]string
	onAsk     func(since int64, list string)
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
	list := r.URL.Query().Get("list")
	ec.mu.Lock()
	defer ec.mu.Unlock()
	if ec.onAsk != nil {
		ec.onAsk(since, list)
	}
	if list == "" {
		ec.asked = append(ec.asked, since)
	} else {
		ec.askedList = append(ec.askedList, since)
	}
	fail := ec.failAt > 0 && since == ec.failAt && (ec.failList == "" || ec.failList == list)
	if fail {
		// The link drops mid-answer.
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
		return
	}
	page := wire.EntityPage{Next: since, PropertySets: ec.sets}
	if list != "" {
		page.PropertySets = map[string]string{list: ec.sets[list]}
	}
	last := int64(0)
	for _, e := range ec.all {
		if list != "" && e.List != list {
			continue
		}
		last = e.Seq
		if e.Seq > since && len(page.Entities) < ec.pageSize {
			page.Entities = append(page.Entities, e)
			page.Next = e.Seq
		}
	}
	page.More = page.Next < last
	json.NewEncoder(w).Encode(page)
}

// serveEntities serves ec and opens a new laptop database, with a client
// of ec that tries each request once.
func serveEntities(t *testing.T, ec *entityCatalogue) (*store.DB, *Client) {
	t.Helper()
	srv := httptest.NewServer(ec)
	t.Cleanup(srv.Close)
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, &Client{BaseURL: srv.URL, Token: "tok", MaxAttempts: 1, Sleep: func(context.Context, time.Duration) error { return nil }}
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
	db, c := serveEntities(t, ec)
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
	db, c := serveEntities(t, ec)
	if err := pullEntities(ctx, db, c, &Summary{}); err != nil {
		t.Fatal(err)
	}
	lists, err := db.EntityLists(ctx)
	if err != nil || len(lists) != 1 || lists[0].Count != 3 || lists[0].ToVisit != 1 {
		t.Fatalf("lists: %+v %v", lists, err)
	}
}

// A list whose property set changed is downloaded again whole, before the
// page that said so is stored: a cut refetch resumes where it stopped,
// and one whose set changes again meanwhile starts again under the new
// set. Other lists are not downloaded again.
func TestPullEntitiesRefetchesAListWhoseSetChanged(t *testing.T) {
	ctx := context.Background()
	ec := &entityCatalogue{pageSize: 2, sets: map[string]string{"households": "A", "people": "P"}}
	for i := int64(1); i <= 3; i++ {
		ec.all = append(ec.all, wire.Entity{List: "households", ID: "h" + strconv.FormatInt(i, 10), Version: 1, Seq: i,
			Properties: map[string]string{"size": "3"}})
	}
	ec.all = append(ec.all, wire.Entity{List: "people", ID: "p1", Version: 1, Seq: 4})
	db, c := serveEntities(t, ec)
	if err := pullEntities(ctx, db, c, &Summary{}); err != nil {
		t.Fatal(err)
	}
	if len(ec.askedList) != 0 {
		t.Fatalf("the first download asked for lists again: %v", ec.askedList)
	}

	// A form reading the phone is published; the refetch is cut after
	// its first page.
	ec.mu.Lock()
	ec.sets = map[string]string{"households": "B", "people": "P"}
	for i := range 3 {
		ec.all[i].Properties = map[string]string{"size": "3", "phone": "138****0000"}
	}
	ec.failAt, ec.failList = 2, "households"
	ec.mu.Unlock()
	if err := pullEntities(ctx, db, c, &Summary{}); err == nil {
		t.Fatal("a cut refetch went unnoticed")
	}
	if since, _ := db.EntityRefetch(ctx, "households", "B"); since != 2 {
		t.Fatalf("the cut refetch stands at %d, want 2", since)
	}
	ec.mu.Lock()
	ec.failAt, ec.asked, ec.askedList = 0, nil, nil
	ec.mu.Unlock()
	sum := &Summary{}
	if err := pullEntities(ctx, db, c, sum); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ec.askedList, []int64{2}) || !reflect.DeepEqual(ec.asked, []int64{4}) || sum.Entities != 1 {
		t.Errorf("resumed: asked %v of households, %v of all, %d entities", ec.askedList, ec.asked, sum.Entities)
	}
	ents, _ := db.Entities(ctx, "households")
	for _, e := range ents {
		if e.Properties["phone"] == "" {
			t.Errorf("%s lacks the phone after the refetch: %+v", e.ID, e)
		}
	}
	if sets, _ := db.EntityPropertySets(ctx); sets["households"] != "B" || sets["people"] != "P" {
		t.Errorf("sets %v", sets)
	}

	// Another form, and one more while the refetch is under way.
	ec.mu.Lock()
	ec.sets = map[string]string{"households": "C", "people": "P"}
	ec.asked, ec.askedList = nil, nil
	ec.onAsk = func(since int64, list string) {
		if list == "households" && since == 2 && ec.sets["households"] == "C" {
			ec.sets = map[string]string{"households": "D", "people": "P"}
		}
	}
	ec.mu.Unlock()
	if err := pullEntities(ctx, db, c, &Summary{}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ec.askedList, []int64{0, 2, 0, 2}) || !reflect.DeepEqual(ec.asked, []int64{4, 4}) {
		t.Errorf("asked %v of households, %v of all; want the refetch started again under the new set, and the page asked again", ec.askedList, ec.asked)
	}
	if sets, _ := db.EntityPropertySets(ctx); sets["households"] != "D" {
		t.Errorf("sets %v", sets)
	}
}
