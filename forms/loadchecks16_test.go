package forms

import (
	"strings"
	"testing"
)

// Was (after the features of issue 16 were merged): geotrace, geoshape
// and audit took any parameters, a reference-geometry could not name an
// attached file, two csv-/xml-external rows could share a name, a file
// called __last-saved hid ${last-saved#...}, and a search() appearance was
// ignored, so the select offered the choices sheet's column names. Each
// is now what pyxform's test suite says, with a located message.
func TestMetadataGeoAndExternalChecks(t *testing.T) {
	const header = "| survey |\n| | type | name | label | parameters | appearance | calculation |\n"
	for _, c := range []struct{ rows, loc, want string }{
		{"| | geotrace | t | T | warning-accuracy=5 | | |\n", "survey:3:parameters",
			`"geotrace" question takes the parameters allow-mock-accuracy, incremental, reference-geometry; warning-accuracy`},
		{"| | geoshape | s | S | incremental=false | | |\n", "survey:3:parameters", `incremental must be one of true, yes, true(), not "false"`},
		{"| | geotrace | t | T | allow-mock-accuracy=foo | | |\n", "survey:3:parameters", "allow-mock-accuracy must be one of true, false"},
		{"| | audit | audit | | location-max-age=3, location-min-interval=1 | | |\n", "survey:3:parameters",
			"takes location-priority, location-min-interval and location-max-age together"},
		{"| | audit | audit | | location-priority=foo, location-min-interval=1, location-max-age=2 | | |\n", "survey:3:parameters",
			"location-priority must be one of no-power, low-power, balanced, high-accuracy"},
		{"| | audit | audit | | location-priority=balanced, location-min-interval=2, location-max-age=1 | | |\n", "survey:3:parameters",
			"location-max-age (1) must be at least location-min-interval (2)"},
		{"| | audit | audit | | location-priority=balanced, location-min-interval=-1, location-max-age=1 | | |\n", "survey:3:parameters",
			"location-min-interval must be 0 or more (here: -1)"},
		{"| | audit | audit | | track-changes=foo | | |\n", "survey:3:parameters", "track-changes must be one of true, false"},
		{"| | audit | audit | | track-changes-reasons=foo | | |\n", "survey:3:parameters", "track-changes-reasons must be one of on-form-edit"},
		{"| | audit | audit | | identify-user=foo | | |\n", "survey:3:parameters", "identify-user must be one of true, false"},
		{"| | geoshape | s | S | reference-geometry=c1 | | |\n| | calculate | p | | | | pulldata('c1', 'a', 'b', 'c') |\n", "survey:3:parameters",
			`reference-geometry must be a list name of the choices sheet, the name of an attached file`},
		{"| | xml-external | d | | | | |\n| | xml-external | d | | | | |\n", "survey:4:name", `the name "d" is already used at row 3`},
		{"| | xml-external | __last-saved | | | | |\n| | integer | foo | Foo | | | |\n| | calculate | bar | | | | ${last-saved#foo} + 4 |\n",
			"survey:3:name", "is named __last-saved"},
		{"| | select_one c | s | S | | search('my_file') | |\n", "survey:3:appearance", "search() (ODK Collect takes the choices from a CSV file while the form runs) is not supported"},
	} {
		md := header + c.rows + "| choices |\n| | list_name | name | label |\n| | c | a | A |\n"
		_, err := LoadForShow("t.md", []byte(md))
		les, _ := err.(LoadErrors)
		found := false
		for _, e := range les {
			found = found || e.Loc.String() == "t.md:"+c.loc && strings.Contains(e.Msg, c.want)
		}
		if !found {
			t.Errorf("%q: want %s: %s, got %v", c.rows, c.loc, c.want, err)
		}
	}

	f, err := LoadForShow("t.md", []byte(header+`| | select_one_from_file sites.csv | site | Site | | | |
| | csv-external | parcels | | | | |
| | geotrace | path | Path | incremental=yes allow-mock-accuracy=true reference-geometry=sites | | |
| | geoshape | plot | Plot | incremental=true() reference-geometry=parcels | | |
| | calculate | plot_area | | | | enclosed-area(${plot}) |
| | audit | audit | | location-priority=balanced, location-min-interval=60, location-max-age=300, track-changes=true, track-changes-reasons=on-form-edit, identify-user=false | | |
| | xml-external | shared | | | | |
| | begin group | g | G | | | |
| | text | q | Q | | | |
| | xml-external | shared | | | | |
| | end group | | | | | |
`))
	if err != nil {
		t.Fatalf("a form pyxform accepts: %v", err)
	}
	if len(f.Attachments) != 3 {
		t.Errorf("attachments %d, want sites.csv, parcels.csv and shared.xml once", len(f.Attachments))
	}
}
