package forms

import (
	"fmt"
	"reflect"
	"sort"
	"testing"
)

// Each test in this file pins a bug found in review of the engine, now
// fixed: the comment above it says what went wrong.

// Was: path references (../x, /data/x) are read by expressions but are not
// in the dependency graph (compile.go inputsOf uses only Expr.Refs(), i.e.
// ${name}), so Instance.Set never recomputes what reads them.
func TestReviewPathRefsPropagate(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label | calculation |
| | integer | a | A | |
| | calculate | b | | /data/a + 1 |
| | begin repeat | r | R | |
| | integer | x | X | |
| | calculate | y | | ../x * 2 |
| | end repeat | | | |
`)
	in := f.NewInstance(Options{Now: fixedNow})
	if _, err := in.AddRepeat("r"); err != nil {
		t.Fatal(err)
	}
	reviewMust(t, in.Set("a", "2"))
	reviewMust(t, in.Set("r[1]/x", "5"))
	if v, _, _ := in.Value("b"); v != "3" {
		t.Errorf("b = /data/a + 1 after Set(a, 2): got %q, want 3", v)
	}
	if v, _, _ := in.Value("r[1]/y"); v != "10" {
		t.Errorf("r[1]/y = ../x * 2 after Set(r[1]/x, 5): got %q, want 10", v)
	}
	reviewCompare(t, in, f, `{"a":"2","r":[{"x":"5"}]}`)
}

// Was: Fill keeps a wrongly typed answer in node.bad; Instance.Set stores
// the new answer but never clears node.bad, so the stale bad answer is
// still reported after it was corrected (instance.go setAnswer).
func TestReviewSetClearsBadAnswer(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label |
| | integer | n | N |
| | date | d | D |
`)
	in := reviewFill(t, f, `{"n":"abc","d":"2023-02-30"}`)
	reviewMust(t, in.Set("n", "5"))
	reviewMust(t, in.Set("d", "")) // answer cleared: blank is fine, nothing required
	if errs := problems(in.Validate(LangEn).Errors); len(errs) != 0 {
		t.Errorf("after correcting both answers, Validate = %v, want no errors", errs)
	}
}

// Was: Instance.Set does not check the type ("validity is not checked here
// (see Check)"), but check/checkAnswer only reports type errors recorded by
// Fill in node.bad. A record typed in through Set is therefore never
// type-checked: Validate accepts what ValidateRecord refuses.
func TestReviewSetThenValidateChecksType(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label |
| | integer | n | N |
| | date | d | D |
| | time | tm | T |
`)
	in := f.NewInstance(Options{Now: fixedNow})
	reviewMust(t, in.Set("n", "abc"))
	reviewMust(t, in.Set("d", "2023-02-30"))
	reviewMust(t, in.Set("tm", "25:00"))
	got := problems(in.Validate(LangEn).Errors)
	obj, _ := DecodeRecord([]byte(`{"n":"abc","d":"2023-02-30","tm":"25:00"}`))
	_, res := f.ValidateRecord(obj, Options{Now: fixedNow})
	want := problems(res.Errors)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Set+Validate errors = %v, ValidateRecord errors = %v (want the same)", got, want)
	}
}

// Was: Instance.Validate deletes the instances of a repeat that is not
// relevant at the moment (validate.go checkNode: n.kids[s] = nil). On a
// record being entered that is data loss: making the repeat relevant again
// does not bring them back, and count(${r}) computed before stays stale.
func TestReviewValidateKeepsRepeatInstances(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label | relevant | calculation |
| | integer | has | Has | | |
| | begin repeat | r | R | ${has} = 1 | |
| | text | x | X | | |
| | end repeat | | | | |
| | calculate | c | | | count(${r}) |
`)
	in := f.NewInstance(Options{Now: fixedNow})
	reviewMust(t, in.Set("has", "1"))
	if _, err := in.AddRepeat("r"); err != nil {
		t.Fatal(err)
	}
	reviewMust(t, in.Set("r[1]/x", "typed by the collector"))
	reviewMust(t, in.Set("has", "0"))
	in.Validate(LangEn) // just looking at the record
	reviewMust(t, in.Set("has", "1"))
	if n, _ := in.Count("r"); n != 1 {
		t.Errorf("after Validate while r was not relevant, r has %d instances, want 1 (the answer was lost)", n)
	}
	if v, _, _ := in.Value("r[1]/x"); v != "typed by the collector" {
		t.Errorf("r[1]/x = %q, want the typed answer", v)
	}
	if v, _, _ := in.Value("c"); v != "1" {
		t.Errorf("c = count(${r}) = %q, want 1", v)
	}
}

// Was: repeats with the same name in different groups get keys like
// "g1/items", which Fill accepts and reports print ("g1/items[1]/x"), but
// such a path cannot be resolved: compile.go keyAt skips every candidate key
// of more than one segment that contains '[', even when the index is on the
// last segment, so it falls back to the group "g1".
func TestReviewSameNamedRepeatPaths(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label | constraint |
| | begin group | g1 | G1 | |
| | begin repeat | items | Items | |
| | integer | x | X | . < 10 |
| | end repeat | | | |
| | end group | | | |
| | begin group | g2 | G2 | |
| | begin repeat | items | Items | |
| | integer | x | X | . < 10 |
| | end repeat | | | |
| | end group | | | |
`)
	obj, _ := DecodeRecord([]byte(`{"g1/items":[{"x":"50"}]}`))
	in, res := f.ValidateRecord(obj, Options{Now: fixedNow})
	errs := problems(res.Errors)
	if !reflect.DeepEqual(errs, []string{"g1/items[1]/x constraint"}) {
		t.Fatalf("errors %v", errs)
	}
	// The reported path must lead back to the answer.
	if v, _, err := in.Value("g1/items[1]/x"); err != nil || v != "50" {
		t.Errorf("Value(g1/items[1]/x) = %q, %v; want 50", v, err)
	}
	if err := in.Set("g1/items[1]/x", "5"); err != nil {
		t.Errorf("Set(g1/items[1]/x): %v", err)
	}
	if err := in.RemoveRepeat("g1/items[1]"); err != nil {
		t.Errorf("RemoveRepeat(g1/items[1]): %v", err)
	}
}

// Was: Value("members[1]") resolves to the repeat instance node with the
// repeat field, then indexes the instance's slots with the repeat field's
// slot in the *parent* level (instance.go Value): an index out of range
// panic, or silently another field's value when the slot happens to exist.
func TestReviewValueOnRepeatInstancePath(t *testing.T) {
	f := mustLoadMD(t, householdMD)
	in := f.NewInstance(Options{Now: fixedNow})
	if _, err := in.AddRepeat("members"); err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("Value(members[1]) panicked: %v", r)
			}
		}()
		v, rel, err := in.Value("members[1]")
		if err == nil && (v != "" || !rel) {
			t.Errorf("Value(members[1]) = %q, %v, nil: not the instance", v, rel)
		}
	}()
	// When the slot exists, it reads an unrelated field of the instance.
	g := mustLoadMD(t, `
| survey |
| | type | name | label |
| | text | a | A |
| | begin repeat | r | R |
| | text | x | X |
| | text | y | Y |
| | end repeat | | |
`)
	in = g.NewInstance(Options{Now: fixedNow})
	in.AddRepeat("r")
	reviewMust(t, in.Set("r[1]/y", "secret"))
	if v, _, err := in.Value("r[1]"); err == nil && v == "secret" {
		t.Errorf("Value(r[1]) returned the answer of r[1]/y")
	}
}

// Was: applyDefaults (state.go) writes each default into node.answer only;
// expressions read node.value, which is filled by evaluate() afterwards, so
// a dynamic default cannot see an earlier question's default. In ODK the
// static default is already in the instance when odk-instance-first-load
// runs the dynamic one.
func TestReviewDynamicDefaultSeesEarlierDefault(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label | default |
| | text | a | A | hello |
| | text | b | B | concat(${a}, '!') |
| | begin repeat | r | R | |
| | integer | n | N | 3 |
| | integer | m | M | ${n} * 2 |
| | end repeat | | | |
`)
	in := f.NewInstance(Options{Now: fixedNow, Defaults: true})
	if v, _, _ := in.Value("b"); v != "hello!" {
		t.Errorf("b default concat(${a}, '!') = %q, want hello!", v)
	}
	in.AddRepeat("r")
	if v, _, _ := in.Value("r[1]/m"); v != "6" {
		t.Errorf("r[1]/m default ${n} * 2 = %q, want 6", v)
	}
}

// Was: Fill never puts a calculate's stored answer where once() can see it
// (once() reads Current(), i.e. node.value, which is blank before the first
// evaluate), so re-validating a saved record recomputes once(today()) to
// today's date and stores that instead: the date the record was made is
// lost. ODK keeps a once() value that is already in the instance.
func TestReviewOnceKeptOnRevalidation(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label | calculation |
| | calculate | made | | once(today()) |
`)
	obj, _ := DecodeRecord([]byte(`{"made":"2020-01-01"}`))
	in, res := f.ValidateRecord(obj, Options{Now: fixedNow})
	if v, _, _ := in.Value("made"); v != "2020-01-01" {
		t.Errorf("made = once(today()) = %q after re-validation, want the saved 2020-01-01 (warnings %v)", v, problems(res.Warnings))
	}
}

// Was: position(../..) is accepted but evaluated as the innermost repeat's
// position (state.go evalCtx.Position ignores the argument). From a field
// directly in a nested repeat, ../.. is the outer repeat's instance.
func TestReviewPositionOfOuterRepeat(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label | calculation |
| | begin repeat | outer | O | |
| | begin repeat | inner | I | |
| | calculate | po | | position(../..) |
| | calculate | pi | | position(..) |
| | end repeat | | | |
| | end repeat | | | |
`)
	in := reviewFill(t, f, `{"outer":[{"inner":[{}]},{"inner":[{},{}]}]}`)
	if v, _, _ := in.Value("outer[2]/inner[1]/po"); v != "2" {
		t.Errorf("outer[2]/inner[1]/po = position(../..) = %q, want 2", v)
	}
	if v, _, _ := in.Value("outer[2]/inner[2]/pi"); v != "2" {
		t.Errorf("outer[2]/inner[2]/pi = position(..) = %q, want 2", v)
	}
}

// Was: the indexed choice filter (choices.go byColumn) builds its index with
// ch.column(column, "") — for "label" that is the untagged or
// alphabetically first language — while the per-choice evaluation used by
// validation reads the label in the instance's language. Choices() then
// offers a choice that Validate refuses.
func TestReviewIndexedFilterLabelLanguage(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label::English (en) | label::中文 (zh) | choice_filter |
| | text | want | Want | 要 | |
| | select_one fruit | pick | Pick | 选 | label=${want} |
| choices |
| | list_name | name | label::English (en) | label::中文 (zh) |
| | fruit | a | Apple | 苹果 |
| | fruit | p | Pear | 梨 |
`)
	in := f.NewInstance(Options{Now: fixedNow, Language: LangHans})
	reviewMust(t, in.Set("want", "苹果"))
	got, _ := in.Choices("pick")
	want := evalFilter(in, "pick")
	if names(got) != names(want) {
		t.Errorf("Choices(pick) = %s; evaluating the filter per choice gives %s", names(got), names(want))
	}
	reviewMust(t, in.Set("pick", "a"))
	if errs := problems(in.Validate(LangHans).Errors); len(errs) != 0 {
		t.Errorf("the collector chose 苹果 (label = 要): errors %v", errs)
	}
}

// Was: fillRepeat (record.go) numbers instances by how many were kept, not
// by their position in the input, so after a non-object item the report
// names two different array items with the same path.
func TestReviewRepeatItemPathsFollowInput(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label |
| | begin repeat | r | R |
| | integer | x | X |
| | end repeat | | |
`)
	obj, _ := DecodeRecord([]byte(`{"r":["junk",{"x":"abc"}]}`))
	_, res := f.ValidateRecord(obj, Options{Now: fixedNow})
	got := problems(res.Errors)
	sort.Strings(got)
	want := []string{"r[1] type", "r[2]/x type"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors %v, want %v (x is in the second array item)", got, want)
	}
}

// Was: a non-scalar answer ([] or {}) is reported as a type error but not
// kept in node.bad, so the field then counts as blank and the same answer
// also gets a "required" error; a wrongly typed scalar gets only the type
// error (record.go fill, `case !ok` branch).
func TestReviewNonScalarAnswerReportedOnce(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label | required |
| | integer | n | N | yes |
| | integer | m | M | yes |
`)
	obj, _ := DecodeRecord([]byte(`{"n":[1],"m":"abc"}`))
	_, res := f.ValidateRecord(obj, Options{Now: fixedNow})
	got := problems(res.Errors)
	want := []string{"n type", "m type"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors %v, want %v", got, want)
	}
}

// evalFilter is what the select's choice_filter lets through when it is
// evaluated per choice (the path validation takes), bypassing the index.
func evalFilter(in *Instance, path string) []*Choice {
	n, fd, err := in.resolve(path)
	if err != nil {
		panic(err)
	}
	var out []*Choice
	for _, ch := range in.form.Lists[fd.ListName].Choices {
		ctx := in.at(n, fd)
		ctx.choice = ch
		if exprOf(fd.ChoiceFilter).EvalBool(ctx) {
			out = append(out, ch)
		}
	}
	return out
}

func names(cs []*Choice) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return fmt.Sprint(out)
}
