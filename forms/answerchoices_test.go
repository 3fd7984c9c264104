package forms

import (
	"strings"
	"testing"
)

func choiceNames(t testing.TB, in *Instance, path string) string {
	t.Helper()
	cs, err := in.Choices(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		out = append(out, c.Name+"="+c.LabelIn(LangEn))
	}
	return strings.Join(out, " ")
}

// select_one ${name} offers the non-blank answers to name in the
// instances of its repeat, filtered per instance; an answer that is no
// longer offered is refused, and cleared as a filtered-out choice is.
func TestChoicesFromEarlierAnswers(t *testing.T) {
	f := loadFeature(t, "choices_from_repeat.md")
	in := f.NewInstance(Options{Now: fixedNow})
	for i, m := range [][2]string{{"Ann", "40"}, {"", "3"}, {"Bob", "12"}, {"Ann", "41"}} {
		in.AddRepeat("members")
		p := "members[" + string(rune('1'+i)) + "]/"
		reviewMust(t, in.Set(p+"name", m[0]))
		reviewMust(t, in.Set(p+"age", m[1]))
	}
	reviewMust(t, in.Set("min_age", "18"))
	for path, want := range map[string]string{
		"head":       "Ann=Ann Bob=Bob",
		"respondent": "Ann=Ann",
		"children":   "Bob=Bob",
	} {
		if got := choiceNames(t, in, path); got != want {
			t.Errorf("%s offers %q, want %q", path, got, want)
		}
	}
	reviewMust(t, in.Set("head", "Bob"))
	reviewMust(t, in.Set("children", "Bob"))
	if errs := problems(in.Validate(LangEn).Errors); len(errs) != 0 {
		t.Errorf("answers among the offered names: %v", errs)
	}
	reviewMust(t, in.Set("respondent", "Bob"))
	if errs := problems(in.Validate(LangEn).Errors); !sameList(errs, []string{"respondent choice"}) {
		t.Errorf("Bob is 12, under min_age: %v", errs)
	}
	reviewMust(t, in.Set("members[3]/name", "Robert"))
	cleared := in.ClearFiltered()
	if len(cleared) != 3 || in.Answer("head") != "" || in.Answer("children") != "" || in.Answer("respondent") != "" {
		t.Errorf("Bob renamed: cleared %+v, head %q children %q", cleared, in.Answer("head"), in.Answer("children"))
	}

	// In its own repeat, position() is the instance tried and current()
	// the select: each pet offers the other pets.
	for i, a := range []string{"cat", "dog", "fish"} {
		in.AddRepeat("pets")
		reviewMust(t, in.Set("pets["+string(rune('1'+i))+"]/animal", a))
	}
	if got := choiceNames(t, in, "pets[2]/other_pet"); got != "cat=cat fish=fish" {
		t.Errorf("pets[2] offers %q", got)
	}

	got := errorsOf(t, f, `{"members":[{"name":"Ann","age":"40"},{"name":"Bob","age":"12"}],"min_age":"18","head":"Cid","respondent":"Ann","children":"Bob Ann"}`, Options{})
	if !sameList(got, []string{"head choice", "children choice"}) {
		t.Errorf("a record naming no member, and an adult as a child: %v", got)
	}
	for _, c := range []struct{ md, want string }{
		{"| | select_one ${nobody} | s | S |\n", "${nobody} refers to no question"},
		{"| | begin group | g | G |\n| | text | in_g | In G |\n| | end group | | |\n| | select_one ${g} | s | S |\n", "it is a group and has none"},
		{"| | text | a | A |\n| | select_one ${a} or_other | s | S |\n", `with nothing after it (here: "${a} or_other")`},
	} {
		_, err := Load("x.md", []byte("| survey |\n| | type | name | label |\n"+c.md))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v", c.md, err)
		}
	}
}
