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
