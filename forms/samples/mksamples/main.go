// Command mksamples writes fieldbench's sample XLSForms from the Go tables in
// household.go, followup.go and business.go, one .xlsx per form with the
// sheets survey, choices and settings, and entities for the forms that
// create or update entity lists.
//
// Run it from the repository root:
//
//	go run ./forms/samples/mksamples            # writes forms/samples/*.xlsx
//	go run ./forms/samples/mksamples -out DIR   # writes DIR/*.xlsx
//
// or `go generate ./forms/samples`. The output depends only on the tables,
// so regenerating an unchanged form gives the same cells.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/xuri/excelize/v2"
)

// The two languages of every sample form, written as XLSForm column suffixes
// ("label::简体中文 (zh)").
const (
	langZH = "简体中文 (zh)"
	langEN = "English (en)"
)

// question is one row of the survey sheet. Text columns come in pairs:
// ...ZH for 简体中文 (zh), ...EN for English (en).
type question struct {
	Type             string
	Name             string
	LabelZH, LabelEN string
	HintZH, HintEN   string
	Required         string
	RequiredMsgZH    string
	RequiredMsgEN    string
	Relevant         string
	Constraint       string
	ConstraintMsgZH  string
	ConstraintMsgEN  string
	Warning          string // fieldbench extension: a soft check, confirmed rather than refused
	WarningMsgZH     string
	WarningMsgEN     string
	Calculation      string
	Default          string
	ChoiceFilter     string
	RepeatCount      string
	Appearance       string
	Validate         string // fieldbench extension: validator tags
	Sensitive        string // fieldbench extension: masking class
	Trigger          string // the trigger column: ${name}s whose change sets this question
	SaveTo           string // the save_to column: the entity property saved, LIST#property
}

// entity is one row of the entities sheet (ODK Entities).
type entity struct {
	List, Label, CreateIf, EntityID string
}

// choice is one row of the choices sheet.
type choice struct {
	List, Name       string
	LabelZH, LabelEN string
}

// setting is one column of the settings sheet (header and value).
type setting struct {
	Key, Value string
}

// form is one sample form: File is the output name without ".xlsx".
type form struct {
	File     string
	Title    string // workbook document title (file properties only)
	Survey   []question
	Choices  []choice
	Settings []setting
	Entities []entity // the entities sheet, left out when empty
}

// column is one survey column: its header and how to read it from a row.
type column struct {
	Header string
	Get    func(q question) string
}

var surveyColumns = []column{
	{"type", func(q question) string { return q.Type }},
	{"name", func(q question) string { return q.Name }},
	{"label::" + langZH, func(q question) string { return q.LabelZH }},
	{"label::" + langEN, func(q question) string { return q.LabelEN }},
	{"hint::" + langZH, func(q question) string { return q.HintZH }},
	{"hint::" + langEN, func(q question) string { return q.HintEN }},
	{"required", func(q question) string { return q.Required }},
	{"required_message::" + langZH, func(q question) string { return q.RequiredMsgZH }},
	{"required_message::" + langEN, func(q question) string { return q.RequiredMsgEN }},
	{"relevant", func(q question) string { return q.Relevant }},
	{"constraint", func(q question) string { return q.Constraint }},
	{"constraint_message::" + langZH, func(q question) string { return q.ConstraintMsgZH }},
	{"constraint_message::" + langEN, func(q question) string { return q.ConstraintMsgEN }},
	{"warning", func(q question) string { return q.Warning }},
	{"warning_message::" + langZH, func(q question) string { return q.WarningMsgZH }},
	{"warning_message::" + langEN, func(q question) string { return q.WarningMsgEN }},
	{"calculation", func(q question) string { return q.Calculation }},
	{"default", func(q question) string { return q.Default }},
	{"choice_filter", func(q question) string { return q.ChoiceFilter }},
	{"repeat_count", func(q question) string { return q.RepeatCount }},
	{"appearance", func(q question) string { return q.Appearance }},
	{"validate", func(q question) string { return q.Validate }},
	{"sensitive", func(q question) string { return q.Sensitive }},
	{"trigger", func(q question) string { return q.Trigger }},
	{"save_to", func(q question) string { return q.SaveTo }},
}

// samples is every form the command writes, in output order.
var samples = []form{householdVisit, businessCensus, householdFollowup}

// surveyRows is the survey sheet as text: a header row, then one row per
// question. Columns no row of the form uses are left out, except type, name
// and the labels.
func surveyRows(f form) [][]string {
	var cols []column
	for i, c := range surveyColumns {
		used := i < 4 // type, name, label::zh, label::en
		for _, q := range f.Survey {
			if c.Get(q) != "" {
				used = true
				break
			}
		}
		if used {
			cols = append(cols, c)
		}
	}
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Header
	}
	rows := [][]string{header}
	for _, q := range f.Survey {
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = c.Get(q)
		}
		rows = append(rows, row)
	}
	return rows
}

// choiceRows is the choices sheet as text, header first.
func choiceRows(f form) [][]string {
	rows := [][]string{{"list_name", "name", "label::" + langZH, "label::" + langEN}}
	for _, c := range f.Choices {
		rows = append(rows, []string{c.List, c.Name, c.LabelZH, c.LabelEN})
	}
	return rows
}

// settingRows is the settings sheet as text: one header row, one value row.
func settingRows(f form) [][]string {
	keys := make([]string, len(f.Settings))
	values := make([]string, len(f.Settings))
	for i, s := range f.Settings {
		keys[i], values[i] = s.Key, s.Value
	}
	return [][]string{keys, values}
}

// entityRows is the entities sheet as text, header first; columns no row
// uses are left out, except list_name.
func entityRows(f form) [][]string {
	cols := []struct {
		header string
		get    func(e entity) string
	}{
		{"list_name", func(e entity) string { return e.List }},
		{"label", func(e entity) string { return e.Label }},
		{"create_if", func(e entity) string { return e.CreateIf }},
		{"entity_id", func(e entity) string { return e.EntityID }},
	}
	var header []string
	var used []int
	for i, c := range cols {
		for _, e := range f.Entities {
			if c.get(e) != "" || i == 0 {
				header, used = append(header, c.header), append(used, i)
				break
			}
		}
	}
	rows := [][]string{header}
	for _, e := range f.Entities {
		row := make([]string, len(used))
		for j, i := range used {
			row[j] = cols[i].get(e)
		}
		rows = append(rows, row)
	}
	return rows
}

// sheets is the workbook of f: sheet names in order and their rows.
func sheets(f form) []struct {
	Name string
	Rows [][]string
} {
	out := []struct {
		Name string
		Rows [][]string
	}{
		{"survey", surveyRows(f)},
		{"choices", choiceRows(f)},
		{"settings", settingRows(f)},
	}
	if len(f.Entities) > 0 {
		out = append(out, struct {
			Name string
			Rows [][]string
		}{"entities", entityRows(f)})
	}
	return out
}

// fixedTime stamps the document properties so that output does not depend on
// when the generator ran.
var fixedTime = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)

// workbook builds the .xlsx of f in memory.
func workbook(f form) (*excelize.File, error) {
	x := excelize.NewFile()
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	for i, s := range sheets(f) {
		if i == 0 {
			if err := x.SetSheetName(x.GetSheetName(0), s.Name); err != nil {
				return nil, err
			}
		} else if _, err := x.NewSheet(s.Name); err != nil {
			return nil, err
		}
		for r, row := range s.Rows {
			cell, err := excelize.CoordinatesToCellName(1, r+1)
			if err != nil {
				return nil, err
			}
			if err := x.SetSheetRow(s.Name, cell, &row); err != nil {
				return nil, err
			}
		}
		if err := x.SetRowStyle(s.Name, 1, 1, bold); err != nil {
			return nil, err
		}
		if err := x.SetPanes(s.Name, &excelize.Panes{
			Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		}); err != nil {
			return nil, err
		}
		if len(s.Rows) > 0 && len(s.Rows[0]) > 0 {
			last, err := excelize.ColumnNumberToName(len(s.Rows[0]))
			if err != nil {
				return nil, err
			}
			if err := x.SetColWidth(s.Name, "A", last, 22); err != nil {
				return nil, err
			}
		}
	}
	x.SetActiveSheet(0)
	if err := x.SetDocProps(&excelize.DocProperties{
		Title:    f.Title,
		Creator:  "fieldbench mksamples",
		Created:  fixedTime,
		Modified: fixedTime,
	}); err != nil {
		return nil, err
	}
	return x, nil
}

// writeAll writes every sample form into dir and returns the paths written.
func writeAll(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range samples {
		x, err := workbook(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.File, err)
		}
		path := filepath.Join(dir, f.File+".xlsx")
		buf, err := x.WriteToBuffer()
		if cerr := x.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.WriteFile(path, buf.Bytes(), 0o644)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.File, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

func main() {
	out := flag.String("out", filepath.Join("forms", "samples"), "directory to write the .xlsx files into")
	flag.Parse()
	paths, err := writeAll(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mksamples:", err)
		os.Exit(1)
	}
	for _, p := range paths {
		fmt.Println("wrote", p)
	}
}
