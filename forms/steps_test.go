package forms

import (
	"strings"
	"testing"
)

func TestStepsFollowRelevanceAndRepeats(t *testing.T) {
	f := loadSample(t, "household_visit.xlsx")
	in := f.NewInstance(Options{Language: "en"})
	paths := func() string {
		var b []string
		for _, s := range in.Steps() {
			p := s.Path
			if s.Kind == StepRepeat {
				p += "+"
			}
			if s.Page != nil {
				p = s.Page.Name + ":" + p
			}
			b = append(b, p)
		}
		return strings.Join(b, " ")
	}
	got := paths()
	if !strings.HasPrefix(got, "consent location:province location:city") || strings.Contains(got, "dwelling_other") ||
		strings.Contains(got, "m_age") || strings.Contains(got, "today") || !strings.Contains(got, "hh_size members+ income") {
		t.Fatalf("steps of a new record: %s", got)
	}
	in.Set("dwelling", "other")
	in.Set("hh_size", "2")
	if !in.FitRepeats() || in.FitRepeats() {
		t.Fatal("FitRepeats should add the two members once")
	}
	got = paths()
	if !strings.Contains(got, "dwelling dwelling_other") || !strings.Contains(got, "members[2]/m_name") || strings.Contains(got, "members[3]") {
		t.Fatalf("steps after answers: %s", got)
	}
	// A smaller count takes away the members nobody has answered for...
	in.Set("hh_size", "1")
	if !in.FitRepeats() || in.FitRepeats() {
		t.Fatal("FitRepeats should remove the empty second member once")
	}
	if n, _ := in.Count("members"); n != 1 {
		t.Fatalf("members: %d after the count went from 2 to 1", n)
	}
	// ...but never one with an answer, even behind empty ones: those stay
	// for the person to deal with, and validation says so.
	in.Set("hh_size", "4")
	in.FitRepeats()
	if err := in.Set("members[2]/m_name", "李四"); err != nil {
		t.Fatal(err)
	}
	in.Set("hh_size", "1")
	if !in.FitRepeats() {
		t.Fatal("FitRepeats should remove the empty members 3 and 4")
	}
	if n, _ := in.Count("members"); n != 2 {
		t.Fatalf("members: %d; a smaller count must not delete answers", n)
	}
	if in.Answer("members[2]/m_name") != "李四" {
		t.Fatal("the answered member lost its answer")
	}
	if errs, _ := in.ProblemsAt("members", "en"); len(errs) != 1 {
		t.Fatalf("repeat count mismatch: %v", errs)
	}
}

func loadSample(t *testing.T, name string) *Form {
	t.Helper()
	f, err := LoadFile("samples/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestTextShowsAnswers(t *testing.T) {
	f := loadSample(t, "household_visit.xlsx")
	in := f.NewInstance(Options{Language: "zh-Hans"})
	in.Set("head_name", "张建国")
	in.Set("hh_size", "2")
	in.FitRepeats()
	got := in.Text("summary", f.Field("summary").Label, f.MatchLanguage("zh-Hans"))
	if got != "本户共登记 2 人，户主：张建国。请与户主核对后提交。" {
		t.Fatalf("summary note: %q", got)
	}
}
