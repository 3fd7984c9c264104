package catalogue

import (
	"context"
	"errors"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// villageForm asks for a village from an attached list and pulls its
// population.
func villageForm(version string) []byte {
	return []byte(`| survey |
| | type | name | label | calculation |
| | select_one_from_file villages.csv | village | Village | |
| | calculate | pop | | pulldata('villages', 'population', 'name', ${village}) |
| settings |
| | form_id | version |
| | villages | ` + version + ` |
`)
}

func villagesFile(rows string) forms.File {
	return forms.File{Name: "villages.csv", Data: []byte("name,label,population\n" + rows)}
}

func TestPublishAttachments(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db := openDB(t, w)
		// Without its file the form is refused and nothing is kept.
		_, err := db.PublishAttached(ctx, "villages.md", villageForm("1"), nil, []string{township})
		var les forms.LoadErrors
		if !errors.As(err, &les) || les[0].Loc.String() != "villages.md:survey:3:type" {
			t.Fatalf("without villages.csv: %v", err)
		}
		if n := query[int](t, db, `SELECT count(*) FROM forms`); n != 0 {
			t.Fatalf("%d forms stored from a refused publication", n)
		}

		file := villagesFile("v1,大寨,40\nv2,小庄,12\n")
		fi, err := db.PublishAttached(ctx, "villages.md", villageForm("1"), []forms.File{file}, []string{township})
		if err != nil {
			t.Fatal(err)
		}
		want := wire.AttachmentInfo{Name: "villages.csv", Size: int64(len(file.Data)), SHA256: hashHex(file.Data)}
		if len(fi.Attachments) != 1 || fi.Attachments[0] != want {
			t.Fatalf("published %+v", fi.Attachments)
		}
		if _, err := db.PublishAttached(ctx, "villages.md", villageForm("1"), []forms.File{file}, []string{"110105002"}); err != nil {
			t.Fatalf("the same again, to another township: %v", err)
		}
		_, err = db.PublishAttached(ctx, "villages.md", villageForm("1"), []forms.File{villagesFile("v1,大寨,41\n")}, []string{township})
		var vc *ErrFormVersionConflict
		if !errors.As(err, &vc) || vc.Attachment != "villages.csv" {
			t.Fatalf("other data under the same version: %v", err)
		}

		list, err := db.Forms(ctx, township)
		if err != nil || len(list) != 1 || len(list[0].Attachments) != 1 || list[0].Attachments[0] != want {
			t.Fatalf("Forms: %+v %v", list, err)
		}
		ff, err := db.Form(ctx, township, "villages", "1")
		if err != nil || len(ff.Attachments) != 1 {
			t.Fatalf("Form: %+v %v", ff, err)
		}
		var reserved int64
		af, err := db.Attachment(ctx, township, "villages", "1", "villages.csv", func(n int64) error { reserved = n; return nil })
		if err != nil || string(af.Data) != string(file.Data) || af.AttachmentInfo != want || reserved != want.Size {
			t.Fatalf("Attachment: %+v %v (reserved %d)", af, err, reserved)
		}
		// Another township's device, an unknown file, and a server out of
		// memory for it get nothing.
		for _, c := range []struct{ town, name string }{{"110105003", "villages.csv"}, {township, "towns.csv"}, {"120101001", "villages.csv"}} {
			if _, err := db.Attachment(ctx, c.town, "villages", "1", c.name, func(int64) error { return nil }); !errors.Is(err, wire.ErrNotFound) {
				t.Errorf("%s of %s: %v", c.name, c.town, err)
			}
		}
		full := errors.New("no memory")
		if _, err := db.Attachment(ctx, township, "villages", "1", "villages.csv", func(int64) error { return full }); !errors.Is(err, full) {
			t.Errorf("reserve refused: %v", err)
		}

		// Another handle, as another server process, checks records with
		// the stored data.
		f, err := openDB(t, w).FormDefinition(ctx, "villages", "1")
		if err != nil {
			t.Fatal(err)
		}
		in, res := f.ValidateRecord(map[string]any{"village": "v2"}, forms.Options{})
		if pop, _, _ := in.Value("pop"); !res.OK() || pop != "12" {
			t.Fatalf("pop %q, errors %+v", pop, res.Errors)
		}
		if _, res := f.ValidateRecord(map[string]any{"village": "v9"}, forms.Options{}); res.OK() {
			t.Fatal("a village not in the file was accepted")
		}
	})
}
