package catalogue

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/store/catalogue/pgtest"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// reviewers adds a reviewer of the record's county, one of another
// county and a reader of the same county.
func reviewers(t testing.TB, db *DB) (mine, other, reader *wire.User) {
	t.Helper()
	ctx := context.Background()
	var err error
	if mine, _, err = db.AddUser(ctx, "李审核", wire.RoleReviewer, "110105", false); err != nil {
		t.Fatal(err)
	}
	if other, _, err = db.AddUser(ctx, "海淀审核", wire.RoleReviewer, "110108", false); err != nil {
		t.Fatal(err)
	}
	if reader, _, err = db.AddUser(ctx, "读者", wire.RoleReader, "110105", false); err != nil {
		t.Fatal(err)
	}
	return mine, other, reader
}

func reviewCounts(t testing.TB, db *DB) (current, history int) {
	t.Helper()
	return query[int](t, db, `SELECT count(*) FROM reviews`), query[int](t, db, `SELECT count(*) FROM review_history`)
}

// Every refused review says why and stores nothing; an accepted one is
// kept with who and when, every change in the history; the same review
// again (a retry) changes nothing.
func TestSetReviewRules(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		send(t, db, dev, batch("b1", dev, rec("r1", "v1", "", "张三"), rec("r2", "v2", "", "李四")))
		mine, other, reader := reviewers(t, db)
		long := strings.Repeat("长", wire.MaxCommentRunes+1)
		for _, c := range []struct {
			name   string
			u      *wire.User
			record string
			req    wire.ReviewRequest
			want   error
			says   string
		}{
			{"a reader", reader, "r1", wire.ReviewRequest{State: "approved"}, wire.ErrForbidden, "only a reviewer"},
			{"no user", nil, "r1", wire.ReviewRequest{State: "approved"}, wire.ErrForbidden, "only a reviewer"},
			{"another county", other, "r1", wire.ReviewRequest{State: "approved"}, wire.ErrNotFound, "record r1"},
			{"no such record", mine, "r9", wire.ReviewRequest{State: "approved"}, wire.ErrNotFound, "record r9"},
			{"another record's version", mine, "r1", wire.ReviewRequest{VersionID: "v2", State: "approved"}, wire.ErrNotFound, "version v2 of record r1"},
			{"no such version", mine, "r1", wire.ReviewRequest{VersionID: "v7", State: "approved"}, wire.ErrNotFound, "version v7"},
			{"no such state", mine, "r1", wire.ReviewRequest{State: "fine"}, wire.ErrInvalid, `state "fine"`},
			{"pending is no review", mine, "r1", wire.ReviewRequest{State: "pending"}, wire.ErrInvalid, `state "pending"`},
			{"rejected without a comment", mine, "r1", wire.ReviewRequest{State: "rejected", Comment: " \n\x1b[2J "}, wire.ErrInvalid, "comment must say what to correct"},
			{"rejected with invisible characters only", mine, "r1", wire.ReviewRequest{State: "rejected", Comment: "\u200b\u3000\u00a0\ufeff\u2060\u200d\u202e\u3164\u00ad\ufe0f\u2800\U000e0020"}, wire.ErrInvalid, "invisible characters"},
			{"a comment too long", mine, "r1", wire.ReviewRequest{State: "has-issues", Comment: long}, wire.ErrInvalid, "longer than"},
		} {
			_, err := db.SetReview(ctx, c.u, c.record, c.req)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("%s: %v, want %v saying %q", c.name, err, c.want, c.says)
			}
		}
		if cur, hist := reviewCounts(t, db); cur != 0 || hist != 0 {
			t.Fatalf("refused reviews stored %d reviews, %d history rows", cur, hist)
		}

		first, err := db.SetReview(ctx, mine, "r1", wire.ReviewRequest{State: "has-issues", Comment: "住址不全"})
		if err != nil {
			t.Fatal(err)
		}
		if first.VersionID != "v1" || first.State != wire.ReviewHasIssues || first.Reviewer != "李审核" || first.ReviewerID != mine.ID || first.At == "" {
			t.Fatalf("first review: %+v", first)
		}
		second, err := db.SetReview(ctx, mine, "r1", wire.ReviewRequest{VersionID: "v1", State: "rejected", Comment: "户主电话号码有误\x1b]0;x\x07，请核实"})
		if err != nil {
			t.Fatal(err)
		}
		if second.Comment != "户主电话号码有误，请核实" || second.ID == first.ID {
			t.Fatalf("second review: %+v", second)
		}
		again, err := db.SetReview(ctx, mine, "r1", wire.ReviewRequest{State: "rejected", Comment: "户主电话号码有误，请核实"})
		if err != nil || again.ID != second.ID {
			t.Fatalf("the same review again: %+v %v", again, err)
		}
		if cur, hist := reviewCounts(t, db); cur != 1 || hist != 2 {
			t.Fatalf("%d reviews, %d history rows; want 1 and 2", cur, hist)
		}
		rv, err := db.ReviewRecord(ctx, mine, "r1", wire.ReviewView{})
		if err != nil {
			t.Fatal(err)
		}
		v := rv.Versions[0]
		if len(rv.Versions) != 1 || v.Review == nil || v.Review.ID != second.ID || len(v.History) != 2 ||
			v.History[0].State != wire.ReviewHasIssues || v.History[1].State != wire.ReviewRejected || v.History[0].Reviewer != "李审核" {
			t.Fatalf("record r1: %+v", rv)
		}
		// A record of another county is answered as one that does not
		// exist: the same error, word for word, naming no township.
		_, outside := db.ReviewRecord(ctx, other, "r1", wire.ReviewView{})
		_, unknown := db.ReviewRecord(ctx, mine, "r1x", wire.ReviewView{})
		if !errors.Is(outside, wire.ErrNotFound) || strings.ReplaceAll(outside.Error(), "r1", "r1x") != unknown.Error() || strings.Contains(outside.Error(), "110105") {
			t.Errorf("a reviewer of another county read r1: %v (an unknown record: %v)", outside, unknown)
		}
		if _, err := db.ReviewRecord(ctx, reader, "r1", wire.ReviewView{}); !errors.Is(err, wire.ErrForbidden) {
			t.Errorf("a reader read r1: %v", err)
		}
	})
}

// The round trip on the catalogue: a rejected latest version goes back to
// the device that sent it; the correction is a new version that starts
// unreviewed, the rejected one keeps its review, and the return is gone.
func TestReviewReturnAndCorrection(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		dev2 := enrol(t, db, township, "laptop-2")
		send(t, db, dev, batch("b1", dev, rec("r1", "v1", "", "张三"), rec("r2", "v2", "", "李四")))
		send(t, db, dev2, batch("b1", dev2, rec("r3", "v3", "", "王五")))
		mine, _, _ := reviewers(t, db)
		if _, err := db.SetReview(ctx, mine, "r1", wire.ReviewRequest{State: "rejected", Comment: "请核实户主姓名"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetReview(ctx, mine, "r2", wire.ReviewRequest{State: "approved"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetReview(ctx, mine, "r3", wire.ReviewRequest{State: "rejected", Comment: "另一台的"}); err != nil {
			t.Fatal(err)
		}
		rs, err := db.Returns(ctx, dev)
		if err != nil || len(rs) != 1 || rs[0].RecordID != "r1" || rs[0].VersionID != "v1" || rs[0].Comment != "请核实户主姓名" || rs[0].Reviewer != "李审核" || rs[0].ReviewID == "" {
			t.Fatalf("returns of laptop-1: %+v %v", rs, err)
		}
		if rs, _ := db.Returns(ctx, dev2); len(rs) != 1 || rs[0].RecordID != "r3" {
			t.Fatalf("returns of laptop-2: %+v", rs)
		}

		// The correction replaces the rejected version.
		if got := statuses(send(t, db, dev, batch("b2", dev, rec("r1", "v1b", "v1", "张三丰")))); got[0] != wire.StatusAccepted {
			t.Fatalf("the correction: %v", got)
		}
		if rs, _ := db.Returns(ctx, dev); len(rs) != 0 {
			t.Fatalf("the return outlived its correction: %+v", rs)
		}
		rv, err := db.ReviewRecord(ctx, mine, "r1", wire.ReviewView{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rv.Versions) != 2 || rv.Head != "v1b" || rv.Versions[0].VersionID != "v1" || rv.Versions[1].Replaces != "v1" {
			t.Fatalf("versions of r1: %+v", rv)
		}
		old, fix := rv.Versions[0], rv.Versions[1]
		if old.Review == nil || old.Review.State != wire.ReviewRejected || len(old.History) != 1 {
			t.Errorf("the old version lost its review: %+v", old)
		}
		// The reviewer has no clearance: the name comes masked, its change
		// named all the same.
		if fix.Review != nil || len(fix.History) != 0 || string(fix.Data) != `{"head_name":"张**"}` || len(fix.Changed) != 1 || fix.Changed[0] != "head_name" ||
			fix.DeviceID != dev.ID || fix.ReceivedAt == "" {
			t.Errorf("the correction: %+v", fix)
		}
		pending, err := db.ReviewList(ctx, mine, wire.ReviewFilter{State: wire.ReviewPending})
		if err != nil || len(pending.Records) != 1 || pending.Records[0].RecordID != "r1" || pending.Records[0].Versions != 2 || pending.Records[0].Head != "v1b" {
			t.Fatalf("pending after the correction: %+v %v", pending, err)
		}
	})
}

// Listings: filtered by the latest version's state and form, scoped to the
// reviewer's county, paged in the order records arrived.
func TestReviewList(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db, dev := newDB(t, w)
		var recs []wire.Record
		for i := 0; i < 5; i++ {
			recs = append(recs, rec(fmt.Sprintf("r%d", i), fmt.Sprintf("v%d", i), "", fmt.Sprintf("户主%d", i)))
		}
		send(t, db, dev, batch("b1", dev, recs[:3]...))
		send(t, db, dev, batch("b2", dev, recs[3:]...))
		mine, other, reader := reviewers(t, db)
		for id, st := range map[string]string{"r1": "approved", "r3": "rejected"} {
			if _, err := db.SetReview(ctx, mine, id, wire.ReviewRequest{State: st, Comment: "看过"}); err != nil {
				t.Fatal(err)
			}
		}
		ids := func(p *wire.ReviewPage) string {
			var out []string
			for _, r := range p.Records {
				out = append(out, r.RecordID+":"+r.State)
			}
			return strings.Join(out, " ")
		}
		for _, c := range []struct {
			f    wire.ReviewFilter
			want string
		}{
			{wire.ReviewFilter{}, "r0:pending r1:approved r2:pending r3:rejected r4:pending"},
			{wire.ReviewFilter{State: wire.ReviewPending}, "r0:pending r2:pending r4:pending"},
			{wire.ReviewFilter{State: wire.ReviewRejected}, "r3:rejected"},
			{wire.ReviewFilter{FormID: "business_census"}, ""},
			{wire.ReviewFilter{FormID: formID, State: wire.ReviewApproved}, "r1:approved"},
		} {
			p, err := db.ReviewList(ctx, mine, c.f)
			if err != nil || ids(p) != c.want || p.Next != "" {
				t.Errorf("%+v: %q (next %q) %v, want %q", c.f, ids(p), p.Next, err, c.want)
			}
		}
		got := ""
		f := wire.ReviewFilter{Limit: 2}
		pages := 0
		for {
			p, err := db.ReviewList(ctx, mine, f)
			if err != nil {
				t.Fatal(err)
			}
			got += ids(p) + "|"
			pages++
			if p.Next == "" || pages > 5 {
				break
			}
			f.After = p.Next
		}
		if got != "r0:pending r1:approved|r2:pending r3:rejected|r4:pending|" {
			t.Errorf("pages: %s", got)
		}
		p, err := db.ReviewList(ctx, other, wire.ReviewFilter{})
		if err != nil || len(p.Records) != 0 {
			t.Errorf("another county sees %+v %v", p, err)
		}
		for _, f := range []wire.ReviewFilter{{After: "x"}, {After: "1"}, {State: "done"}, {Limit: -1}, {Limit: wire.MaxReviewPage + 1}} {
			if _, err := db.ReviewList(ctx, mine, f); !errors.Is(err, wire.ErrInvalid) {
				t.Errorf("%+v: %v", f, err)
			}
		}
		if _, err := db.ReviewList(ctx, reader, wire.ReviewFilter{}); !errors.Is(err, wire.ErrForbidden) {
			t.Errorf("a reader listed: %v", err)
		}
		it := mustItem(t, db, mine, "r3")
		if it.Comment != "看过" || it.Reviewer != "李审核" || it.ReviewedAt == "" || it.Collector != "王芳" || it.Township != township || it.Versions != 1 {
			t.Errorf("item r3: %+v", it)
		}
	})
}

func mustItem(t *testing.T, db *DB, u *wire.User, id string) wire.ReviewItem {
	t.Helper()
	p, err := db.ReviewList(context.Background(), u, wire.ReviewFilter{Limit: wire.MaxReviewPage})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range p.Records {
		if r.RecordID == id {
			return r
		}
	}
	t.Fatalf("record %s not listed", id)
	return wire.ReviewItem{}
}

// FuzzParseCursor: a listing's cursor reads back what it was made of, and
// nothing else reads as one without its two numbers.
func FuzzParseCursor(f *testing.F) {
	for _, s := range []string{"1.0", "12.345", "", ".", "1.", "x.1", "-1.-1", "9223372036854775807.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		seq, pos, ok := parseCursor(s)
		if !ok {
			return
		}
		if again, p2, ok2 := parseCursor(fmt.Sprintf("%d.%d", seq, pos)); !ok2 || again != seq || p2 != pos {
			t.Fatalf("%q read as %d.%d, which reads back as %d.%d", s, seq, pos, again, p2)
		}
	})
}

// BenchmarkReturns is the catalogue's share of every sync's fetch of its
// returns: 2,000 records of the device, 2 % of them rejected.
//
//	go test ./store/catalogue -run NONE -bench Returns
func BenchmarkReturns(b *testing.B) {
	for _, be := range []string{"sqlite", "postgres"} {
		b.Run(be, func(b *testing.B) {
			w := where{dir: b.TempDir()}
			if be == "postgres" {
				w = where{dsn: pgtest.DSN(b)}
			}
			ctx := context.Background()
			db, dev := newDB(b, w)
			mine, _, _ := reviewers(b, db)
			var recs []wire.Record
			for i := 0; i < 2000; i++ {
				recs = append(recs, rec(fmt.Sprintf("r%d", i), fmt.Sprintf("v%d", i), "", fmt.Sprintf("户主%d", i)))
			}
			send(b, db, dev, batch("b1", dev, recs...))
			for i := 0; i < 2000; i += 50 {
				if _, err := db.SetReview(ctx, mine, fmt.Sprintf("r%d", i), wire.ReviewRequest{State: "rejected", Comment: "请核实"}); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rs, err := db.Returns(ctx, dev)
				if err != nil || len(rs) != 40 {
					b.Fatalf("%d returns, %v", len(rs), err)
				}
			}
		})
	}
}
