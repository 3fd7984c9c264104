// Package piitest makes records full of personal numbers and finds them
// again: household records with valid resident ID numbers and mobile
// numbers typed in every spelling people use, and the scanner that reads
// any bytes (an export, a database file, a dump, a log) for those numbers
// or any number that passes the ID check. The masking tests, the sealing
// tests and the raw-bytes test of every file fieldbench writes use this
// one scanner, so each proves the same thing.
package piitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/cnid"
	"github.com/fieldbench/fieldbench/forms/samples"
)

// Households makes n valid household records from the first
// sample answer, each with four people of distinct, valid resident ID
// numbers (the head is also the first member, as in the sample), and
// returns them with every ID used.
func Households(t testing.TB, n int) ([][]byte, []string) {
	records, ids, _ := HouseholdsWithNumbers(t, n)
	return records, ids
}

// HouseholdsWithNumbers is Households whose records also hold,
// typed as people type them, a contact's ID number and the head's mobile
// number in the village's free text, and the mobile number in the phone
// question in yet another spelling; it returns those numbers too.
func HouseholdsWithNumbers(t testing.TB, n int) (records [][]byte, ids, typed []string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(ModuleRoot(t), "testdata", "forms", "household_visit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	def, err := samples.FS.ReadFile("household_visit.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	form, err := forms.Load("household_visit.xlsx", def)
	if err != nil {
		t.Fatal(err)
	}
	var base map[string]any
	if err := json.Unmarshal(bytes.SplitN(data, []byte("\n"), 2)[0], &base); err != nil {
		t.Fatal(err)
	}
	members := base["members"].([]any)
	day := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	next := 0
	newID := func() string {
		// A 15-digit first-generation number upgraded: county 110105, a
		// birth date, a sequence number, and the check character.
		d := day.AddDate(0, 0, next/999)
		id, err := cnid.Upgrade15(fmt.Sprintf("110105%s%03d", d.Format("060102"), next%999+1))
		if err != nil {
			t.Fatal(err)
		}
		next++
		return id
	}
	records = make([][]byte, n)
	for i := range records {
		head := newID()
		base["head_id"] = head
		base["head_name"] = fmt.Sprintf("户主%05d", i)
		ids = append(ids, head)
		for k, m := range members {
			m := m.(map[string]any)
			if k == 0 {
				m["m_id"] = head
				continue
			}
			m["m_id"] = newID()
			ids = append(ids, m["m_id"].(string))
		}
		contact, mobile := newID(), fmt.Sprintf("1%d%09d", 3+i%7, 100000000+i*37)
		typed = append(typed, contact, mobile)
		base["village"] = "花家地北里社区，联系人身份证" + SpellID(contact, i) + "，电话" + SpellMobile(mobile, i)
		base["head_phone"] = SpellMobile(mobile, PhoneSpellings[i%len(PhoneSpellings)])
		records[i], _ = json.Marshal(base)
		obj, _ := forms.DecodeRecord(records[i])
		if _, res := form.ValidateRecord(obj, forms.Options{}); !res.OK() {
			t.Fatalf("generated record %d is not valid: %+v", i, res.Errors)
		}
	}
	return records, ids, typed
}

// SpellID writes an ID number as issue 13 found them leak: 6-8-4 groups
// apart by a space, a hyphen, a dot, NBSP, U+3000, a zero-width space or
// a line break, groups of four, or full-width digits.
func SpellID(id string, k int) string {
	groups := func(sep string) string { return id[:6] + sep + id[6:14] + sep + id[14:] }
	switch k % 9 {
	case 0:
		return groups(" ")
	case 1:
		return id[:4] + " " + id[4:8] + " " + id[8:12] + " " + id[12:16] + " " + id[16:]
	case 2:
		return groups("-")
	case 3:
		return groups(".")
	case 4:
		return groups("\u00a0")
	case 5:
		return groups("\u3000")
	case 6:
		return groups("\u200b")
	case 7:
		return groups("\n")
	}
	return FullWidth(groups("\u3000"))
}

// spellMobile writes a mobile number as people do; PhoneSpellings are
// those the cn_mobile check accepts.
func SpellMobile(m string, k int) string {
	groups := func(sep string) string { return m[:3] + sep + m[3:7] + sep + m[7:] }
	switch k % 8 {
	case 0:
		return groups("-")
	case 1:
		return "+86 " + groups(" ")
	case 2:
		return m
	case 3:
		return groups(" ")
	case 4:
		return "0086-" + groups("-")
	case 5:
		return FullWidth(m)
	case 6:
		return groups(".")
	}
	return m[:3] + "\u00a0" + m[3:7] + "\u200b" + m[7:]
}

var PhoneSpellings = []int{0, 1, 2, 3, 4, 5, 7}

// FullWidth is s with its ASCII digits full width, as a Chinese input
// method types them.
func FullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r - '0' + '０'
		}
		return r
	}, s)
}

// ClearIDs lists what in data is a generated ID number, or any 18
// characters that pass the GB 11643 check, begin as a region code does
// (1 to 8) and are not part of a run of hex digits. Without the last two,
// the hex hashes a database is full of (the audit trail's first row,
// whose previous hash is 64 zeros followed by a hash beginning with 1;
// any hash with 18 decimal digits in a row) read now and then as valid
// IDs that nobody wrote.
func ClearIDs(data []byte, generated map[string]bool) []string {
	var found []string
	digits := 0 // how many digits end at i
	for i := 0; i < len(data); i++ {
		if data[i] >= '0' && data[i] <= '9' {
			digits++
		} else {
			digits = 0
		}
		// 17 digits end at i-1: data[i-17:i+1] may be an ID ending in a digit or X.
		if i >= 17 && (digits >= 18 || (digits == 0 && i > 0 && isDigitRun(data[i-17:i]))) {
			w := data[i-17 : i+1]
			if generated[string(w)] || (w[0] >= '1' && w[0] <= '8' && !inHexRun(data, i-17, i+1) && forms.LooksLikeResidentID(string(w))) {
				found = append(found, string(w))
			}
		}
	}
	return found
}

// inHexRun reports whether data[from:to] is bordered by a hex digit on
// either side: a piece of a hash, not a number on its own.
func inHexRun(data []byte, from, to int) bool {
	isHex := func(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
	return from > 0 && isHex(data[from-1]) || to < len(data) && isHex(data[to])
}

// DigitStream is data with every character between digits removed:
// digits (ASCII or full width) as ASCII, X for an ID's check character,
// '*' for a masked digit (a hidden digit, not a separator), nothing else,
// except that a letter or ideograph (which ends a number, by the masking
// rule) and a field's edge (comma, quote, tab: no spelling of issue 13
// types one inside a number) break the stream. Without the breaks, the
// digits of random record IDs and of neighbouring fields ran together
// and now and then spelt one of the 20,000 secret numbers by chance. A
// JSON escape counts as the one character it stands for.
func DigitStream(data []byte) []byte {
	out := make([]byte, 0, len(data)/2)
	// Decoded a rune at a time rather than converted to []rune first:
	// the whole export as runes cost seconds of a test of thousands of records.
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		i += n
		switch {
		case r == '\\' && i < len(data):
			// A JSON escape (\n, \u200b) is one character between digits,
			// not a letter.
			e, n := utf8.DecodeRune(data[i:])
			i += n
			if e == 'u' {
				for k := 0; k < 4 && i < len(data); k++ {
					_, n := utf8.DecodeRune(data[i:])
					i += n
				}
			}
		case r >= '0' && r <= '9':
			out = append(out, byte(r))
		case r >= '０' && r <= '９':
			out = append(out, byte(r-'０')+'0')
		case r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ':
			out = append(out, 'X')
		case r == '*' || r == '＊':
			out = append(out, '*')
		case r == ',' || r == '"' || r == '\t' || unicode.IsLetter(r):
			if len(out) > 0 && out[len(out)-1] != '|' {
				out = append(out, '|')
			}
		}
	}
	return out
}

// NumbersIn lists the numbers of secret (ID numbers and mobile numbers)
// that the digit stream of data holds, each once.
func NumbersIn(data []byte, secret map[string]bool) []string {
	stream := DigitStream(data)
	found := map[string]bool{}
	// Every secret is digits and X only, so a window holding a break '|'
	// or a masked '*' cannot be one: only windows inside a run of digits
	// and X are looked up. A masked export is mostly such breaks, and
	// looking up every window of it cost seconds.
	for start := 0; start < len(stream); {
		if c := stream[start]; c == '|' || c == '*' {
			start++
			continue
		}
		end := start
		for end < len(stream) && stream[end] != '|' && stream[end] != '*' {
			end++
		}
		run := stream[start:end]
		for _, size := range []int{18, 11} {
			for i := 0; i+size <= len(run); i++ {
				if w := run[i : i+size]; secret[string(w)] {
					found[string(w)] = true
				}
			}
		}
		start = end
	}
	var list []string
	for n := range found {
		list = append(list, n)
	}
	sort.Strings(list)
	return list
}

func isDigitRun(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ModuleRoot is the directory of go.mod above the test's working
// directory (its package's).
func ModuleRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			tb.Fatal("no go.mod above the test's directory")
		}
		dir = up
	}
}
