//go:build pyxform

package forms

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// The suite's forms are not in the repository: they come from pyxform's
// tests, fetched, and the project commits nothing fetched. A maintainer
// extracts them (scripts/pyxform-cases.md) and runs
//
//	go test -tags pyxform ./forms -run TestPyxformConformance -pyxform.cases=FILE -v
//
// The build tag keeps the test out of ordinary runs instead of a skip.
var (
	pyxformCases = flag.String("pyxform.cases", "", "the cases.jsonl that scripts/pyxform-cases.py wrote")
	pyxformList  = flag.Bool("pyxform.list", false, "print the unlisted differences with pyxform's test suite as entries of pyxformDifferences")
)

// pyxformCase is one form of pyxform's test suite, as
// scripts/pyxform-cases.py extracts it (scripts/pyxform-cases.md).
type pyxformCase struct {
	File       string `json:"file"`
	Test       string `json:"test"`
	Case       int    `json:"case"`
	Line       int    `json:"line"`
	MD         string `json:"md"`
	Errored    bool   `json:"errored"`
	ODKInvalid bool   `json:"odk_invalid"`
	Name       string `json:"name"`
}

// fileName is the name the form is loaded under: pyxform's form name
// when the test gives one (fieldbench takes a form_id from it), else case.md.
func (c pyxformCase) fileName() string {
	if c.Name != "" {
		return c.Name + ".md"
	}
	return "case.md"
}

// id names a case in pyxformDifferences: file (without tests/), test and
// the case's number within the test.
func (c pyxformCase) id() string {
	return fmt.Sprintf("%s:%s/%d", strings.TrimPrefix(c.File, "tests/"), c.Test, c.Case)
}

// refused is the verdict fieldbench is compared with: pyxform refuses the
// form, or the test expects ODK Validate to refuse what pyxform converts
// (empty groups, for one, are refused by ODK only).
func (c pyxformCase) refused() bool { return c.Errored || c.ODKInvalid }

// usesEntities reports a form with an entities sheet or a save_to column,
// whose agreement is also reported on its own.
func (c pyxformCase) usesEntities() bool {
	for _, line := range strings.Split(c.MD, "\n") {
		cells, ok := markdownCells(line)
		if !ok {
			continue
		}
		if strings.EqualFold(cells[0], "entities") {
			return true
		}
		for _, cell := range cells[1:] {
			if strings.EqualFold(cell, "save_to") {
				return true
			}
		}
	}
	return false
}

func loadPyxformCases(t *testing.T) []pyxformCase {
	t.Helper()
	if *pyxformCases == "" {
		t.Fatal("-pyxform.cases FILE is needed: see scripts/pyxform-cases.md")
	}
	fh, err := os.Open(*pyxformCases)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var cases []pyxformCase
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var c pyxformCase
		if err := jsonUnmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("cases.jsonl line %d: %v", len(cases)+1, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestPyxformConformance loads every form of pyxform's test suite and
// compares accepted/refused with pyxform's verdict; the figure for the
// forms with entities is also given on its own. Every difference is listed in
// pyxformDifferences with its cause: an unlisted difference fails, and so
// does a listed one that has gone away. -pyxform.list prints the unlisted
// ones in the map's syntax.
func TestPyxformConformance(t *testing.T) {
	cases := loadPyxformCases(t)
	if len(cases) < 1000 {
		t.Fatalf("want the extracted suite (over 1,000 forms), found %d", len(cases))
	}
	seen := map[string]bool{}
	var agree, total, entities, entitiesAgree int
	var unlisted []string
	for _, c := range cases {
		id := c.id()
		if seen[id] {
			t.Fatalf("%s: two cases with one id", id)
		}
		seen[id] = true
		total++
		// pyxform judges the form without the data files it names, as
		// forms show does: a file not given is listed, not refused (for
		// checking records fieldbench requires it, a deliberate rule).
		_, err := LoadForShow(c.fileName(), []byte(c.MD))
		diff, listed := pyxformDifferences[id]
		differs := (err != nil) != c.refused()
		switch {
		case differs && !listed:
			unlisted = append(unlisted, pyxformEntry(id, c, err))
			if !*pyxformList {
				t.Errorf("%s (line %d): %s", id, c.Line, pyxformVerdicts(c, err))
			}
		case !differs && listed:
			t.Errorf("%s: listed as a difference (%s: %s) but fieldbench now agrees with pyxform", id, diff.cause, diff.why)
		case !differs:
			agree++
		}
		if c.usesEntities() {
			entities++
			if !differs {
				entitiesAgree++
			}
		}
	}
	for id := range pyxformDifferences {
		if !seen[id] {
			t.Errorf("%s: listed difference has no case", id)
		}
	}
	if *pyxformList {
		sort.Strings(unlisted)
		fmt.Println(strings.Join(unlisted, "\n"))
	}
	causes := map[string]int{}
	building := 0 // differences of features being built (NS-…)
	for _, d := range pyxformDifferences {
		causes[d.cause]++
		if strings.HasPrefix(d.cause, "NS-") {
			building++
		}
	}
	var counts []string
	for cause, n := range causes {
		counts = append(counts, fmt.Sprintf("%s %d", cause, n))
	}
	sort.Strings(counts)
	t.Logf("%d of %d forms: same verdict as pyxform (%.1f%%); listed differences: %s",
		agree, total, 100*float64(agree)/float64(max(total, 1)), strings.Join(counts, ", "))
	t.Logf("forms with entities: %d of %d (%.1f%%)",
		entitiesAgree, entities, 100*float64(entitiesAgree)/float64(max(entities, 1)))
	t.Logf("leaving out the %d forms of features being built (NS-…): %d of %d (%.1f%%)",
		building, agree, total-building, 100*float64(agree)/float64(max(total-building, 1)))
}

func pyxformVerdicts(c pyxformCase, err error) string {
	if err != nil {
		return "fieldbench refuses, pyxform accepts: " + firstLine(err.Error())
	}
	if c.ODKInvalid {
		return "fieldbench accepts, ODK Validate refuses"
	}
	return "fieldbench accepts, pyxform refuses"
}

// pyxformEntry is one map entry for -pyxform.list, with a cause to fill in.
func pyxformEntry(id string, c pyxformCase, err error) string {
	return fmt.Sprintf("\t%q: {\"?\", %q},", id, pyxformVerdicts(c, err))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

// pyxformDifference is a form where fieldbench's verdict differs from
// pyxform's, with its cause code and why.
type pyxformDifference struct {
	cause string
	why   string
}
