package store

import (
	"context"
	"errors"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
)

// followUp is a follow-up form: it picks a household of the households
// list and reads its size from it, as ODK's follow-up forms do.
var followUp = []byte(`| survey |
| | type | name | label | calculation |
| | select_one_from_file households.csv | hh | 户 | |
| | calculate | size | | instance('households')/root/item[name=${hh}]/size |
| | integer | new_size | 人数 | |
| settings |
| | form_id | form_title | version |
| | visit | 回访 | 1 |
`)

// registerHousehold imports a household record that creates entity id.
func registerHousehold(t testing.TB, db *DB, id, label, size string) {
	t.Helper()
	ch := forms.EntityChange{List: "households", ID: id, Create: true, Label: label, Properties: map[string]string{"size": size}}
	if _, _, err := db.InsertFinalized(context.Background(), "household", "1", "reg-"+id, withChanges(t, label, ch)); err != nil {
		t.Fatal(err)
	}
}

func TestEntityListCSV(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	if b, err := db.EntityListCSV(ctx, "households"); err != nil || string(b) != "name,label,__version\n" {
		t.Fatalf("an empty list: %q, %v", b, err)
	}
	registerHousehold(t, db, "e2", "李家, 东院", "4")
	ch := forms.EntityChange{List: "households", ID: "e1", Create: true, Label: "王家", Properties: map[string]string{"phone": "13800000000"}}
	if _, _, err := db.InsertFinalized(ctx, "household", "1", "e1", withChanges(t, "王", ch)); err != nil {
		t.Fatal(err)
	}
	b, err := db.EntityListCSV(ctx, "households", "dibao")
	if err != nil {
		t.Fatal(err)
	}
	want := "name,label,__version,dibao,phone,size\n" +
		"e2,\"李家, 东院\",1,,,4\n" +
		"e1,王家,1,,13800000000,\n"
	if string(b) != want {
		t.Fatalf("got\n%s\nwant\n%s", b, want)
	}
}

// A follow-up form reads the list from the laptop's entities: it is
// registered without the file, checks records against the list as it
// stands now, and its version's hash does not move as the list grows.
func TestFollowUpFormReadsTheLaptopsList(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	registerHousehold(t, db, "e1", "王家", "3")
	fv, err := db.AddForm(ctx, "visit.md", followUp)
	if err != nil {
		t.Fatal(err)
	}
	if len(fv.Attachments) != 0 {
		t.Fatalf("the list was stored with the form: %+v", fv.Attachments)
	}
	if atts, _ := db.FormAttachments(ctx, "visit", "1"); len(atts) != 0 {
		t.Fatalf("the list was stored with the form: %+v", atts)
	}
	finalize := func(hh string) error {
		t.Helper()
		id, err := db.NewDraft(ctx, "visit", "1")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SaveDraft(ctx, id, []byte(`{"hh":"`+hh+`","new_size":"5"}`), nil); err != nil {
			t.Fatal(err)
		}
		_, err = db.Finalize(ctx, id)
		return err
	}
	if err := finalize("e1"); err != nil {
		t.Fatalf("a household of the list: %v", err)
	}
	var ve *ValidationError
	if err := finalize("e2"); !errors.As(err, &ve) {
		t.Fatalf("a household not on the laptop: %v", err)
	}
	// Registered on this laptop: the next follow-up can pick it at once.
	registerHousehold(t, db, "e2", "李家", "4")
	if err := finalize("e2"); err != nil {
		t.Fatalf("a household registered since: %v", err)
	}
	f, err := db.Form(ctx, "visit", "1")
	if err != nil {
		t.Fatal(err)
	}
	if a := f.Attachment("households.csv"); a == nil || !a.Given() || a.Data() == nil {
		t.Fatalf("the list was not given to the form: %+v", a)
	}
	if again, err := db.AddForm(ctx, "visit.md", followUp); err != nil || !again.AlreadyPresent || again.SHA256 != fv.SHA256 {
		t.Fatalf("the same form again after the list changed: %+v, %v", again, err)
	}
}

// A form reading a list the laptop has never heard of still needs its
// file, as any attachment does.
func TestUnknownListIsAMissingFile(t *testing.T) {
	db, _ := newDB(t)
	var les forms.LoadErrors
	if _, err := db.AddForm(context.Background(), "visit.md", followUp); !errors.As(err, &les) {
		t.Fatalf("got %v, want the missing file", err)
	}
}
