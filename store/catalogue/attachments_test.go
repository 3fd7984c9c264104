package catalogue

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// villages is the shared test form reading an attached file
// (testdata/forms/villages.md) and that file with its village v1's
// population replaced by pop.
func villages(t testing.TB, pop string) ([]byte, forms.File) {
	t.Helper()
	md, err1 := os.ReadFile("../../testdata/forms/villages.md")
	csv, err2 := os.ReadFile("../../testdata/forms/villages.csv")
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	return md, forms.File{Name: "villages.csv", Data: []byte(strings.Replace(string(csv), "v1,大寨村,40", "v1,大寨村,"+pop, 1))}
}

func TestPublishAttachments(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db := openDB(t, w)
		form, file := villages(t, "40")
		// Without its file the form is refused and nothing is kept.
		_, err := db.PublishAttached(ctx, "villages.md", form, nil, []string{township})
		var les forms.LoadErrors
		if !errors.As(err, &les) || les[0].Loc.String() != "villages.md:survey:3:type" {
			t.Fatalf("without villages.csv: %v", err)
		}
		if n := query[int](t, db, `SELECT count(*) FROM forms`); n != 0 {
			t.Fatalf("%d forms stored from a refused publication", n)
		}

		fi, err := db.PublishAttached(ctx, "villages.md", form, []forms.File{file}, []string{township})
		if err != nil {
			t.Fatal(err)
		}
		want := wire.AttachmentInfo{Name: "villages.csv", Size: int64(len(file.Data)), SHA256: hashHex(file.Data)}
		if len(fi.Attachments) != 1 || fi.Attachments[0] != want {
			t.Fatalf("published %+v", fi.Attachments)
		}
		if _, err := db.PublishAttached(ctx, "villages.md", form, []forms.File{file}, []string{"110105002"}); err != nil {
			t.Fatalf("the same again, to another township: %v", err)
		}
		_, other := villages(t, "41")
		_, err = db.PublishAttached(ctx, "villages.md", form, []forms.File{other}, []string{township})
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
