package forms

import (
	"strings"
	"testing"
)

func TestParseDataFiles(t *testing.T) {
	gbk := []byte("name,label\na,\xb4\xf3\xd5\xaf\n") // 大寨 in GBK
	cases := []struct {
		file string
		data string
		loc  string // "" when it parses
		key  loadKey
	}{
		{"ok.csv", "name,label,\n\na,\"A, the \"\"first\"\"\",\n,,\nb,B\n", "", ""},
		{"short.csv", "name,label,x\na,A\n", "", ""},
		{"empty.csv", "", "empty.csv:1", ldDataNoHeader},
		{"blankhead.csv", ",,\n", "blankhead.csv:1", ldDataNoHeader},
		{"dup.csv", "name,label,name\n", "dup.csv:1:name", ldDataDupHeader},
		{"nohead.csv", "name,,label\n", "nohead.csv:1:B", ldDataBlankHeader},
		{"long.csv", "name,label\na,A\nb,B,extra\n", "long.csv:3", ldDataLongRow},
		{"gbk.csv", string(gbk), "gbk.csv:2", ldDataNotUTF8},
		{"quote.csv", "name,label\n\"a,A\n", "quote.csv:2", ldDataCSV},
		{"bare.csv", "name,label\na,5\" tall\n", "bare.csv:2", ldDataCSV},
		{"ok.xml", "<?xml version='1.0'?>\n<root>\n<item><name>a</name><label>A &amp; B</label><!-- c --></item>\n<item><name>b</name></item></root>", "", ""},
		{"deep.xml", "<root><item><name><b>x</b></name></item></root>", "deep.xml:1", ldDataXMLDeep},
		{"mixed.xml", "<root><item><name>a</name></item>\n<thing><name>b</name></thing></root>", "mixed.xml:2", ldDataXMLItemName},
		{"text.xml", "<root>loose<item/></root>", "text.xml:1", ldDataXMLText},
		{"dtd.xml", "<!DOCTYPE root [<!ENTITY a 'aaaa'>]><root/>", "dtd.xml:1", ldDataXMLDirective},
		{"entity.xml", "<root><item><name>&a;</name></item></root>", "entity.xml:1", ldDataXML},
		{"broken.xml", "<root>\n<item></root>", "broken.xml:2", ldDataXML},
		{"gbk.xml", "<?xml version=\"1.0\" encoding=\"GBK\"?><root/>", "gbk.xml:1", ldDataXML},
		{"none.xml", "  ", "none.xml:1", ldDataXMLEmpty},
		{"ok.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","id":7,"geometry":{"type":"Polygon","coordinates":[[[1,2],[3,4],[1,2]]]},"properties":{"title":"T","n":null,"o":{"a":1},"b":true}}]}`, "", ""},
		{"line.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},"properties":{}}]}`, "", ""},
		{"nogeom.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"id":"x"}}]}`, "", ""},
		{"notfc.geojson", `{"type":"Feature"}`, "notfc.geojson:1:type", ldDataGeoCollection},
		{"syntax.geojson", "{\"type\":\n\"FeatureCollection\",,}", "syntax.geojson:2", ldDataJSON},
		{"multi.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPoint","coordinates":[]}}]}`, "multi.geojson:features[0].geometry", ldDataGeoType},
		{"coords.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[200,95]}}]}`, "coords.geojson:features[0].geometry", ldDataGeoCoordinates},
		{"feature.geojson", `{"type":"FeatureCollection","features":[{"type":"Thing"}]}`, "feature.geojson:features[0]", ldDataGeoFeature},
	}
	for _, c := range cases {
		tbl, errs := parseData(c.file, []byte(c.data))
		if c.key == "" {
			if errs != nil {
				t.Errorf("%s: %v", c.file, errs)
			}
			checkTable(t, c.file, tbl)
			continue
		}
		wantLoadError(t, c.file, errs, c.loc, c.key)
	}
	// What the good ones read.
	tbl, _ := parseData("ok.csv", []byte("name,label,\n\na,\"A, the \"\"first\"\"\",\n,,\nb,B\n"))
	if tbl.Len() != 2 || tbl.Value(0, 1) != `A, the "first"` || tbl.line(1) != 5 || len(tbl.Columns()) != 2 {
		t.Errorf("ok.csv: %d rows, %q, line %d, columns %v", tbl.Len(), tbl.Value(0, 1), tbl.line(1), tbl.Columns())
	}
	tbl, _ = parseData("ok.xml", []byte("<root>\n<item><name>a</name><label>A &amp; B</label></item>\n<item><name>b</name></item></root>"))
	if tbl.Len() != 2 || tbl.Value(0, 1) != "A & B" || tbl.Value(1, 1) != "" || tbl.line(1) != 3 {
		t.Errorf("ok.xml: %d rows, %q %q line %d", tbl.Len(), tbl.Value(0, 1), tbl.Value(1, 1), tbl.line(1))
	}
	tbl, _ = parseData("ok.geojson", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":7,"geometry":{"type":"Polygon","coordinates":[[[1,2],[3,4],[1,2]]]},"properties":{"title":"T","n":null,"o":{"a":1},"b":true}}]}`))
	got := map[string]string{}
	for i, c := range tbl.Columns() {
		got[c] = tbl.Value(0, i)
	}
	if got["id"] != "7" || got["geometry"] != "2 1 0 0; 4 3 0 0; 2 1 0 0" || got["o"] != `{"a":1}` || got["b"] != "true" || got["n"] != "" {
		t.Errorf("ok.geojson: %v", got)
	}
}

// parseData reads a file by its extension, as bindFiles does.
func parseData(name string, data []byte) (*DataTable, LoadErrors) {
	switch {
	case strings.HasSuffix(name, ".csv"):
		return parseCSV(name, data)
	case strings.HasSuffix(name, ".xml"):
		return parseXML(name, data)
	}
	return parseGeoJSON(name, data)
}

// checkTable checks what every parsed table must satisfy.
func checkTable(t *testing.T, name string, tbl *DataTable) {
	t.Helper()
	if tbl == nil {
		t.Fatalf("%s: no table", name)
	}
	if len(tbl.cells) != tbl.Len()*tbl.Width() || len(tbl.colIndex) > tbl.Width() {
		t.Fatalf("%s: %d cells for %d rows of %d columns", name, len(tbl.cells), tbl.Len(), tbl.Width())
	}
	for i, c := range tbl.Columns() {
		if tbl.Column(c) != i && tbl.Column(c) >= 0 && tbl.Columns()[tbl.Column(c)] != c {
			t.Fatalf("%s: column %q at %d", name, c, tbl.Column(c))
		}
		for r := 0; r < tbl.Len(); r++ {
			v := tbl.Value(r, i)
			found := false
			for _, x := range tbl.Rows(i, v) {
				found = found || int(x) == r
			}
			if !found {
				t.Fatalf("%s: row %d not found by its %s %q", name, r, c, v)
			}
		}
	}
}

func fuzzData(f *testing.F, name string, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tbl, errs := parseData(name, data)
		if errs != nil {
			if tbl != nil {
				t.Fatal("a table and errors")
			}
			for _, e := range errs {
				if e.Loc.File != name || e.Key() == "" {
					t.Fatalf("unlocated: %v", e)
				}
				_ = e.Localized(LangHans)
			}
			return
		}
		checkTable(t, name, tbl)
	})
}

func FuzzParseCSV(f *testing.F) {
	fuzzData(f, "f.csv", "name,label\na,A\n", "a,b\n\"x\"\"y\",z\r\n", "\xef\xbb\xbfn\n1\n2\n", "a,,\n1,2,3\n")
}

func FuzzParseXML(f *testing.F) {
	fuzzData(f, "f.xml", "<root><item><name>a</name></item></root>", "<r><i><a>1</a><b/></i><i/></r>", "<?xml version='1.0'?><root/>")
}

func FuzzParseGeoJSON(f *testing.F) {
	fuzzData(f, "f.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"title":"A"}}]}`,
		`{"type":"FeatureCollection","features":[]}`)
}
