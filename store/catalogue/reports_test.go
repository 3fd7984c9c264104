package catalogue

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

func TestCountsAndRecords(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		if _, err := db.Publish(ctx, "f.md", mdForm("f", "1", "Head"), []string{"110105"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Publish(ctx, "household_visit.xlsx", household(t), []string{"110105002"}); err != nil {
			t.Fatal(err)
		}
		dev2 := enrol(t, db, "110105002", "laptop-2")
		other := rec("f1", "f1v1", "", "甲")
		other.FormID, other.FormVersion = "f", "1"
		send(t, db, dev, batch("b1", dev, rec("r1", "v1", "", "张三"), rec("r2", "v2", "", "李四"), other))
		send(t, db, dev2, batch("b1", dev2, rec("r3", "v3", "", "王五")))
		send(t, db, dev, batch("b2", dev,
			rec("r1", "v1b", "v1", "张三丰"), // accepted edit: r1's data changes
			rec("r2", "v2b", "v9", "李四光"), // stale edit: r2 in conflict, head stays
		))

		counts, err := db.RecordCounts(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		want := []Count{
			{Township: township, FormID: "f", Version: "1", State: "accepted", N: 1},
			{Township: township, FormID: formID, Version: formVer, State: "accepted", N: 1},
			{Township: township, FormID: formID, Version: formVer, State: "conflict", N: 1},
			{Township: "110105002", FormID: formID, Version: formVer, State: "accepted", N: 1},
		}
		if !reflect.DeepEqual(counts, want) {
			t.Fatalf("counts\n%+v\nwant\n%+v", counts, want)
		}
		counts, err = db.RecordCounts(ctx, "f")
		if err != nil || len(counts) != 1 || counts[0].FormID != "f" {
			t.Fatalf("counts of f: %+v %v", counts, err)
		}
		if counts, err := db.RecordCounts(ctx, "nope"); err != nil || len(counts) != 0 {
			t.Fatalf("counts of an unknown form: %+v %v", counts, err)
		}

		type row struct{ id, data string }
		var got []row
		err = db.Records(ctx, formID, true, func(id string, data []byte) error {
			got = append(got, row{id, string(data)})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		wantRows := []row{
			{"r1", `{"head_name":"张三丰"}`},
			{"r2", `{"head_name":"李四"}`},
			{"r3", `{"head_name":"王五"}`},
		}
		if !reflect.DeepEqual(got, wantRows) {
			t.Fatalf("records\n%v\nwant\n%v", got, wantRows)
		}
		n := 0
		if err := db.Records(ctx, "", true, func(string, []byte) error { n++; return nil }); err != nil || n != 4 {
			t.Fatalf("all records: %d %v", n, err)
		}
		stop := errors.New("stop")
		n = 0
		err = db.Records(ctx, formID, true, func(string, []byte) error { n++; return stop })
		if !errors.Is(err, stop) || n != 1 {
			t.Fatalf("yield's error: %v after %d", err, n)
		}
	})
}
