package forms

import (
	"sync"

	"github.com/fieldbench/fieldbench/forms/expr"
)

// DataTable is an attached data file as lookups and selects read it: items
// (CSV rows, XML items, GeoJSON features) of named values, the shape of
// instance('name')/root/item. It is immutable once parsed, and safe for
// concurrent use: its indexes are built once, on first use.
type DataTable struct {
	root, item string
	cols       []string
	colIndex   map[string]int
	cells      []string // row-major: row r is cells[r*width : (r+1)*width]
	lines      []int32  // where each row starts in the file, for messages
	indexes    columnIndexes
}

// newTable makes an empty table with these columns.
func newTable(root, item string, cols []string) *DataTable {
	t := &DataTable{root: root, item: item, cols: cols, colIndex: make(map[string]int, len(cols))}
	for i, c := range cols {
		if _, dup := t.colIndex[c]; !dup {
			t.colIndex[c] = i
		}
	}
	return t
}

// addRow appends one item; row must be as long as the columns.
func (t *DataTable) addRow(line int, row []string) {
	t.cells = append(t.cells, row...)
	t.lines = append(t.lines, int32(line))
}

// Columns are the names of the items' values, in file order.
func (t *DataTable) Columns() []string { return t.cols }

func (t *DataTable) Names() (root, item string) { return t.root, t.item }

func (t *DataTable) Len() int { return len(t.lines) }

func (t *DataTable) Width() int { return len(t.cols) }

func (t *DataTable) Column(name string) int {
	if i, ok := t.colIndex[name]; ok {
		return i
	}
	return -1
}

func (t *DataTable) ColumnName(col int) string { return t.cols[col] }

func (t *DataTable) Value(row, col int) string { return t.cells[row*len(t.cols)+col] }

// row is one item's values, sharing the table's memory.
func (t *DataTable) row(r int) []string {
	w := len(t.cols)
	return t.cells[r*w : (r+1)*w : (r+1)*w]
}

// line is where row r starts in the file.
func (t *DataTable) line(r int) int { return int(t.lines[r]) }

func (t *DataTable) Rows(col int, value string) []int32 {
	return t.indexes.rows(col, len(t.cols), t.Len(), value, t.Value)
}

var _ expr.Instance = (*DataTable)(nil)

// columnIndexes finds rows by a column's value for any table-like source,
// one index per column, built on its first lookup: a form that never looks
// a column up never pays for its index.
type columnIndexes struct {
	mu    sync.Mutex
	byCol map[int]*rowIndex
}

// rowIndex maps a value to its rows. Most key columns are unique, so a
// value's one row is kept as a number and handed out as a one-element
// window on ident (0, 1, 2...), allocating nothing per row.
type rowIndex struct {
	first map[string]int32
	more  map[string][]int32 // every row of a value found more than once
	ident []int32
}

func (ci *columnIndexes) rows(col, width, n int, value string, valueAt func(row, col int) string) []int32 {
	if col < 0 || col >= width {
		return nil
	}
	ci.mu.Lock()
	ix := ci.byCol[col]
	if ix == nil {
		ix = buildRowIndex(col, n, valueAt)
		if ci.byCol == nil {
			ci.byCol = map[int]*rowIndex{}
		}
		ci.byCol[col] = ix
	}
	ci.mu.Unlock()
	if rs, ok := ix.more[value]; ok {
		return rs
	}
	if r, ok := ix.first[value]; ok {
		return ix.ident[r : r+1 : r+1]
	}
	return nil
}

func buildRowIndex(col, n int, valueAt func(row, col int) string) *rowIndex {
	ix := &rowIndex{first: make(map[string]int32, n), ident: make([]int32, n)}
	for r := 0; r < n; r++ {
		ix.ident[r] = int32(r)
		v := valueAt(r, col)
		first, seen := ix.first[v]
		if !seen {
			ix.first[v] = int32(r)
			continue
		}
		if ix.more == nil {
			ix.more = map[string][]int32{}
		}
		if ix.more[v] == nil {
			ix.more[v] = []int32{first}
		}
		ix.more[v] = append(ix.more[v], int32(r))
	}
	return ix
}

// choiceInstance is a choice list read as instance('list'): items with
// name, label (in the form's default language) and the list's extra
// columns, as pyxform writes a list into the XForm.
type choiceInstance struct {
	list    *ChoiceList
	lang    string
	indexes columnIndexes
}

func newChoiceInstance(l *ChoiceList, lang string) *choiceInstance {
	return &choiceInstance{list: l, lang: lang}
}

func (c *choiceInstance) Names() (root, item string) { return "root", "item" }

func (c *choiceInstance) Len() int { return len(c.list.Choices) }

func (c *choiceInstance) Width() int { return 2 + len(c.list.Columns) }

func (c *choiceInstance) Column(name string) int {
	switch name {
	case "name":
		return 0
	case "label":
		return 1
	}
	for i, col := range c.list.Columns {
		if col == name {
			return 2 + i
		}
	}
	return -1
}

func (c *choiceInstance) ColumnName(col int) string {
	switch col {
	case 0:
		return "name"
	case 1:
		return "label"
	}
	return c.list.Columns[col-2]
}

func (c *choiceInstance) Value(row, col int) string {
	ch := c.list.Choices[row]
	switch col {
	case 0:
		return ch.Name
	case 1:
		return ch.LabelIn(c.lang)
	}
	if i := col - 2; i < len(ch.extra) {
		return ch.extra[i]
	}
	return ""
}

func (c *choiceInstance) Rows(col int, value string) []int32 {
	return c.indexes.rows(col, c.Width(), c.Len(), value, c.Value)
}
