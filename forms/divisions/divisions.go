// Package divisions bundles China's statistical division codes (国家统计局
// 统计用区划代码, 2023 edition) down to township level, so that a workbench
// with no network can still check and cascade province → prefecture → county
// → township answers.
//
// The CSV files under data/ are embedded unchanged (see data/SOURCES.md for
// provenance and caveats) and parsed on first use. Village level (12-digit
// codes) is not bundled; Known accepts a 12-digit code when its township is
// known.
//
// Codes change every year. Store Edition next to any code you save.
package divisions

import (
	"sort"
	"strings"
)

// Edition is the NBS publication year of the bundled codes.
const Edition = "2023"

// Level is the depth of a division in the hierarchy.
type Level int

// The zero Level is deliberately invalid so that an unset value is noticed.
const (
	Province Level = iota + 1 // 2-digit code, e.g. 11 北京市
	City                      // prefecture level, 4 digits, e.g. 1101 市辖区
	County                    // county level, 6 digits, e.g. 110105 朝阳区
	Township                  // township level, 9 digits, e.g. 110105001 建外街道
)

var levelNames = [...]string{"", "province", "city", "county", "township"}

func (l Level) String() string {
	if l < Province || l > Township {
		return "invalid"
	}
	return levelNames[l]
}

// CodeLen is the number of digits in a code of level l (0 for an invalid
// level).
func (l Level) CodeLen() int {
	switch l {
	case Province:
		return 2
	case City:
		return 4
	case County:
		return 6
	case Township:
		return 9
	}
	return 0
}

// levelOfLen maps a code length to its level; 0 when no level has that length.
func levelOfLen(n int) Level {
	switch n {
	case 2:
		return Province
	case 4:
		return City
	case 6:
		return County
	case 9:
		return Township
	}
	return 0
}

// Division is one row of the bundled tables. Province, City and County hold
// the codes of the division's ancestors only: a division's own code is never
// repeated there, so a City has Province set and City and County empty.
type Division struct {
	Code     string
	Name     string
	Level    Level
	Province string
	City     string
	County   string
}

// Lookup returns the division with exactly this 2, 4, 6 or 9 digit code.
// It does no clean-up of its argument; use Resolve for typed-in text.
func Lookup(code string) (Division, bool) {
	lv := levelOfLen(len(code))
	if lv == 0 {
		return Division{}, false
	}
	rows := tables().levels[lv-1]
	i, ok := findIn(rows, code)
	if !ok {
		return Division{}, false
	}
	return rows[i], true
}

// Known reports whether code is a bundled 2, 4, 6 or 9 digit code, or a
// 12-digit village code whose first 9 digits are a bundled township. Village
// codes cannot be checked further because that level is not bundled.
func Known(code string) bool {
	if len(code) == 12 {
		if !allDigits(code[9:]) {
			return false
		}
		code = code[:9]
	}
	_, ok := Lookup(code)
	return ok
}

// Resolve is the lenient lookup for typed-in or imported codes. It trims
// surrounding white space and also accepts the zero-padded forms used by
// GB/T 2260 and by 12-digit statistical codes: 320000 → 32 江苏省,
// 320500 → 3205 苏州市, 110105000000 → 110105 朝阳区. An exact match always
// wins over a padded reading, which matters for rows such as 441900 东莞市
// (a county-level row that looks like a padded prefecture code).
// A village code (12 digits not ending in 000) is not resolved because the
// village level is not bundled; see Known.
func Resolve(s string) (Division, bool) {
	s = strings.TrimSpace(s)
	if !allDigits(s) {
		return Division{}, false
	}
	for {
		if d, ok := Lookup(s); ok {
			return d, true
		}
		// Strip one level of padding and try again.
		switch len(s) {
		case 12, 9:
			if s[len(s)-3:] != "000" {
				return Division{}, false
			}
			s = s[:len(s)-3]
		case 6, 4:
			if s[len(s)-2:] != "00" {
				return Division{}, false
			}
			s = s[:len(s)-2]
		default:
			return Division{}, false
		}
	}
}

// List returns every division of a level in code order, which is also the
// order of the bundled files. The slice is shared: callers must not modify
// it. An invalid level gives nil.
func List(level Level) []Division {
	if level < Province || level > Township {
		return nil
	}
	return tables().levels[level-1]
}

// Children returns the direct children of a province (its prefectures), a
// prefecture (its counties) or a county (its townships), in code order.
// Children("") returns the provinces. The slice is shared: callers must not
// modify it. An unknown parent or a township gives nil.
func Children(parentCode string) []Division {
	if parentCode == "" {
		return List(Province)
	}
	lv := levelOfLen(len(parentCode))
	if lv == 0 || lv == Township {
		return nil
	}
	// Rows are sorted by code and every child code starts with its parent
	// code (both checked at load), so the children form one contiguous run
	// found by two binary searches; no per-parent index is needed.
	rows := tables().levels[lv]
	lo, _ := findIn(rows, parentCode)
	n := len(parentCode)
	hi := lo + sort.Search(len(rows)-lo, func(i int) bool {
		return rows[lo+i].Code[:n] != parentCode
	})
	if lo == hi {
		return nil
	}
	return rows[lo:hi:hi]
}

// Path returns the division and its ancestors, province first, e.g.
// 江苏省 / 苏州市 / 苏州工业园区 for 320576. It returns nil for an unknown code.
func Path(code string) []Division {
	d, ok := Lookup(code)
	if !ok {
		return nil
	}
	out := make([]Division, 0, d.Level)
	for _, c := range []string{d.Province, d.City, d.County} {
		if c == "" {
			continue
		}
		if a, ok := Lookup(c); ok {
			out = append(out, a)
		}
	}
	return append(out, d)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
