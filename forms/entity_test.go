package forms

import (
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// registerMD registers a household and, in the members repeat, a person
// per member, as ODK's entities in repeats (spec 2025.1) do.
const registerMD = `
| survey |
| | type | name | label | save_to | relevant |
| | text | head | Head | households#head | |
| | text | address | Address | | |
| | integer | size | Size | households#size | |
| | text | phone | Phone | households#phone | |
| | begin_repeat | members | Members | | |
| | text | m_name | Name | persons#full_name | |
| | integer | m_age | Age | persons#age | |
| | text | note_only | Note | | ${m_age} > 200 |
| | end_repeat | | | | |
| entities |
| | list_name | label | create_if |
| | households | concat(${head}, ' ', ${address}) | |
| | persons | ${m_name} | ${m_age} != '' |
`

// followupMD updates a household picked from its list.
const followupMD = `
| survey |
| | type | name | label | save_to | calculation |
| | select_one_from_file households.csv | hh | Household | | |
| | calculate | old_size | | | instance('households')/root/item[name=${hh}]/size |
| | integer | size | Size | size | |
| entities |
| | list_name | entity_id |
| | households | ${hh} |
`

// upsertMD creates or updates, by its conditions.
const upsertMD = `
| survey |
| | type | name | label | save_to |
| | select_one_from_file households.csv | hh | Household | |
| | text | new_id | New id | |
| | text | head | Head | head |
| entities |
| | list_name | label | entity_id | create_if | update_if |
| | households | ${head} | coalesce(${hh}, ${new_id}) | ${hh} = '' | true() |
`

func householdsCSV() File {
	return File{Name: "households.csv", Data: []byte("name,label,__version,size\n" +
		"h-1,Wang 王,3,5\nh-2,Li 李,1,2\n")}
}

func loadEntityForm(t *testing.T, md string, files ...File) *Form {
	t.Helper()
	f, err := Load("entity.md", []byte(md), files...)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return f
}

func TestEntityDecls(t *testing.T) {
	f := loadEntityForm(t, registerMD)
	got := f.EntityDecls()
	want := []EntityDecl{
		{List: "households", Saves: map[string]string{"head": "head", "size": "size", "phone": "phone"},
			Properties: []string{"head", "size", "phone"}, Creates: true},
		{List: "persons", Saves: map[string]string{"m_name": "full_name", "m_age": "age"},
			Properties: []string{"full_name", "age"}, Creates: true, Repeat: "members"},
	}
	for i := range got {
		got[i].Loc = Location{}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("EntityDecls:\n got %+v\nwant %+v", got, want)
	}
	up := loadEntityForm(t, followupMD, householdsCSV()).EntityDecls()
	if len(up) != 1 || up[0].Creates || !up[0].Updates || up[0].IDField != "hh" {
		t.Fatalf("follow-up declaration: %+v", up)
	}
	both := loadEntityForm(t, upsertMD, householdsCSV()).EntityDecls()
	if len(both) != 1 || !both[0].Creates || !both[0].Updates || both[0].IDField != "" {
		t.Fatalf("upsert declaration: %+v", both)
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func entityChangesOfRecord(t *testing.T, f *Form, record, recordID string) []EntityChange {
	t.Helper()
	obj, err := DecodeRecord([]byte(record))
	if err != nil {
		t.Fatal(err)
	}
	in, res := f.ValidateRecord(obj, Options{})
	if !res.OK() {
		t.Fatalf("record refused: %v", res.Errors)
	}
	changes, err := in.EntityChanges(recordID)
	if err != nil {
		t.Fatal(err)
	}
	return changes
}

func TestEntityChangesRegistration(t *testing.T) {
	f := loadEntityForm(t, registerMD)
	record := `{"head":"王芳","address":"东街 3 号","size":"3","members":[
		{"m_name":"王芳","m_age":"40"},{"m_name":"无年龄"},{"m_name":"王小","m_age":"9"}]}`
	got := entityChangesOfRecord(t, f, record, "rec-1")
	if len(got) != 3 {
		t.Fatalf("want a household and two persons (create_if leaves the member without age out), got %+v", got)
	}
	hh := got[0]
	if hh.List != "households" || !hh.Create || hh.Label != "王芳 东街 3 号" || hh.Path != "" || hh.BaseVersion != 0 ||
		!reflect.DeepEqual(hh.Properties, map[string]string{"head": "王芳", "size": "3", "phone": ""}) {
		t.Errorf("household change: %+v", hh)
	}
	for i, want := range []struct{ path, name string }{{"members[1]", "王芳"}, {"members[3]", "王小"}} {
		p := got[i+1]
		if p.List != "persons" || p.Path != want.path || p.Label != want.name || p.Properties["full_name"] != want.name {
			t.Errorf("person %d: %+v", i+1, p)
		}
	}
	ids := map[string]bool{}
	for _, c := range got {
		if !uuidRE.MatchString(c.ID) {
			t.Errorf("%s: id %q is not a version-8 UUID", c.List, c.ID)
		}
		ids[c.ID] = true
	}
	if len(ids) != 3 {
		t.Errorf("ids are not distinct: %v", ids)
	}
	again := entityChangesOfRecord(t, f, record, "rec-1")
	if !reflect.DeepEqual(got, again) {
		t.Errorf("the same record gave other changes:\n%+v\n%+v", got, again)
	}
	other := entityChangesOfRecord(t, f, record, "rec-2")
	if other[0].ID == got[0].ID {
		t.Errorf("another record gave the same household id %s", got[0].ID)
	}
}

func TestEntityChangesUpdate(t *testing.T) {
	cases := []struct {
		name, md, record string
		want             []EntityChange
	}{
		{"update known", followupMD, `{"hh":"h-1","size":"6"}`,
			[]EntityChange{{List: "households", ID: "h-1", BaseVersion: 3, Properties: map[string]string{"size": "6"}}}},
		{"blank answer clears", followupMD, `{"hh":"h-2"}`,
			[]EntityChange{{List: "households", ID: "h-2", BaseVersion: 1, Properties: map[string]string{"size": ""}}}},
		{"no entity picked", followupMD, `{"size":"4"}`, nil},
		{"upsert: the list has it, so update", upsertMD, `{"hh":"h-1","head":"王"}`,
			[]EntityChange{{List: "households", ID: "h-1", Label: "王", BaseVersion: 3, Properties: map[string]string{"head": "王"}}}},
		{"upsert: the list lacks it, so create", upsertMD, `{"new_id":"h-9","head":"赵"}`,
			[]EntityChange{{List: "households", ID: "h-9", Create: true, Label: "赵", Properties: map[string]string{"head": "赵"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := loadEntityForm(t, c.md, householdsCSV())
			got := entityChangesOfRecord(t, f, c.record, "rec-1")
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("\n got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

// An entity list reaches a follow-up form as a CSV with ODK Central's
// columns, __version among them: it loads, and lookups read it.
func TestEntityListLookup(t *testing.T) {
	f := loadEntityForm(t, followupMD, householdsCSV())
	in := f.NewInstance(Options{})
	if err := in.Set("hh", "h-1"); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := in.Value("old_size"); v != "5" {
		t.Fatalf("old_size = %q, want 5 from households.csv", v)
	}
	if got := f.EntityListFiles(); !reflect.DeepEqual(got, []string{"households.csv"}) {
		t.Errorf("EntityListFiles = %v", got)
	}
	reader := loadEntityForm(t, `
| survey |
| | type | name | label |
| | select_one_from_file households.csv | hh | Household |
`, householdsCSV())
	if got := reader.EntityListFiles(); got != nil {
		t.Errorf("a form that declares no list names no entity list file, got %v", got)
	}
}

func TestEntityChangesRecordBytes(t *testing.T) {
	changes := []EntityChange{{List: "households", ID: "h-1", BaseVersion: 3, Properties: map[string]string{"size": "6"}}}
	record := []byte(`{"hh":"h-1","size":"6","__warnings":[{"field":"size","path":"size","rule":"warning","message":"<大>"}]}`)
	with, err := WithEntityChanges(record, changes)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"hh":"h-1","size":"6","__warnings":[{"field":"size","path":"size","rule":"warning","message":"<大>"}],` +
		`"__entities":[{"list":"households","id":"h-1","base_version":3,"properties":{"size":"6"}}]}`
	if string(with) != want {
		t.Fatalf("WithEntityChanges:\n got %s\nwant %s", with, want)
	}
	back, err := RecordEntityChanges(with)
	if err != nil || !reflect.DeepEqual(back, changes) {
		t.Fatalf("RecordEntityChanges = %+v, %v", back, err)
	}
	again, err := WithEntityChanges(with, changes)
	if err != nil || string(again) != want {
		t.Fatalf("setting the changes again: %s, %v", again, err)
	}
	without, err := WithEntityChanges(with, nil)
	if err != nil || string(without) != string(record) {
		t.Fatalf("removing the changes: %s, %v", without, err)
	}
	if none, err := RecordEntityChanges(without); none != nil || err != nil {
		t.Fatalf("a record without changes: %+v, %v", none, err)
	}
	for _, bad := range []string{
		`{"__entities":{}}`,
		`{"__entities":[1]}`,
		`{"__entities":[{"list":"households"}]}`,
		`{"__entities":[{"list":"households","id":"x","base_version":-1}]}`,
		`{"__entities":[{"list":"households","id":"x","base_version":1.5}]}`,
		`{"__entities":[{"list":"households","id":"x","properties":{"a":1}}]}`,
		`{"__entities":[{"list":"households","id":"x","extra":""}]}`,
		`{"__entities":[{"list":"households","id":"x","create":"yes"}]}`,
	} {
		if _, err := RecordEntityChanges([]byte(bad)); err == nil || !strings.Contains(err.Error(), EntitiesKey) {
			t.Errorf("%s: want an error naming %s, got %v", bad, EntitiesKey, err)
		}
	}
	if _, err := WithEntityChanges([]byte(`{"a":1}`), []EntityChange{{List: "x"}}); err == nil {
		t.Error("a change without an id was written")
	}
	if _, err := WithEntityChanges([]byte(`{"a":1,"a":2}`), nil); err == nil {
		t.Error("a record naming a member twice was accepted")
	}
}

// A record carrying its entity changes checks as the same record without
// them, and keeps them when written again.
func TestRecordWithEntitiesValidates(t *testing.T) {
	f := loadEntityForm(t, followupMD, householdsCSV())
	base := `{"hh":"h-1","old_size":"5","size":"6"}` // as MarshalJSON writes it
	changes := entityChangesOfRecord(t, f, base, "rec-1")
	record, err := WithEntityChanges([]byte(base), changes)
	if err != nil {
		t.Fatal(err)
	}
	obj, _ := DecodeRecord(record)
	in, res := f.ValidateRecord(obj, Options{})
	if !res.OK() || len(res.Warnings) > 0 {
		t.Fatalf("a record with its entity changes: %v %v", res.Errors, res.Warnings)
	}
	out, _ := in.MarshalJSON()
	if string(out) != string(record) {
		t.Fatalf("written again:\n got %s\nwant %s", out, record)
	}
	in.SetEntityChanges(nil)
	if out, _ := in.MarshalJSON(); string(out) != base {
		t.Fatalf("without changes: %s", out)
	}
	for _, c := range []struct{ record, path string }{
		{`{"hh":"h-1","__entities":"x"}`, "__entities"},
		{`{"hh":"h-1","__entities":[{"list":"households"}]}`, "__entities[1]"},
		{`{"hh":"h-1","__entities":[{"list":"trees","id":"t"}]}`, "__entities[1]"},
	} {
		obj, _ := DecodeRecord([]byte(c.record))
		_, res := f.ValidateRecord(obj, Options{Language: LangEn})
		if res.OK() || res.Errors[0].Path != c.path || res.Errors[0].Field != EntitiesKey {
			t.Errorf("%s: want one error at %s, got %+v", c.record, c.path, res.Errors)
		}
	}
	reg := loadEntityForm(t, registerMD)
	obj, _ = DecodeRecord([]byte(`{"members":[{"m_name":"a","__entities":[]}]}`))
	if _, res := reg.ValidateRecord(obj, Options{}); res.OK() {
		t.Error("__entities inside a repeat instance was taken for an answer")
	}
}

func TestEntityChangesNeedRecordID(t *testing.T) {
	f := loadEntityForm(t, registerMD)
	if _, err := f.NewInstance(Options{}).EntityChanges(""); err == nil {
		t.Fatal("no error without a record id")
	}
}

func TestEntityUUIDShape(t *testing.T) {
	id := entityUUID("r", "l", "")
	if !uuidRE.MatchString(id) || id != entityUUID("r", "l", "") || id == entityUUID("r", "l", "members[1]") {
		t.Fatalf("entityUUID: %s", id)
	}
	var shapeErr *entityShapeError
	_, err := RecordEntityChanges([]byte(`{"__entities":3}`))
	if !errors.As(err, &shapeErr) {
		t.Fatalf("error %v is not an entity shape error", err)
	}
}

// An entity whose meta/entity block ODK puts in a group that does not
// apply is not made, as ODK leaves the group out of the submission.
func TestEntityInGroupNotRelevant(t *testing.T) {
	f := loadEntityForm(t, `
| survey |
| | type        | name | label | save_to | relevant          |
| | text        | q1   | Q1    | a#p     |                   |
| | begin_group | g    | G     |         | ${q1} != 'skip'   |
| | text        | q2   | Q2    | b#p     |                   |
| | end_group   |      |       |         |                   |
| entities |
| | list_name | label |
| | a         | ${q1} |
| | b         | ${q2} |
`)
	for record, want := range map[string]int{`{"q1":"x","q2":"y"}`: 2, `{"q1":"skip"}`: 1} {
		if got := entityChangesOfRecord(t, f, record, "r"); len(got) != want {
			t.Errorf("%s: %d changes, want %d: %+v", record, len(got), want, got)
		}
	}
}

// A saved question that does not apply leaves its property out (kept as
// it was); a blank one that applies clears it.
func TestEntityPropertyNotRelevant(t *testing.T) {
	f := loadEntityForm(t, `
| survey |
| | type                                | name  | label | save_to | relevant      |
| | select_one_from_file households.csv | hh    | H     |         |               |
| | integer                             | size  | Size  | size    |               |
| | text                                | phone | Phone | phone   | ${size} > 1   |
| entities |
| | list_name  | entity_id |
| | households | ${hh}     |
`, householdsCSV())
	for record, want := range map[string]map[string]string{
		`{"hh":"h-1","size":"1","phone":"139"}`: {"size": "1"},
		`{"hh":"h-1","size":"2"}`:               {"size": "2", "phone": ""},
	} {
		got := entityChangesOfRecord(t, f, record, "r")
		if len(got) != 1 || !reflect.DeepEqual(got[0].Properties, want) {
			t.Errorf("%s: %+v, want properties %v", record, got, want)
		}
	}
}
