package divisions

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// The files are embedded as strings rather than byte slices so that every
// Code and Name handed out is a substring of read-only data: parsing
// allocates one slice per level and nothing per row.
var (
	//go:embed data/provinces.csv
	provincesCSV string
	//go:embed data/cities.csv
	citiesCSV string
	//go:embed data/areas.csv
	areasCSV string
	//go:embed data/streets.csv
	streetsCSV string
)

type tableSet struct {
	levels [4][]Division // indexed by Level-1, each sorted by Code
}

var (
	loadOnce sync.Once
	loaded   *tableSet
)

// tables parses the embedded files on first use; most runs of the workbench
// never touch divisions, so paying at start-up would be waste.
func tables() *tableSet {
	loadOnce.Do(func() {
		t, err := parseAll()
		if err != nil {
			// The data is compiled in and checked by the tests, so this can
			// only be a broken build; failing loudly beats silently empty
			// tables that would flag every code as unknown.
			panic("divisions: bundled data: " + err.Error())
		}
		loaded = t
	})
	return loaded
}

// fileSpec says how one file maps onto Division. Columns are found by header
// name because streets.csv orders its parent columns differently from the
// others.
type fileSpec struct {
	name  string
	data  string
	level Level
}

func parseAll() (*tableSet, error) {
	specs := [...]fileSpec{
		{"provinces.csv", provincesCSV, Province},
		{"cities.csv", citiesCSV, City},
		{"areas.csv", areasCSV, County},
		{"streets.csv", streetsCSV, Township},
	}
	t := &tableSet{}
	for _, sp := range specs {
		rows, err := parseFile(sp)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sp.name, err)
		}
		t.levels[sp.level-1] = rows
	}
	return t, t.check()
}

func parseFile(sp fileSpec) ([]Division, error) {
	data := sp.data
	header, data, _ := strings.Cut(data, "\n")
	cols := strings.Split(strings.TrimSuffix(header, "\r"), ",")
	idx := map[string]int{}
	for i, c := range cols {
		idx[c] = i
	}
	want := []string{"code", "name", "provinceCode", "cityCode", "areaCode"}[:sp.level+1]
	pos := make([]int, len(want))
	for i, w := range want {
		p, ok := idx[w]
		if !ok {
			return nil, fmt.Errorf("missing column %q", w)
		}
		pos[i] = p
	}

	rows := make([]Division, 0, strings.Count(data, "\n")+1)
	var fields [8]string
	for line := 2; data != ""; line++ {
		var rec string
		rec, data, _ = strings.Cut(data, "\n")
		rec = strings.TrimSuffix(rec, "\r")
		if rec == "" {
			continue
		}
		n, err := splitRecord(rec, fields[:])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if n != len(cols) {
			return nil, fmt.Errorf("line %d: %d fields, want %d", line, n, len(cols))
		}
		d := Division{Code: fields[pos[0]], Name: fields[pos[1]], Level: sp.level}
		if len(d.Code) != sp.level.CodeLen() || !allDigits(d.Code) {
			return nil, fmt.Errorf("line %d: bad code %q", line, d.Code)
		}
		// Ancestor columns exist only from the level below them.
		if sp.level > Province {
			d.Province = fields[pos[2]]
		}
		if sp.level > City {
			d.City = fields[pos[3]]
		}
		if sp.level > County {
			d.County = fields[pos[4]]
		}
		rows = append(rows, d)
	}
	return rows, nil
}

// splitRecord splits one CSV record into fields (quoted fields may contain
// commas and doubled quotes) and returns the field count. encoding/csv would
// do, but it copies every field; here unquoted fields and quoted fields
// without escapes stay substrings of the embedded data.
func splitRecord(rec string, out []string) (int, error) {
	n := 0
	for {
		if n == len(out) {
			return 0, fmt.Errorf("too many fields")
		}
		var f string
		if strings.HasPrefix(rec, `"`) {
			end := 1
			escaped := false
			for {
				j := strings.IndexByte(rec[end:], '"')
				if j < 0 {
					return 0, fmt.Errorf("unterminated quote")
				}
				end += j
				if end+1 < len(rec) && rec[end+1] == '"' {
					escaped = true
					end += 2
					continue
				}
				break
			}
			f = rec[1:end]
			if escaped {
				f = strings.ReplaceAll(f, `""`, `"`)
			}
			rec = rec[end+1:]
			if rec != "" && rec[0] != ',' {
				return 0, fmt.Errorf("text after closing quote")
			}
		} else {
			j := strings.IndexByte(rec, ',')
			if j < 0 {
				j = len(rec)
			}
			f, rec = rec[:j], rec[j:]
		}
		out[n] = f
		n++
		if rec == "" {
			return n, nil
		}
		rec = rec[1:] // the comma
	}
}

// check establishes what Lookup and Children rely on: each level sorted by
// code with no duplicates, and each row's ancestors present and equal to the
// prefixes of its code.
func (t *tableSet) check() error {
	for i, rows := range t.levels {
		lv := Level(i + 1)
		if !slices.IsSortedFunc(rows, func(a, b Division) int { return strings.Compare(a.Code, b.Code) }) {
			// Keep file order if it is already code order (it is for the
			// bundled files); otherwise sort, since lookups need it.
			slices.SortStableFunc(rows, func(a, b Division) int { return strings.Compare(a.Code, b.Code) })
		}
		for j, d := range rows {
			if j > 0 && rows[j-1].Code == d.Code {
				return fmt.Errorf("%s code %s repeated", lv, d.Code)
			}
			anc := [...]string{d.Province, d.City, d.County}
			for k := Province; k < lv; k++ {
				a := anc[k-1]
				if a != d.Code[:k.CodeLen()] {
					return fmt.Errorf("%s %s: %s code %q is not its prefix", lv, d.Code, k, a)
				}
			}
			// The direct parent is enough: its own ancestors were checked
			// when its level was, and the prefix rule ties them together.
			if lv > Province {
				if _, ok := findIn(t.levels[lv-2], anc[lv-2]); !ok {
					return fmt.Errorf("%s %s: parent %s missing", lv, d.Code, anc[lv-2])
				}
			}
		}
	}
	return nil
}

func findIn(rows []Division, code string) (int, bool) {
	return slices.BinarySearchFunc(rows, code, func(d Division, c string) int {
		return strings.Compare(d.Code, c)
	})
}
