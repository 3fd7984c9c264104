package forms

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// verdict is the part of a report line that the expected files pin down.
type verdict struct {
	Line   int    `json:"line"`
	Status string `json:"status"`
	Errors []struct {
		Path string `json:"path"`
		Rule string `json:"rule"`
	} `json:"errors"`
}

func (v verdict) key() string {
	var b strings.Builder
	b.WriteString(v.Status)
	for _, e := range v.Errors {
		b.WriteString(" " + e.Path + ":" + e.Rule)
	}
	return b.String()
}

func readVerdicts(t *testing.T, path string) map[int]verdict {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[int]verdict{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var v verdict
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out[v.Line] = v
	}
	return out
}

// validateFile runs every record of an answers file through the engine and
// returns the verdicts keyed by line number.
func validateFile(t *testing.T, f *Form, path string) map[int]verdict {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]verdict{}
	for i, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		obj, err := DecodeRecord([]byte(line))
		if err != nil {
			t.Fatalf("%s:%d: %v", path, i+1, err)
		}
		// An id, as a stored record has (see ${instanceID}).
		opts := Options{Now: fixedNow, Language: LangEn, InstanceID: InstanceIDOf(fmt.Sprintf("record-%d", i+1))}
		_, res := f.ValidateRecord(obj, opts)
		v := verdict{Line: i + 1, Status: "accepted"}
		if !res.OK() {
			v.Status = "rejected"
		}
		raw, _ := json.Marshal(res.Errors)
		json.Unmarshal(raw, &v.Errors)
		out[v.Line] = v
	}
	return out
}

// TestSampleAnswers checks the hand-worked verdicts of testdata/forms (see
// its README for why each record is accepted or rejected).
func TestSampleAnswers(t *testing.T) {
	for _, name := range []string{"household_visit", "business_census"} {
		t.Run(name, func(t *testing.T) {
			f, err := LoadFile(filepath.Join("samples", name+".xlsx"))
			if err != nil {
				t.Fatal(err)
			}
			want := readVerdicts(t, filepath.Join("..", "testdata", "forms", name+".expected.jsonl"))
			got := validateFile(t, f, filepath.Join("..", "testdata", "forms", name+".jsonl"))
			if len(got) != len(want) {
				t.Fatalf("%d verdicts, want %d", len(got), len(want))
			}
			for line, w := range want {
				if g := got[line]; !reflect.DeepEqual(g.key(), w.key()) {
					t.Errorf("line %d:\n got %s\nwant %s", line, g.key(), w.key())
				}
			}
		})
	}
}

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
