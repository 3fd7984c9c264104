package catalogue

import (
	"context"
	"errors"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// A reviewer sees the entity errors of the laptops of the county, with
// the record and the version the update was based on, the entity id
// masked unless a reviewer with clearance asks for it in clear (which is
// recorded); the catalogue page counts them per list, a list that has
// only errors too.
func TestEntityErrorsShownToReviewers(t *testing.T) {
	entityBackends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		const elsewhere = "110106001"
		if _, err := db.Publish(ctx, "household_visit.xlsx", household(t), []string{elsewhere}); err != nil {
			t.Fatal(err)
		}
		devB := enrol(t, db, elsewhere, "laptop-b")
		const idNumber = "110105196805140036"
		send(t, db, dev, batch("b1", dev,
			entRec("r1", "v1", create(hh1, "张三家", nil)),
			entRec("r2", "v2", update(idNumber, 3, map[string]string{"size": "2"}))))
		send(t, db, devB, batch("b1", devB, entRec("r3", "v3", update(hh2, 1, nil)),
			// And one of a list no record created: it has errors alone.
			entRec("r4", "v4", update(hh3, 2, nil), forms.EntityChange{List: "visits", ID: "x", BaseVersion: 1})))

		reviewer, _, err := db.AddUser(ctx, "李审核", wire.RoleReviewer, "110105", false)
		if err != nil {
			t.Fatal(err)
		}
		list, err := db.EntityErrors(ctx, reviewer, wire.ReviewView{})
		if err != nil || len(list) != 1 {
			t.Fatalf("errors of county 110105: %+v %v", list, err)
		}
		want := wire.EntityError{RecordID: "r2", VersionID: "v2", FormID: formID, List: "households", EntityID: "110105********0036",
			BaseVersion: 3, Township: township, DeviceID: dev.ID, Reason: list[0].Reason, At: list[0].At, Masked: true}
		if list[0] != want || list[0].At == "" {
			t.Errorf("got %+v\nwant %+v", list[0], want)
		}
		if _, err := db.EntityErrors(ctx, reviewer, wire.ReviewView{Clear: true}); !errors.Is(err, wire.ErrForbidden) {
			t.Errorf("in clear without clearance: %v", err)
		}
		reader, _, err := db.AddUser(ctx, "读者", wire.RoleReader, "110105", true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.EntityErrors(ctx, reader, wire.ReviewView{}); !errors.Is(err, wire.ErrForbidden) {
			t.Errorf("a reader: %v", err)
		}
		cleared, _, err := db.AddUser(ctx, "王审核", wire.RoleReviewer, "110106", true)
		if err != nil {
			t.Fatal(err)
		}
		list, err = db.EntityErrors(ctx, cleared, wire.ReviewView{Clear: true})
		if err != nil || len(list) != 3 || list[0].EntityID != hh2 || list[0].Masked || list[1].BaseVersion != 2 {
			t.Fatalf("errors of county 110106 in clear: %+v %v", list, err)
		}
		if n := query[int](t, db, `SELECT count(*) FROM export_events WHERE format = 'entities' AND file = 'entity-errors' AND user_id = ?`, cleared.ID); n != 1 {
			t.Errorf("%d clear views recorded", n)
		}

		lists, err := db.EntityLists(ctx)
		if err != nil {
			t.Fatal(err)
		}
		errorsOf := map[string]int{}
		for _, l := range lists {
			errorsOf[l.Name] = l.Errors
		}
		if len(lists) != 2 || errorsOf["households"] != 3 || errorsOf["visits"] != 1 || lists[1].Name != "visits" || lists[1].Townships != nil {
			t.Errorf("the page's lists: %+v", lists)
		}
	})
}
