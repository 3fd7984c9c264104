package forms

import (
	"errors"
	"strings"
	"testing"
)

// villageMD is a form that reads four attached files in every way ODK
// allows: selects from CSV, XML and GeoJSON, a cascade over a file's
// column, pulldata() in a constraint, instance() lookups of a file and of
// the form's own list, and a csv-external file.
const villageMD = `
| survey |
| | type | name | label | choice_filter | calculation | constraint | parameters |
| | select_one_from_file regions.csv | region | Region | | | | |
| | select_one_from_file villages.csv | village | Village | region=${region} | | | |
| | calculate | pop | | | pulldata('villages', 'population', 'name', ${village}) | | |
| | calculate | vlabel | | | instance('villages')/root/item[name=${village}]/label | | |
| | integer | households | Households | | | . <= ${pop} | |
| | select_one yn | ok | OK | | | | |
| | calculate | oklabel | | | instance('yn')/root/item[name=${ok}]/label | | |
| | select_multiple_from_file crops.xml | crops | Crops | | | | |
| | select_one_from_file wells.geojson | well | Well | | | | |
| | calculate | wellpos | | | instance('wells')/root/item[id=${well}]/geometry | | |
| | select_one_from_file villages.csv | village2 | Village by code | | | | value=code label=label |
| | csv-external | prices | | | | | |
| | calculate | price | | | instance('prices')/root/item[crop=${village2}]/price | | |
| choices |
| | list_name | name | label |
| | yn | yes | Yes |
| | yn | no | No |
| settings |
| | form_id | version |
| | villages | 1 |
`

func villageFiles() []File {
	return []File{
		{Name: "regions.csv", Data: []byte("name,label\nn,North\ns,South\n")},
		{Name: "villages.csv", Data: []byte("\xef\xbb\xbfname,label,region,population,code\r\n" +
			"v1,Dazhai 大寨,n,40,c1\r\nv2,Xiaozhuang 小庄,n,12,c2\r\nv3,Nanwan 南湾,s,7,c3\r\n")},
		{Name: "crops.xml", Data: []byte(`<?xml version="1.0"?><root><item><name>rice</name><label>Rice</label></item><item><name>tea</name><label>Tea</label></item></root>`)},
		{Name: "wells.geojson", Data: []byte(`{"type":"FeatureCollection","features":[
			{"type":"Feature","id":"w1","geometry":{"type":"Point","coordinates":[112.5,30.25]},"properties":{"title":"Well one","depth":12}},
			{"type":"Feature","geometry":{"type":"Point","coordinates":[112.6,30.3,5]},"properties":{"id":"w2","title":"Well two"}}]}`)},
		{Name: "prices.csv", Data: []byte("crop,price\nc1,3.5\nc3,9\n")},
	}
}

func loadVillages(t *testing.T) *Form {
	t.Helper()
	f, err := Load("villages.md", []byte(villageMD), villageFiles()...)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return f
}

func TestAttachmentsLoad(t *testing.T) {
	f := loadVillages(t)
	var got []string
	for _, a := range f.Attachments {
		got = append(got, a.Name+" "+a.Kind+" "+a.Use+" "+a.Loc.String())
		if !a.Given() || a.Size == 0 || len(a.SHA256) != 64 {
			t.Errorf("%s: given %v, size %d, hash %q", a.Name, a.Given(), a.Size, a.SHA256)
		}
	}
	want := []string{
		"regions.csv csv select_one_from_file villages.md:survey:4:type",
		"villages.csv csv select_one_from_file villages.md:survey:5:type",
		"crops.xml xml select_multiple_from_file villages.md:survey:11:type",
		"wells.geojson geojson select_one_from_file villages.md:survey:12:type",
		"prices.csv csv csv-external villages.md:survey:15:name",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("attachments:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wells := f.Lists[f.Field("well").ListName]
	if len(wells.Choices) != 2 || wells.Choices[1].Name != "w2" || wells.Choices[0].LabelIn(LangEn) != "Well one" ||
		wells.Choices[0].Extra("geometry") != "30.25 112.5 0 0" || wells.Choices[0].Extra("depth") != "12" {
		t.Errorf("wells: %+v", wells.Choices)
	}
	// A Chinese label from a file shows as written, in every language.
	vil := f.Lists[f.Field("village").ListName]
	if l := vil.Choices[0].LabelIn(LangEn); l != "Dazhai 大寨" {
		t.Errorf("label in English: %q", l)
	}
	if by := f.Lists[f.Field("village2").ListName]; by == vil || by.Lookup("c2") == nil || by.Lookup("c2").LabelIn("") != "Xiaozhuang 小庄" {
		t.Errorf("value=code list: %v", by)
	}
}

func TestAttachmentsInRecords(t *testing.T) {
	f := loadVillages(t)
	in, res := f.ValidateRecord(map[string]any{"region": "n", "village": "v2", "households": "12", "ok": "yes",
		"crops": "rice tea", "well": "w2", "village2": "c3"}, Options{Language: LangEn})
	if !res.OK() {
		t.Fatalf("rejected: %+v", res.Errors)
	}
	for path, want := range map[string]string{"pop": "12", "vlabel": "Xiaozhuang 小庄", "oklabel": "Yes",
		"wellpos": "30.3 112.6 5 0", "price": "9"} {
		if got, _, _ := in.Value(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	choices, _ := in.Choices("village")
	if len(choices) != 2 || choices[1].Name != "v2" {
		t.Errorf("villages of the north: %v", choices)
	}
	// A village of another region, more households than pulldata allows,
	// and names that are no choice of the file are refused.
	_, res = f.ValidateRecord(map[string]any{"region": "s", "village": "v2", "households": "13",
		"crops": "rice coffee", "well": "w9"}, Options{Language: LangEn})
	var rules []string
	for _, p := range res.Errors {
		rules = append(rules, p.Field+":"+p.Rule)
	}
	if got := strings.Join(rules, " "); got != "village:choice households:constraint crops:choice well:choice" {
		t.Errorf("errors: %s (%+v)", got, res.Errors)
	}
}

func TestAttachmentsMissing(t *testing.T) {
	_, err := Load("villages.md", []byte(villageMD), villageFiles()[1:4]...)
	var les LoadErrors
	if !errors.As(err, &les) {
		t.Fatalf("loaded without regions.csv and prices.csv: %v", err)
	}
	var locs []string
	for _, e := range les {
		locs = append(locs, e.Loc.String())
		checkLoadErrorWords(t, e)
	}
	if got := strings.Join(locs, " "); got != "villages.md:survey:4:type villages.md:survey:15:name" {
		t.Errorf("missing files located at %s: %v", got, les)
	}
	if !strings.Contains(les[0].Error(), `"regions.csv" (select_one_from_file), which was not given; attach it with --attach regions.csv`) {
		t.Errorf("message: %s", les[0])
	}
	// For showing, the form loads and says what it lacks.
	f, err := LoadForShow("villages.md", []byte(villageMD))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Attachments) != 5 || len(f.MissingAttachments()) != 5 || f.Attachments[0].Given() {
		t.Errorf("unattached: %d attachments, %d missing", len(f.Attachments), len(f.MissingAttachments()))
	}
	if l := f.Lists[f.Field("village").ListName]; l == nil || len(l.Choices) != 0 {
		t.Errorf("a select from a missing file offers %v", l)
	}
}

func TestAttachmentsRefused(t *testing.T) {
	files := villageFiles()
	cases := []struct {
		name  string
		files []File
		loc   string
		key   loadKey
	}{
		{"not named", append(files, File{Name: "extra.csv", Data: []byte("a\n1\n")}), "extra.csv", ldAttachNotNamed},
		{"twice", append(files, files[0]), "regions.csv", ldAttachTwice},
		{"too large", append(files[1:], File{Name: "regions.csv", Data: make([]byte, MaxAttachmentBytes+1)}), "regions.csv", ldAttachTooLarge},
		{"path", append(files[1:], File{Name: "dir/regions.csv", Data: files[0].Data}), "", ""},
	}
	for _, c := range cases {
		_, err := Load("villages.md", []byte(villageMD), c.files...)
		if c.key == "" {
			if err != nil {
				t.Errorf("%s: a path is read by its base name: %v", c.name, err)
			}
			continue
		}
		wantLoadError(t, c.name, err, c.loc, c.key)
	}
}

// wantLoadError checks that err holds a problem at loc with key, worded in
// every language.
func wantLoadError(t *testing.T, what string, err error, loc string, key loadKey) {
	t.Helper()
	var les LoadErrors
	if !errors.As(err, &les) {
		t.Errorf("%s: want a load error at %s, got %v", what, loc, err)
		return
	}
	for _, e := range les {
		checkLoadErrorWords(t, e)
		if strings.ContainsRune(e.Error(), 0x1b) {
			t.Errorf("%s: escape in message %q", what, e.Error())
		}
		if e.Loc.String() == loc && e.Key() == string(key) {
			return
		}
	}
	t.Errorf("%s: no %s at %s in\n%v", what, key, loc, les)
}

func TestAttachmentFormErrors(t *testing.T) {
	head := "| survey |\n| | type | name | label | calculation | parameters |\n"
	cases := []struct {
		name, rows string
		files      []File
		loc        string
		key        loadKey
	}{
		{"instance of nothing", "| | calculate | c | | instance('nowhere')/root/item[name='a']/label | |\n", nil,
			"t.md:survey:3:calculation", ldInstanceUnknown},
		{"pulldata of xml", "| | select_one_from_file f.xml | s | S | | |\n| | calculate | c | | pulldata('f','a','b','c') | |\n", nil,
			"t.md:survey:4:calculation", ldPulldataNotCSV},
		{"two files one name", "| | select_one_from_file f.xml | s | S | | |\n| | select_one_from_file f.csv | t | T | | |\n", nil,
			"t.md:survey:4:type", ldAttachSameInstance},
		{"or_other", "| | select_one_from_file f.csv or_other | s | S | | |\n", nil, "t.md:survey:3:type", ldFromFileOrOther},
		{"folder", "| | select_one_from_file ../f.csv | s | S | | |\n", nil, "t.md:survey:3:type", ldAttachBadName},
		{"external without name", "| | csv-external | | | | |\n", nil, "t.md:survey:3:type", ldExternalNoName},
		{"no value column", "| | select_one_from_file f.csv | s | S | | value=code |\n",
			[]File{{"f.csv", []byte("name,label\na,A\n")}}, "f.csv:1", ldFileNoColumn},
		{"no label column", "| | select_one_from_file f.csv | s | S | | |\n",
			[]File{{"f.csv", []byte("name,title\na,A\n")}}, "f.csv:1", ldFileNoColumn},
		{"blank value", "| | select_one_from_file f.csv | s | S | | |\n",
			[]File{{"f.csv", []byte("name,label\na,A\n,B\n")}}, "f.csv:3:name", ldFileChoiceNoValue},
		{"duplicate value", "| | select_one_from_file f.csv | s | S | | |\n",
			[]File{{"f.csv", []byte("name,label\na,A\nb,B\na,\x1b[2JC\n")}}, "f.csv:4:name", ldFileChoiceDup},
		{"space in multiple", "| | select_multiple_from_file f.csv | s | S | | |\n",
			[]File{{"f.csv", []byte("name,label\na b,A\n")}}, "f.csv:2:name", ldFileChoiceSpace},
	}
	for _, c := range cases {
		_, err := Load("t.md", []byte(head+c.rows), c.files...)
		wantLoadError(t, c.name, err, c.loc, c.key)
	}
	// The form's own list clashes with a file of the same name.
	_, err := Load("t.md", []byte(head+"| | select_one_from_file yn.csv | s | S | | |\n| | select_one yn | t | T | | |\n"+
		"| choices |\n| | list_name | name | label |\n| | yn | y | Y |\n"), File{"yn.csv", []byte("name,label\na,A\n")})
	wantLoadError(t, "list clash", err, "t.md:survey:3:type", ldAttachListClash)
}

func TestAttachmentChoiceOptions(t *testing.T) {
	md := "| survey |\n| | type | name | label |\n| | select_one_from_file f.csv | s | S |\n" +
		"| settings |\n| | form_id | allow_choice_duplicates | default_language |\n| | t | yes | 中文 |\n"
	f, err := Load("t.md", []byte(md), File{"f.csv", []byte("name,label::English,label::中文,name::x\na,Apple,苹果,1\na,Again,又,2\n")})
	if err != nil {
		t.Fatal(err)
	}
	l := f.Lists[f.Field("s").ListName]
	if len(l.Choices) != 2 || l.Choices[0].LabelIn("English") != "Apple" || l.Choices[1].LabelIn("中文") != "又" {
		t.Errorf("translated labels: %+v", l.Choices)
	}
}

// TestAttachmentLookupsFollowAnswers: a pulldata() calculation is
// recomputed when its key changes, through the dependency graph.
func TestAttachmentLookupsFollowAnswers(t *testing.T) {
	f := loadVillages(t)
	in := f.NewInstance(Options{})
	for _, step := range []struct{ village, pop string }{{"v1", "40"}, {"v3", "7"}, {"", ""}} {
		if err := in.Set("village", step.village); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := in.Value("pop"); got != step.pop {
			t.Errorf("village %q: pop %q, want %q", step.village, got, step.pop)
		}
	}
}

// TestCorpusCascadeFromFiles: the UCL biomass form's cascade of four
// selects from files, region to plot, with the data files beside it.
func TestCorpusCascadeFromFiles(t *testing.T) {
	p := corpusDir + "/UCL_Biomass_Plot_Form.xlsx"
	f, err := LoadFile(p, mediaPaths(t, p)...)
	if err != nil {
		t.Fatal(err)
	}
	in := f.NewInstance(Options{})
	steps := []struct{ set, value, ask, want string }{
		{"region_id", "1", "district_id", "11 12"},
		{"district_id", "11", "village", "111 112"},
		{"village", "111", "plot_id", ""},
		{"plant_phase", "2023", "plot_id", "P-111-02"},
	}
	for _, s := range steps {
		if err := in.Set(s.set, s.value); err != nil {
			t.Fatal(err)
		}
		choices, err := in.Choices(s.ask)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range choices {
			names = append(names, c.Name)
		}
		if got := strings.Join(names, " "); got != s.want {
			t.Errorf("after %s=%s, %s offers %q, want %q", s.set, s.value, s.ask, got, s.want)
		}
	}
}

func mediaPaths(t *testing.T, form string) []string {
	var out []string
	for _, f := range corpusMedia(t, form) {
		out = append(out, strings.TrimSuffix(form, ".xlsx")+"-media/"+f.Name)
	}
	return out
}
