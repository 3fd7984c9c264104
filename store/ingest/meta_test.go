package ingest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/store"
)

const refsForm = `| survey |
| | type      | name   | label | calculation                  | constraint |
| | integer   | visit  | Visit |                              | ${last-saved#visit} = '' or . > ${last-saved#visit} |
| | calculate | ref    |       | ${instanceID}                |            |
| | calculate | before |       | ${last-saved#visit}          |            |
| settings |
| | form_id | version |
| | refs    | 1       |
`

// An imported record is checked with the id it is stored under, so what
// reads ${instanceID} is stored worked out, and with the record saved last
// on the laptop when the import began as its last saved record.
func TestImportReadsInstanceIDAndLastSaved(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "fb.db"), store.WithCollector("王芳"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AddForm(ctx, "refs.md", []byte(refsForm)); err != nil {
		t.Fatal(err)
	}
	form, err := db.Form(ctx, "refs", "1")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.InsertFinalized(ctx, "refs", "1", "k", []byte(`{"visit":"5"}`)); err != nil {
		t.Fatal(err)
	}
	last, err := db.LastSaved(ctx, "refs", "")
	if err != nil || last["visit"] != "5" {
		t.Fatalf("LastSaved: %v %v", last, err)
	}
	bulk, err := db.Bulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var lines []Line
	_, err = Run(ctx, strings.NewReader("{\"visit\":\"6\"}\n{\"visit\":\"4\"}\n"), Options{Form: form, FormID: "refs", Version: "1",
		Name: "refs.jsonl", Language: "en", Bulk: bulk, LastSaved: last, Line: func(l Line) { lines = append(lines, l) }})
	bulk.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 || lines[0].Outcome != Stored || lines[1].Outcome != Rejected {
		t.Fatalf("visit 6 stored, visit 4 refused after a saved visit 5: %+v", lines)
	}
	recs, err := db.Records(ctx, store.Filter{FormID: "refs"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		full, _ := db.Record(ctx, r.ID)
		if strings.Contains(string(full.Data), `"visit":"6"`) &&
			(!strings.Contains(string(full.Data), `"ref":"uuid:`+r.ID+`"`) || !strings.Contains(string(full.Data), `"before":"5"`)) {
			t.Errorf("the imported record %s: %s", r.ID, full.Data)
		}
	}
}
