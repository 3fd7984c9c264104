package forms

import (
	"errors"
	"strings"
	"testing"
)

// TestEntityRefusals: what cannot work is refused at the cell that says
// it, with the substance of pyxform's message.
func TestEntityRefusals(t *testing.T) {
	const oneList = "| entities |\n| | list_name | label |\n| | households | ${q} |\n"
	cases := []struct {
		name, md string
		key      loadKey
		at       Location // File left out; a markdown form's rows are its lines
	}{
		{"save_to on a group", "| survey |\n| | type | name | label | save_to |\n| | begin_group | g | G | size |\n| | text | q | Q | |\n| | end_group | | | |\n" + oneList,
			ldSaveToContainer, Location{Sheet: "survey", Row: 3, Column: "save_to"}},
		{"save_to on an end row", "| survey |\n| | type | name | label | save_to |\n| | begin_repeat | r | R | |\n| | text | q | Q | |\n| | end_repeat | | | size |\n" + oneList,
			ldSaveToContainer, Location{Sheet: "survey", Row: 5, Column: "save_to"}},
		{"save_to on a note", "| survey |\n| | type | name | label | save_to |\n| | text | q | Q | |\n| | note | n | N | size |\n" + oneList,
			ldSaveToNoAnswer, Location{Sheet: "survey", Row: 4, Column: "save_to"}},
		{"save_to without an entities sheet", "| survey |\n| | type | name | label | save_to |\n| | text | q | Q | size |\n",
			ldSaveToNoEntities, Location{Sheet: "survey", Row: 3, Column: "save_to"}},
		{"property called name", "| survey |\n| | type | name | label | save_to |\n| | text | q | Q | Name |\n" + oneList,
			ldSaveToReserved, Location{Sheet: "survey", Row: 3, Column: "save_to"}},
		{"property called label", "| survey |\n| | type | name | label | save_to |\n| | text | q | Q | label |\n" + oneList,
			ldSaveToReserved, Location{Sheet: "survey", Row: 3, Column: "save_to"}},
		{"property with the reserved prefix", "| survey |\n| | type | name | label | save_to |\n| | text | q | Q | __version |\n" + oneList,
			ldSaveToPrefix, Location{Sheet: "survey", Row: 3, Column: "save_to"}},
		{"property not an XML name", "| survey |\n| | type | name | label | save_to |\n| | text | q | Q | 1size |\n" + oneList,
			ldSaveToName, Location{Sheet: "survey", Row: 3, Column: "save_to"}},
		{"property saved twice", "| survey |\n| | type | name | label | save_to |\n| | text | q | Q | size |\n| | text | p | P | size |\n" + oneList,
			ldSaveToTwice, Location{Sheet: "survey", Row: 4, Column: "save_to"}},
		{"unknown list in LIST#prop", "| survey |\n| | type | name | label | save_to |\n| | text | q | Q | houses#size |\n" + oneList,
			ldSaveToUnknownList, Location{Sheet: "survey", Row: 3, Column: "save_to"}},
		{"two # in save_to", "| survey |\n| | type | name | label | save_to |\n| | text | q | Q | households#a#b |\n" + oneList,
			ldSaveToManyHash, Location{Sheet: "survey", Row: 3, Column: "save_to"}},
		{"several lists, no prefix", "| survey |\n| | type | name | label | save_to |\n| | text | q | Q | size |\n| entities |\n| | list_name | label |\n| | a | ${q} |\n| | b | ${q} |\n",
			ldSaveToNeedList, Location{Sheet: "survey", Row: 3, Column: "save_to"}},
		{"update without entity_id", "| survey |\n| | type | name | label |\n| | text | q | Q |\n| entities |\n| | list_name | label | update_if |\n| | households | ${q} | true() |\n",
			ldEntityUpdateNoID, Location{Sheet: "entities", Row: 6, Column: "update_if"}},
		{"create without label", "| survey |\n| | type | name | label |\n| | text | q | Q |\n| entities |\n| | list_name | create_if |\n| | households | true() |\n",
			ldEntityCreateNoLabel, Location{Sheet: "entities", Row: 6, Column: "list_name"}},
		{"upsert without update_if", "| survey |\n| | type | name | label |\n| | csv-external | households | |\n| | text | q | Q |\n| entities |\n| | list_name | label | entity_id | create_if |\n| | households | ${q} | ${q} | true() |\n",
			ldEntityUpsertNoUpdateIf, Location{Sheet: "entities", Row: 7, Column: "create_if"}},
		{"update of a list the form does not read", "| survey |\n| | type | name | label |\n| | text | q | Q |\n| entities |\n| | list_name | entity_id |\n| | households | ${q} |\n",
			ldEntityListNotRead, Location{Sheet: "entities", Row: 6, Column: "entity_id"}},
		{"list declared twice", "| survey |\n| | type | name | label |\n| | text | q | Q |\n| entities |\n| | list_name | label |\n| | a | ${q} |\n| | a | ${q} |\n",
			ldEntityListTwice, Location{Sheet: "entities", Row: 7, Column: "list_name"}},
		{"list name with a period", "| survey |\n| | type | name | label |\n| | text | q | Q |\n| entities |\n| | list_name | label |\n| | a.b | ${q} |\n",
			ldEntityListPeriod, Location{Sheet: "entities", Row: 6, Column: "list_name"}},
		{"list name with the reserved prefix", "| survey |\n| | type | name | label |\n| | text | q | Q |\n| entities |\n| | list_name | label |\n| | __a | ${q} |\n",
			ldEntityListPrefix, Location{Sheet: "entities", Row: 6, Column: "list_name"}},
		{"no list name", "| survey |\n| | type | name | label |\n| | text | q | Q |\n| entities |\n| | list_name | label |\n| | | ${q} |\n",
			ldEntityNoList, Location{Sheet: "entities", Row: 6, Column: "list_name"}},
		{"misspelt column", "| survey |\n| | type | name | label |\n| | text | q | Q |\n| entities |\n| | list_name | label | create_iff |\n| | a | ${q} | false() |\n",
			ldEntityColumn, Location{Sheet: "entities", Row: 5, Column: "create_iff"}},
		{"properties in two repeats", "| survey |\n| | type | name | label | save_to |\n| | begin_repeat | r1 | R | |\n| | text | q | Q | a |\n| | end_repeat | | | |\n| | begin_repeat | r2 | R | |\n| | text | p | P | b |\n| | end_repeat | | | |\n| entities |\n| | list_name | label |\n| | households | x |\n",
			ldEntitySaveScope, Location{Sheet: "survey", Row: 7, Column: "save_to"}},
		{"label reads a sibling repeat", "| survey |\n| | type | name | label | save_to |\n| | begin_repeat | r1 | R | |\n| | text | q | Q | a |\n| | end_repeat | | | |\n| | begin_repeat | r2 | R | |\n| | text | p | P | |\n| | end_repeat | | | |\n| entities |\n| | list_name | label |\n| | households | ${p} |\n",
			ldEntityRefScope, Location{Sheet: "entities", Row: 11}},
		{"label reads a repeat its properties are outside of", "| survey |\n| | type | name | label | save_to |\n| | text | q | Q | a |\n| | begin_repeat | r | R | |\n| | text | p | P | |\n| | end_repeat | | | |\n| entities |\n| | list_name | label |\n| | households | ${p} |\n",
			ldEntityRefScope, Location{Sheet: "entities", Row: 9}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load("entity.md", []byte(c.md))
			var errs LoadErrors
			if !errors.As(err, &errs) {
				t.Fatalf("want load errors, got %v", err)
			}
			for _, e := range errs {
				loc := e.Loc
				loc.File = ""
				if e.text.key == c.key && loc == c.at {
					for _, lang := range Languages {
						if msg := e.Localized(lang); strings.Contains(msg, "%!") {
							t.Errorf("%s message is malformed: %s", lang, msg)
						}
					}
					return
				}
			}
			t.Fatalf("want %s at %+v, got %v", c.key, c.at, err)
		})
	}
}

// TestEntityFormsLoad: forms ODK accepts load, the save_to column spelt
// as pyxform writes it and list_name's older name among them.
func TestEntityFormsLoad(t *testing.T) {
	for name, md := range map[string]string{
		"bind::entities:saveto":         "| survey |\n| | type | name | label | bind::entities:saveto |\n| | text | q | Q | size |\n| entities |\n| | list_name | label |\n| | households | ${q} |\n",
		"dataset":                       "| survey |\n| | type | name | label |\n| | text | q | Q |\n| entities |\n| | dataset | label |\n| | households | ${q} |\n",
		"label only":                    "| survey |\n| | type | name | label |\n| | text | q | Q |\n| entities |\n| | list_name | label |\n| | households | Household |\n",
		"update by csv-external":        "| survey |\n| | type | name | label | save_to |\n| | csv-external | households | | |\n| | text | q | Q | size |\n| entities |\n| | list_name | entity_id |\n| | households | ${q} |\n",
		"label from an enclosing level": "| survey |\n| | type | name | label | save_to |\n| | text | village | V | |\n| | begin_repeat | r | R | |\n| | text | q | Q | a |\n| | end_repeat | | | |\n| entities |\n| | list_name | label |\n| | households | concat(${village}, ${q}) |\n",
	} {
		t.Run(name, func(t *testing.T) {
			f, err := LoadForShow("entity.md", []byte(md))
			if err != nil {
				t.Fatal(err)
			}
			if len(f.EntityDecls()) != 1 {
				t.Fatalf("declarations: %+v", f.EntityDecls())
			}
			for _, w := range f.Warnings {
				if w.Loc.Sheet == "entities" {
					t.Errorf("warning on the entities sheet: %v", w)
				}
			}
		})
	}
}

// TestEntityPlacement: each declaration gets the container pyxform gives
// its meta/entity block (tests/entities/test_create_repeat.py), and its
// scope is that container's repeat.
func TestEntityPlacement(t *testing.T) {
	cases := []struct {
		name, md   string
		containers []string // by declaration: the container's name ("" for the record)
		repeats    []string // EntityDecl.Repeat
	}{
		{"competing lists in nested groups", `
| survey |
| | type         | name  | label | save_to |
| | begin_repeat | r1    | R1    |         |
| | begin_group  | g1    | G1    |         |
| | text         | q1    | Q1    |         |
| | begin_repeat | r2    | R2    |         |
| | begin_group  | g2    | G2    |         |
| | text         | q2    | Q2    | e1#e1p1 |
| | begin_group  | g3    | G3    |         |
| | text         | q3    | Q3    |         |
| | text         | q4    | Q4    | e2#e2p1 |
| | end_group    |       |       |         |
| | end_group    |       |       |         |
| | end_repeat   |       |       |         |
| | end_group    |       |       |         |
| | end_repeat   |       |       |         |
| entities |
| | list_name | label                                 |
| | e1        | concat(${q1}, " ", ${q2}, " ", ${q3}) |
| | e2        | concat(${q1}, " ", ${q2}, " ", ${q3}) |
`, []string{"g2", "g3"}, []string{"r2", "r2"}},
		{"label only, in a repeat", `
| survey |
| | type         | name  | label |
| | text         | v     | V     |
| | begin_repeat | r1    | R1    |
| | text         | q1    | Q1    |
| | end_repeat   |       |       |
| entities |
| | list_name | label                  |
| | e1        | concat(${v}, ${q1})    |
`, []string{"r1"}, []string{"r1"}},
		{"two lists at the top", `
| survey |
| | type  | name | label | save_to |
| | text  | q1   | Q1    | a#p     |
| | begin_group | g | G  |         |
| | text  | q2   | Q2    | b#p     |
| | end_group |  |       |         |
| entities |
| | list_name | label |
| | a         | ${q1} |
| | b         | ${q2} |
`, []string{"", "g"}, []string{"", ""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := LoadForShow("entity.md", []byte(c.md))
			if err != nil {
				t.Fatal(err)
			}
			decls := f.EntityDecls()
			for i, d := range f.entities {
				got := d.container.Name
				if d.container == f.Root {
					got = ""
				}
				if got != c.containers[i] || decls[i].Repeat != c.repeats[i] {
					t.Errorf("%s: container %q repeat %q, want %q %q", d.List, got, decls[i].Repeat, c.containers[i], c.repeats[i])
				}
			}
		})
	}
	_, err := Load("entity.md", []byte(`
| survey |
| | type  | name | label | save_to |
| | text  | q1   | Q1    | a#p     |
| | text  | q2   | Q2    | b#p     |
| entities |
| | list_name | label |
| | a         | ${q1} |
| | b         | ${q2} |
`))
	var errs LoadErrors
	if !errors.As(err, &errs) || errs[0].text.key != ldEntityNoContainer || errs[0].Loc.Row != 9 {
		t.Fatalf("two lists saved in one container: want %s on entities row 9, got %v", ldEntityNoContainer, err)
	}
}
