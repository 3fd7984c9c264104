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
	if !in.GrowRepeats() || in.GrowRepeats() {
		t.Fatal("GrowRepeats should add the two members once")
	}
	got = paths()
	if !strings.Contains(got, "dwelling dwelling_other") || !strings.Contains(got, "members[2]/m_name") || strings.Contains(got, "members[3]") {
		t.Fatalf("steps after answers: %s", got)
	}
	in.Set("hh_size", "1")
	if in.GrowRepeats() {
		t.Fatal("GrowRepeats removed or added on a smaller count")
	}
	if n, _ := in.Count("members"); n != 2 {
		t.Fatalf("members: %d; a smaller count must not delete answers", n)
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
	in.GrowRepeats()
	got := in.Text("summary", f.Field("summary").Label, f.MatchLanguage("zh-Hans"))
	if got != "本户共登记 2 人，户主：张建国。请与户主核对后提交。" {
		t.Fatalf("summary note: %q", got)
	}
}
