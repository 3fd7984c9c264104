package quality

import (
	"testing"

	"github.com/fieldbench/fieldbench/forms"
)

// A sealed record holds masked identifiers, which fail their checks and
// look alike: the kept verdict stands in for validation, and the tags,
// not the masked answers, say which records share an ID.
func TestSealedRecordsUseVerdictAndTags(t *testing.T) {
	f := load(t, peopleMD)
	a := New(f, Options{Now: fixedNow})
	masked := func(id string, tags map[string]string, v *Verdict) Record {
		r := rec(t, id, "王芳", "2026-11-01", "sent", `{"name":"张*","pid":"110105********0036","age":58,
			"kids":[{"kid_id":"110105********0018","kid_age":16},{"kid_id":"110105********0018","kid_age":3}]}`)
		r.Tags, r.Verdict = tags, v
		return r
	}
	// A: the two kids have different IDs that mask alike; the father's
	// ID is B's father's too.
	a.Add(masked("A", map[string]string{"/pid": "p1", "/kids/0/kid_id": "k1", "/kids/1/kid_id": "k2"}, &Verdict{}))
	// B: one kid shares A's first kid's ID; a kept error and warning.
	a.Add(masked("B", map[string]string{"/pid": "p1", "/kids/0/kid_id": "k1", "/kids/1/kid_id": "k3"},
		&Verdict{Errors: []string{"age"}, Warned: []string{"kids[1]/kid_age"}}))
	r := a.Report()
	if r.WithErrors != 1 || r.WithWarnings != 1 {
		t.Errorf("with errors %d, with warnings %d; want 1 and 1 (masked IDs must not fail their check)", r.WithErrors, r.WithWarnings)
	}
	got := map[string]int{}
	for _, d := range r.Duplicates {
		got[d.Value+" "+d.Fields[0]] = d.Records
	}
	want := map[string]int{"110105********0036 pid": 2, "110105********0018 kid_id": 2}
	if len(got) != len(want) {
		t.Fatalf("duplicates %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("duplicate %q in %d records, want %d (all: %v)", k, got[k], n, got)
		}
	}
	for _, fd := range r.Fields {
		if fd.Key == "age" && fd.Failed != 1 || fd.Key == "kid_age" && fd.Warned != 1 {
			t.Errorf("%s failed %d warned %d", fd.Key, fd.Failed, fd.Warned)
		}
	}
}

func TestAnswerPointers(t *testing.T) {
	f := load(t, peopleMD)
	obj, err := forms.DecodeRecord([]byte(`{"pid":"x","kids":[{"kid_id":"a"},{"kid_id":"b"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	in, _ := f.Fill(obj, forms.Options{})
	var got []string
	in.EachAnswerAt(func(fd *forms.Field, at forms.AnswerAt, value string, _ bool) {
		if value != "" {
			got = append(got, at.Pointer()+"="+value)
		}
	})
	want := []string{"/pid=x", "/kids/0/kid_id=a", "/kids/1/kid_id=b"}
	for i, w := range want {
		if i >= len(got) || got[i] != w {
			t.Fatalf("pointers %v, want to start %v", got, want)
		}
	}
}

// FuzzSetKept: kept checks read from a database may be any bytes; they
// read with a verdict or give an error, and never panic.
func FuzzSetKept(f *testing.F) {
	f.Add(`{"errors":["age"],"warned":["kids[1]/kid_age"]}`, `{"/pid":"ab12"}`)
	f.Add(`{}`, ``)
	f.Add(`[`, `{"/pid":1}`)
	f.Fuzz(func(t *testing.T, verdict, tags string) {
		var r Record
		if err := r.SetKept(verdict, tags); err == nil && r.Verdict == nil {
			t.Fatal("kept checks read without a verdict")
		}
	})
}
