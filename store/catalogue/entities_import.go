package catalogue

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/cnid"
	"github.com/fieldbench/fieldbench/forms/divisions"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"
)

// Preloading (assignments, as Survey Solutions calls them): a county
// officer imports the households or businesses to visit from a CSV or
// XLSX file. Its first row names the columns: label (required), name (the
// entity's id; when blank or absent, a UUID derived from the row), the township column and
// the assignee column the import names, and one column per property. Every
// row is checked before anything is stored: a known list takes only its
// own properties; the township is a known 9-digit code; a property saved
// by a question with a validate rule (cn_id, cn_mobile, cn_division...)
// passes that rule and is stored as the rule normalises it. Any problem is
// reported with its row and column, and nothing is stored. A list the
// catalogue has not seen yet takes the file's columns as its properties.

// EntityImport says which columns of the file hold what.
type EntityImport struct {
	List        string
	TownshipCol string // required
	AssignCol   string // optional: the collector each row is assigned to
	Lang        string // of the rules' messages
	Who         string // who imports, for the audit
}

// ImportProblem is one bad cell or column of an import: Row is the
// file's row (1 is the header), 0 for the file as a whole; Code names the
// problem (ProblemUnknownColumn...), Detail adds what the rule said.
type ImportProblem struct {
	Row    int
	Column string
	Code   string
	Value  string
	Detail string
}

// The problems an import reports.
const (
	ProblemNoRows         = "no_rows"
	ProblemMissingColumn  = "missing_column"
	ProblemUnknownColumn  = "unknown_column"
	ProblemDuplicateCol   = "duplicate_column"
	ProblemNoLabel        = "no_label"
	ProblemBadTownship    = "bad_township"
	ProblemBadValue       = "bad_value"
	ProblemBadID          = "bad_id"
	ProblemDuplicateID    = "duplicate_id"
	ProblemIDExists       = "id_exists"
	ProblemUnreadableFile = "unreadable"
)

// maxImportRows bounds an import: a county's households fit many times.
const maxImportRows = 1_000_000

// ReadTable reads a CSV (UTF-8, a BOM allowed) or the first sheet of an
// XLSX file into rows of cells, by the file's extension.
func ReadTable(name string, data []byte) ([][]string, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
		r.FieldsPerRecord = -1
		var rows [][]string
		for {
			row, err := r.Read()
			if err != nil {
				if errors.Is(err, io.EOF) {
					return rows, nil
				}
				return nil, err
			}
			if len(rows) > maxImportRows {
				return nil, fmt.Errorf("more than %d rows", maxImportRows)
			}
			rows = append(rows, row)
		}
	case ".xlsx":
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, fmt.Errorf("the workbook has no sheet")
		}
		return f.GetRows(sheets[0])
	}
	return nil, fmt.Errorf("%s: a CSV or XLSX file is needed", name)
}

// ImportEntities checks rows (the header first) and stores them as new
// entities of the list, each at version 1 with kind "import" in the
// history; it returns how many it stored, or the problems and nothing
// stored.
func (db *DB) ImportEntities(ctx context.Context, imp EntityImport, rows [][]string) (int, []ImportProblem, error) {
	if len(rows) < 2 {
		return 0, []ImportProblem{{Code: ProblemNoRows}}, nil
	}
	known, fields, err := db.listProperties(ctx, imp.List)
	if err != nil {
		return 0, nil, err
	}
	entities, problems := checkImport(imp, rows, known, fields)
	if len(problems) > 0 {
		return 0, problems, nil
	}
	sl, err := db.newEntitySealer(ctx)
	if err == nil {
		err = sl.prepareList(ctx, imp.List, nil, nil)
	}
	if err != nil {
		return 0, nil, err
	}
	at := db.stamp()
	err = db.tx(ctx, func(tx txn) error {
		sl.in(tx)
		problems = problems[:0]
		ids := make([]string, len(entities))
		line := map[string]int{}
		for i, e := range entities {
			ids[i], line[e.id] = e.id, i+2
		}
		arg, _ := json.Marshal(ids)
		err := sqlitedb.Each(ctx, tx, fmt.Sprintf(qEntitiesIn, db.d.jsonRows), []any{string(arg)}, func(row sqlitedb.Scanner) error {
			var e entityState
			var props string
			var sealed entitySeal
			if err := row.Scan(append([]any{&e.list, &e.id, &e.label, &e.township, &e.version, &props, &e.conflict}, sealed.dest()...)...); err != nil {
				return err
			}
			if e.list == imp.List {
				problems = append(problems, ImportProblem{Row: line[e.id], Column: "name", Code: ProblemIDExists, Value: e.id})
			}
			return nil
		})
		if err != nil || len(problems) > 0 {
			return err
		}
		first, err := takeEntitySeqs(ctx, tx, len(entities))
		if err != nil {
			return err
		}
		if err := upsertEntities(ctx, tx, sl, entities, first, at); err != nil {
			return err
		}
		versions := make([]entityVersionRow, len(entities))
		for i, e := range entities {
			versions[i] = entityVersionRow{entityKey: e.entityKey, version: 1, kind: "import", label: e.label, props: e.props, userID: imp.Who}
		}
		if err := insertEntityVersions(ctx, tx, sl, versions, at); err != nil {
			return err
		}
		props := known
		if props == nil {
			props = propertyColumns(rows[0], imp)
		}
		list, _ := json.Marshal(props)
		// A list the catalogue had not seen gets no defining form: its
		// properties are masked as free text until a form creates in it.
		_, err = tx.ExecContext(ctx, qEntityListImported, imp.List, string(list), at, at)
		return err
	})
	if err != nil || len(problems) > 0 {
		return 0, problems, err
	}
	return len(entities), nil, nil
}

// listProperties are a known list's properties and the questions of its
// defining form that save them; nil properties for a list not seen yet.
func (db *DB) listProperties(ctx context.Context, list string) ([]string, map[string]*forms.Field, error) {
	var formID, formVersion, props string
	err := db.queryRow(ctx, qEntityListGet, list).Scan(&formID, &formVersion, &props)
	if isNoRows(err) {
		return nil, map[string]*forms.Field{}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var names []string
	if err := json.Unmarshal([]byte(props), &names); err != nil {
		return nil, nil, err
	}
	m, err := db.maskerFor(ctx, list)
	if err != nil {
		return nil, nil, err
	}
	return names, m.fields, nil
}

// importNamespace is the UUID namespace of the ids an import derives.
var importNamespace = uuid.MustParse("6f1d2c7e-3b0a-4e55-9a41-0c9f5b8e2d17")

// Columns with a meaning of their own in an import.
const (
	importIDCol    = "name"
	importLabelCol = "label"
)

// propertyColumns are the header's columns that hold properties.
func propertyColumns(header []string, imp EntityImport) []string {
	var out []string
	for _, h := range header {
		h = strings.TrimSpace(h)
		if h != "" && h != importIDCol && h != importLabelCol && h != imp.TownshipCol && h != imp.AssignCol {
			out = append(out, h)
		}
	}
	return out
}

// checkImport reads and checks every row; the entities when there is no
// problem.
func checkImport(imp EntityImport, rows [][]string, known []string, fields map[string]*forms.Field) ([]*entityState, []ImportProblem) {
	var problems []ImportProblem
	col := map[string]int{}
	for i, h := range rows[0] {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if _, dup := col[h]; dup {
			problems = append(problems, ImportProblem{Row: 1, Column: h, Code: ProblemDuplicateCol})
		}
		col[h] = i
	}
	for _, need := range []string{importLabelCol, imp.TownshipCol} {
		if _, ok := col[need]; !ok {
			problems = append(problems, ImportProblem{Row: 1, Column: need, Code: ProblemMissingColumn})
		}
	}
	props := propertyColumns(rows[0], imp)
	if known != nil {
		for _, p := range props {
			if !slices.Contains(known, p) {
				problems = append(problems, ImportProblem{Row: 1, Column: p, Code: ProblemUnknownColumn, Detail: strings.Join(known, ", ")})
			}
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	cell := func(row []string, name string) string {
		if i, ok := col[name]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	seen := map[string]int{}
	var out []*entityState
	for n, row := range rows[1:] {
		line := n + 2
		if !slices.ContainsFunc(row, func(c string) bool { return strings.TrimSpace(c) != "" }) {
			continue // a blank row, as spreadsheets leave them
		}
		e := &entityState{entityKey: entityKey{list: imp.List, id: cell(row, importIDCol)}, label: cell(row, importLabelCol),
			township: cell(row, imp.TownshipCol), version: 1, props: map[string]string{}}
		if imp.AssignCol != "" {
			e.assignedTo = cell(row, imp.AssignCol)
		}
		bad := func(column, code, value, detail string) {
			problems = append(problems, ImportProblem{Row: line, Column: column, Code: code, Value: value, Detail: detail})
		}
		if e.id == "" {
			// Derived from the row: the same file imported again is
			// refused (the ids are there already) rather than stored twice.
			e.id = uuid.NewSHA1(importNamespace, []byte(imp.List+"\x00"+strings.Join(row, "\x00"))).String()
		} else if reason := checkEntityChange(forms.EntityChange{List: imp.List, ID: e.id}); reason != "" {
			bad(importIDCol, ProblemBadID, e.id, reason)
		} else if first, dup := seen[e.id]; dup {
			bad(importIDCol, ProblemDuplicateID, e.id, fmt.Sprint(first))
		}
		seen[e.id] = line
		if e.label == "" {
			bad(importLabelCol, ProblemNoLabel, "", "")
		}
		if d, ok := divisions.Lookup(e.township); !ok || d.Level != divisions.Township {
			bad(imp.TownshipCol, ProblemBadTownship, e.township, "")
		}
		for _, p := range props {
			v := cell(row, p)
			if fd := fields[p]; fd != nil && fd.Validate != "" {
				norm, probs := cnid.Default().Check(fd.Validate, v, imp.Lang)
				for _, pr := range probs {
					if !pr.Warning {
						bad(p, ProblemBadValue, v, pr.Message)
					}
				}
				v = norm
			}
			e.props[p] = v
		}
		if reason := checkEntityChange(forms.EntityChange{List: imp.List, ID: e.id, Label: e.label, Properties: e.props}); reason != "" {
			bad("", ProblemBadValue, "", reason)
		}
		out = append(out, e)
	}
	if len(out) == 0 && len(problems) == 0 {
		problems = append(problems, ImportProblem{Code: ProblemNoRows})
	}
	return out, problems
}

// A list an import creates has no defining form yet; an import into a
// known list leaves its form and properties.
const qEntityListImported = `INSERT INTO entity_lists (name, form_id, form_version, properties, created_at, updated_at)
	VALUES (?, '', '', ?, ?, ?)
	ON CONFLICT (name) DO UPDATE SET updated_at = excluded.updated_at`
