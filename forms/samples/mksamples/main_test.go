package main

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// readBack opens an .xlsx and returns its sheets in workbook order with their
// rows, trailing empty cells and rows trimmed.
func readBack(t *testing.T, path string) (names []string, rows map[string][][]string) {
	t.Helper()
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer x.Close()
	rows = map[string][][]string{}
	for _, name := range x.GetSheetList() {
		r, err := x.GetRows(name)
		if err != nil {
			t.Fatalf("%s: read sheet %s: %v", path, name, err)
		}
		names = append(names, name)
		rows[name] = trim(r)
	}
	return names, rows
}

// trim drops trailing empty cells of each row and trailing empty rows.
func trim(rows [][]string) [][]string {
	out := make([][]string, 0, len(rows))
	for _, r := range rows {
		n := len(r)
		for n > 0 && r[n-1] == "" {
			n--
		}
		out = append(out, r[:n:n])
	}
	for len(out) > 0 && len(out[len(out)-1]) == 0 {
		out = out[:len(out)-1]
	}
	return out
}

// checkWorkbook compares the workbook at path with the tables of f.
func checkWorkbook(t *testing.T, path string, f form) {
	t.Helper()
	names, got := readBack(t, path)
	want := sheets(f)
	var wantNames []string
	for _, s := range want {
		wantNames = append(wantNames, s.Name)
	}
	if !slices.Equal(names, wantNames) {
		t.Fatalf("%s: sheets %q, want %q", path, names, wantNames)
	}
	for _, s := range want {
		w := trim(s.Rows)
		g := got[s.Name]
		if len(g) != len(w) {
			t.Errorf("%s: sheet %s has %d rows, want %d", path, s.Name, len(g), len(w))
			continue
		}
		for i := range w {
			if !slices.Equal(g[i], w[i]) {
				t.Errorf("%s: %s row %d = %q, want %q", path, s.Name, i+1, g[i], w[i])
			}
		}
	}
}

func TestGeneratedWorkbooksReadBack(t *testing.T) {
	dir := t.TempDir()
	paths, err := writeAll(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(samples) {
		t.Fatalf("wrote %d files, want %d", len(paths), len(samples))
	}
	for i, f := range samples {
		checkWorkbook(t, paths[i], f)
	}
}

// TestCommittedWorkbooksUpToDate fails when a table was edited but the .xlsx
// beside this package was not regenerated.
func TestCommittedWorkbooksUpToDate(t *testing.T) {
	for _, f := range samples {
		path := filepath.Join("..", f.File+".xlsx")
		t.Run(f.File, func(t *testing.T) {
			checkWorkbook(t, path, f)
			if t.Failed() {
				t.Log("run `go generate ./forms/samples` from the repository root")
			}
		})
	}
}

var (
	nameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
	refRE  = regexp.MustCompile(`\$\{([^}]*)\}`)
)

// builtinLists are fieldbench's built-in division lists and the extra
// columns their choices carry for choice_filter.
var builtinLists = map[string][]string{
	"cn_province": nil,
	"cn_city":     {"province"},
	"cn_county":   {"province", "city"},
	"cn_township": {"province", "city", "county"},
}

var metaTypes = map[string]bool{"start": true, "end": true, "today": true, "deviceid": true, "username": true}

var sensitiveClasses = map[string]bool{"": true, "name": true, "id_number": true, "phone": true, "address": true, "bank_card": true}

// TestFormsWellFormed lints the tables: the things a loader would refuse or a
// translator would miss.
func TestFormsWellFormed(t *testing.T) {
	for _, f := range samples {
		t.Run(f.File, func(t *testing.T) {
			lists := map[string]map[string]bool{}
			for _, c := range f.Choices {
				if !nameRE.MatchString(c.Name) {
					t.Errorf("choice %s/%q: bad name", c.List, c.Name)
				}
				if c.LabelZH == "" || c.LabelEN == "" {
					t.Errorf("choice %s/%s: needs both labels", c.List, c.Name)
				}
				if lists[c.List] == nil {
					lists[c.List] = map[string]bool{}
				}
				if lists[c.List][c.Name] {
					t.Errorf("choice %s/%s: duplicate", c.List, c.Name)
				}
				lists[c.List][c.Name] = true
			}

			names := map[string]bool{}
			usedLists := map[string]bool{}
			var stack []string
			for i, q := range f.Survey {
				row := i + 2
				kind, list, _ := strings.Cut(q.Type, " ")
				switch kind {
				case "begin":
					stack = append(stack, q.Name)
				case "end":
					if list != "" { // "end group", "end repeat"
						if len(stack) == 0 || stack[len(stack)-1] != q.Name {
							t.Errorf("row %d: %s %s does not close %v", row, q.Type, q.Name, stack)
						} else {
							stack = stack[:len(stack)-1]
						}
						continue
					}
				}
				if !nameRE.MatchString(q.Name) {
					t.Errorf("row %d: bad name %q", row, q.Name)
				}
				if names[q.Name] {
					t.Errorf("row %d: duplicate name %s", row, q.Name)
				}
				names[q.Name] = true

				switch {
				case metaTypes[q.Type] || q.Type == "calculate":
					if q.LabelZH != "" || q.LabelEN != "" {
						t.Errorf("row %d: %s %s should have no label", row, q.Type, q.Name)
					}
				case q.LabelZH == "" || q.LabelEN == "":
					t.Errorf("row %d: %s needs labels in both languages", row, q.Name)
				}
				if (q.HintZH == "") != (q.HintEN == "") {
					t.Errorf("row %d: %s hint in one language only", row, q.Name)
				}
				if (q.RequiredMsgZH == "") != (q.RequiredMsgEN == "") {
					t.Errorf("row %d: %s required_message in one language only", row, q.Name)
				}
				if q.Constraint != "" && (q.ConstraintMsgZH == "" || q.ConstraintMsgEN == "") {
					t.Errorf("row %d: %s constraint without messages in both languages", row, q.Name)
				}
				if q.Constraint == "" && (q.ConstraintMsgZH != "" || q.ConstraintMsgEN != "") {
					t.Errorf("row %d: %s constraint message without a constraint", row, q.Name)
				}
				if q.Warning != "" && (q.WarningMsgZH == "" || q.WarningMsgEN == "") {
					t.Errorf("row %d: %s warning without messages in both languages", row, q.Name)
				}
				if q.Warning == "" && (q.WarningMsgZH != "" || q.WarningMsgEN != "") {
					t.Errorf("row %d: %s warning message without a warning", row, q.Name)
				}
				if (q.Type == "calculate") != (q.Calculation != "") && q.Trigger == "" {
					t.Errorf("row %d: %s: calculation belongs to calculate rows (and triggered questions)", row, q.Name)
				}
				if !sensitiveClasses[q.Sensitive] {
					t.Errorf("row %d: %s: unknown sensitive class %q", row, q.Name, q.Sensitive)
				}
				if q.RepeatCount != "" && q.Type != "begin repeat" {
					t.Errorf("row %d: %s: repeat_count outside begin repeat", row, q.Name)
				}
				if q.Type == "note" || metaTypes[q.Type] {
					if q.SaveTo != "" {
						t.Errorf("row %d: %s: a %s saves no entity property", row, q.Name, q.Type)
					}
				}
				if kind == "select_one" || kind == "select_multiple" {
					usedLists[list] = true
					if extra, ok := builtinLists[list]; ok {
						if lists[list] != nil {
							t.Errorf("row %d: %s: built-in list %s also has choices rows", row, q.Name, list)
						}
						if q.ChoiceFilter != "" {
							col, _, _ := strings.Cut(q.ChoiceFilter, "=")
							if !slices.Contains(extra, strings.TrimSpace(col)) {
								t.Errorf("row %d: %s: %s has no column %q", row, q.Name, list, col)
							}
						}
					} else if lists[list] == nil {
						t.Errorf("row %d: %s: no choices for list %q", row, q.Name, list)
					}
				} else if q.ChoiceFilter != "" {
					t.Errorf("row %d: %s: choice_filter on a non-select", row, q.Name)
				}
			}
			if len(stack) != 0 {
				t.Errorf("unclosed groups or repeats: %v", stack)
			}
			for l := range lists {
				if !usedLists[l] {
					t.Errorf("choice list %s is not used", l)
				}
			}

			// Every ${name} names a field of the form.
			check := func(where, src string) {
				for _, m := range refRE.FindAllStringSubmatch(src, -1) {
					if !names[m[1]] {
						t.Errorf("%s: ${%s} names no field", where, m[1])
					}
				}
			}
			for _, q := range f.Survey {
				for _, src := range []string{q.LabelZH, q.LabelEN, q.HintZH, q.HintEN, q.Required, q.Relevant,
					q.Constraint, q.Warning, q.Calculation, q.ChoiceFilter, q.RepeatCount, q.Trigger} {
					check(q.Name, src)
				}
			}
			for _, e := range f.Entities {
				for _, src := range []string{e.Label, e.CreateIf, e.EntityID} {
					check("entities "+e.List, src)
				}
			}
			settings := map[string]string{}
			for _, s := range f.Settings {
				settings[s.Key] = s.Value
				check("settings "+s.Key, s.Value)
			}
			if settings["form_id"] != f.File {
				t.Errorf("settings form_id %q, want the file name %q", settings["form_id"], f.File)
			}
			if settings["default_language"] != langZH {
				t.Errorf("settings default_language %q, want %q", settings["default_language"], langZH)
			}
			if !regexp.MustCompile(`^\d{10}$`).MatchString(settings["version"]) {
				t.Errorf("settings version %q is not yyyymmddrr", settings["version"])
			}
		})
	}
}
