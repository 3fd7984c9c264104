package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// checkRe finds the records table's list of states in its stored SQL.
var checkRe = regexp.MustCompile(`CHECK\s*\(\s*state\s+IN\s*\(([^)]*)\)\s*\)`)

// The records table's CHECK constraint, as the database holds it after
// every schema step (step 4 widened it in place), names exactly States:
// a state added to one and not the other fails here rather than at a
// collector's first record in it. And SQLite enforces that list, not an
// older one it had cached.
func TestSchemaCheckListsStates(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	var ddl string
	if err := db.sql.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'records'`).Scan(&ddl); err != nil {
		t.Fatal(err)
	}
	m := checkRe.FindAllStringSubmatch(ddl, -1)
	if len(m) != 1 {
		t.Fatalf("want one CHECK (state IN (...)) in the records table, found %d:\n%s", len(m), ddl)
	}
	var inSQL []State
	for _, q := range strings.Split(m[0][1], ",") {
		q = strings.TrimSpace(q)
		if len(q) < 2 || q[0] != '\'' || q[len(q)-1] != '\'' {
			t.Fatalf("not a quoted state in the CHECK: %q", q)
		}
		inSQL = append(inSQL, State(q[1:len(q)-1]))
	}
	want := slices.Clone(States)
	slices.Sort(inSQL)
	slices.Sort(want)
	if !slices.Equal(inSQL, want) {
		t.Fatalf("the records table's CHECK lists %v, store.States %v", inSQL, want)
	}

	id, err := db.NewDraft(ctx, "household", "1")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, s := range append(slices.Clone(States), "archived") {
		_, err := tx.ExecContext(ctx, `UPDATE records SET state = ? WHERE id = ?`, string(s), id)
		if known := slices.Contains(States, s); (err == nil) != known {
			t.Errorf("setting state %q: %v (a known state: %v)", s, err, known)
		}
	}
}

// checkPredicate holds a predicate to the states it should be true of,
// which must all be in States.
func checkPredicate(t *testing.T, pred func(State) bool, want ...State) {
	t.Helper()
	for _, s := range want {
		if !slices.Contains(States, s) {
			t.Errorf("%q is not in States", s)
		}
	}
	for _, s := range States {
		if got := pred(s); got != slices.Contains(want, s) {
			t.Errorf("%s: %v, want %v", s, got, !got)
		}
	}
}

// Each state is in exactly one of Home's four counts: drafts, waiting for
// sync, sent, needing attention; so those add up to every record, and a
// new state has to be put in one of them.
func TestStatesAreClassified(t *testing.T) {
	if len(slices.Compact(slices.Clone(States))) != len(States) || len(States) == 0 {
		t.Fatalf("States %v", States)
	}
	for _, s := range States {
		n := 0
		for _, in := range []bool{s == Draft, s.AwaitsSync(), s == Sent, s.NeedsAttention()} {
			if in {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s is in %d of draft, awaits sync, sent and needs attention; want 1", s, n)
		}
	}
}

func TestExportable(t *testing.T) {
	checkPredicate(t, State.Exportable, Finalized, Queued, Sent, Returned)
}

func TestAwaitsSync(t *testing.T) {
	checkPredicate(t, State.AwaitsSync, Finalized, Queued)
}

func TestNeedsAttention(t *testing.T) {
	checkPredicate(t, State.NeedsAttention, Conflict, Rejected, Returned)
}

// A return lands on a record in a Returnable state and on no other; the
// version returned is the record's head throughout, so only the state
// decides.
func TestReturnable(t *testing.T) {
	checkPredicate(t, State.Returnable, Sent, Conflict, Returned)
	ctx := context.Background()
	db := tickingDB(t)
	vs := sentRecords(t, db, len(States))
	for i, s := range States {
		v := vs[i]
		if _, err := db.sql.ExecContext(ctx, `UPDATE records SET state = ? WHERE id = ?`, string(s), v.RecordID); err != nil {
			t.Fatal(err)
		}
		applied, err := db.ApplyReturns(ctx, []Return{{ReviewID: fmt.Sprint("rv-", s), RecordID: v.RecordID,
			VersionID: v.VersionID, Comment: "请核实", Reviewer: "李审核"}})
		if err != nil {
			t.Fatal(err)
		}
		if (len(applied) == 1) != s.Returnable() {
			t.Errorf("a return of a %s record: applied %v, Returnable %v", s, applied, s.Returnable())
		}
	}
}

// Edit takes a record in an Editable state and refuses the others.
func TestEditable(t *testing.T) {
	checkPredicate(t, State.Editable, Finalized, Sent, Conflict, Rejected, Returned)
	ctx := context.Background()
	db := tickingDB(t)
	vs := sentRecords(t, db, len(States))
	for i, s := range States {
		id := vs[i].RecordID
		if _, err := db.sql.ExecContext(ctx, `UPDATE records SET state = ? WHERE id = ?`, string(s), id); err != nil {
			t.Fatal(err)
		}
		_, err := db.Edit(ctx, id, household(fmt.Sprint("改", i), 2))
		var ws *ErrWrongState
		if refused := errors.As(err, &ws); refused == s.Editable() || (!refused && err != nil) {
			t.Errorf("an edit of a %s record: %v, Editable %v", s, err, s.Editable())
		}
	}
}
