package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
)

// villageForm asks for a village from an attached list and pulls its
// population; version lets a test register several versions.
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
	return forms.File{Name: "media/villages.csv", Data: []byte("name,label,population\n" + rows)}
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
	_, err = db.AddForm(ctx, "villages.md", villageForm("1"))
	var les forms.LoadErrors
	if !errors.As(err, &les) || les[0].Loc.String() != "villages.md:survey:3:type" {
		t.Fatalf("without villages.csv: %v", err)
	}
	if list, _ := db.FormVersions(ctx); len(list) != 0 {
		t.Fatalf("a refused form was stored: %+v", list)
	}

	file := villagesFile("v1,大寨,40\nv2,小庄,12\n")
	fv, err := db.AddForm(ctx, "villages.md", villageForm("1"), file)
	if err != nil {
		t.Fatal(err)
	}
	if len(fv.Attachments) != 1 || fv.Attachments[0].Name != "villages.csv" || fv.Attachments[0].Size != int64(len(file.Data)) || len(fv.Attachments[0].SHA256) != 64 {
		t.Fatalf("attachments: %+v", fv.Attachments)
	}
	if again, err := db.AddForm(ctx, "villages.md", villageForm("1"), file); err != nil || !again.AlreadyPresent {
		t.Fatalf("same form and file again: %+v %v", again, err)
	}
	// Another file under the same version is refused, as ODK Central
	// refuses to publish other attachments under a version it has.
	_, err = db.AddForm(ctx, "villages.md", villageForm("1"), villagesFile("v1,大寨,41\n"))
	var conflict *ErrFormVersionConflict
	if !errors.As(err, &conflict) || conflict.Attachment != "villages.csv" {
		t.Fatalf("other data under version 1: %v", err)
	}
	if _, err := db.AddForm(ctx, "villages.md", villageForm("2"), villagesFile("v1,大寨,41\n")); err != nil {
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
	if err != nil || len(list) != 1 || list[0].Size != int64(len("name,label,population\nv1,大寨,41\n")) {
		t.Fatalf("FormAttachments: %+v %v", list, err)
	}
	if n, problem, err := db.VerifyAudit(ctx); err != nil || problem != nil || n != 2 {
		t.Fatalf("audit: %d events, %+v, %v", n, problem, err)
	}
}
