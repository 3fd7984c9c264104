package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
)

// villages is the shared test form reading an attached file
// (testdata/forms/villages.md) as version, and that file with its village
// v1's population replaced by pop.
func villages(t testing.TB, version, pop string) ([]byte, forms.File) {
	t.Helper()
	md, err1 := os.ReadFile("../testdata/forms/villages.md")
	csv, err2 := os.ReadFile("../testdata/forms/villages.csv")
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	md = []byte(strings.Replace(string(md), "| villages | 村情 | 1 |", "| villages | 村情 | "+version+" |", 1))
	return md, forms.File{Name: "media/villages.csv", Data: []byte(strings.Replace(string(csv), "v1,大寨村,40", "v1,大寨村,"+pop, 1))}
}

func TestAddFormWithAttachments(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fb.db")
	db, err := Open(path, WithCollector("王芳"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// Without its file the form is refused, located, and nothing is kept.
	v1, file := villages(t, "1", "40")
	_, err = db.AddForm(ctx, "villages.md", v1)
	var les forms.LoadErrors
	if !errors.As(err, &les) || les[0].Loc.String() != "villages.md:survey:3:type" {
		t.Fatalf("without villages.csv: %v", err)
	}
	if list, _ := db.FormVersions(ctx); len(list) != 0 {
		t.Fatalf("a refused form was stored: %+v", list)
	}

	fv, err := db.AddForm(ctx, "villages.md", v1, file)
	if err != nil {
		t.Fatal(err)
	}
	if len(fv.Attachments) != 1 || fv.Attachments[0].Name != "villages.csv" || fv.Attachments[0].Size != int64(len(file.Data)) || len(fv.Attachments[0].SHA256) != 64 {
		t.Fatalf("attachments: %+v", fv.Attachments)
	}
	if again, err := db.AddForm(ctx, "villages.md", v1, file); err != nil || !again.AlreadyPresent {
		t.Fatalf("same form and file again: %+v %v", again, err)
	}
	// Another file under the same version is refused, as ODK Central
	// refuses to publish other attachments under a version it has.
	_, other := villages(t, "1", "41")
	_, err = db.AddForm(ctx, "villages.md", v1, other)
	var conflict *ErrFormVersionConflict
	if !errors.As(err, &conflict) || conflict.Attachment != "villages.csv" {
		t.Fatalf("other data under version 1: %v", err)
	}
	v2, _ := villages(t, "2", "41")
	if _, err := db.AddForm(ctx, "villages.md", v2, other); err != nil {
		t.Fatalf("version 2 with new data: %v", err)
	}
	if _, err := db.sql.ExecContext(ctx, `UPDATE form_attachments SET data = x'00'`); err == nil {
		t.Fatal("a stored attachment was changed")
	}
	db.Close()

	// A new handle loads the form from the stored bytes, files included,
	// each version with its own data.
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for version, want := range map[string]string{"1": "40", "2": "41"} {
		f, err := db.Form(ctx, "villages", version)
		if err != nil {
			t.Fatal(err)
		}
		in, res := f.ValidateRecord(map[string]any{"village": "v1"}, forms.Options{})
		if pop, _, _ := in.Value("pop"); !res.OK() || pop != want {
			t.Errorf("version %s: pop %q, errors %+v", version, pop, res.Errors)
		}
	}
	list, err := db.FormAttachments(ctx, "villages", "2")
	if err != nil || len(list) != 1 || list[0].Size != int64(len(other.Data)) {
		t.Fatalf("FormAttachments: %+v %v", list, err)
	}
	if n, problem, err := db.VerifyAudit(ctx); err != nil || problem != nil || n != 2 {
		t.Fatalf("audit: %d events, %+v, %v", n, problem, err)
	}
}
