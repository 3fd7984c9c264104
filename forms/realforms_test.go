package forms

import (
	"strconv"
	"strings"
	"testing"
)

// Each test in this file pins a loader difference with ODK or pyxform found
// on real XLSForms and in pyxform's test suite (issue 16), now fixed.

// Was: two translations of a column fieldbench does not know (help::en,
// help::fr) were taken for one column written twice, and the form was
// refused; bind:: and body:: attributes without a fieldbench meaning
// (preloads, a bind type, GPS accuracy, an external app) refused it too.
// Such columns are now ignored, each with one located warning.
func TestUnknownAndAttributeColumnsIgnored(t *testing.T) {
	f := mustBuildMD(t, `
| survey |
| | type | name | label | help::en | help::fr | bind::jr:preload | bind::jr:preloadParams | bind::type | bind::odk:length | body::accuracyThreshold | body::intent | intent | body::foo |
| | text | a | A | Help | Aide | timestamp | start | int | 5 | 10 | org.app | org.app | x |
`)
	for _, h := range []string{"help::en", "help::fr", "bind::jr:preload", "bind::type", "body::accuracyThreshold", "body::intent", `"intent"`, "body::foo"} {
		wantWarning(t, f, h)
	}
	for _, w := range f.Warnings {
		if w.Loc.Sheet != "survey" || w.Loc.Row != 3 || w.Loc.Column == "" {
			t.Errorf("warning not located at the header cell: %v", w)
		}
	}
	// The same unknown header twice is still one column written twice.
	_, errs := buildMD(t, "| survey |\n| | type | name | label | help::en | help::en |\n| | text | a | A | x | y |\n")
	wantError(t, errs, "survey:2:help::en", "columns D and E")
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "help::en") {
		t.Errorf("want one error naming help::en, got %v", errs)
	}
}

// Was: a group whose relevance reads its own child was refused as a cycle
// (${inputs} → ${source} → ${inputs}). ODK loads it. ODK Collect's engine
// (JavaRosa) reads the child's answer, which the group does not gate, so
// the default 'user' makes the group apply; fieldbench does the same, as
// issue 16 asks. (ODK Web Forms' engine 0.22 reads the child as blank while
// the group does not apply and keeps the group off for good: the other
// fixed point.) The evaluation ends, incrementally and from scratch alike.
func TestGroupRelevanceReadsItsOwnChild(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label | relevant | default | calculation |
| | begin group | inputs | Inputs | ./source = 'user' | | |
| | text | source | Source | | user | |
| | text | detail | Detail | ${source} != '' | | |
| | end group | | | | | |
| | calculate | seen | | | | concat('[', ${source}, ']') |
`)
	in := f.NewInstance(Options{Now: fixedNow, Defaults: true})
	want := func(step, path, value string, relevant bool) {
		t.Helper()
		v, rel, err := in.Value(path)
		if err != nil || v != value || rel != relevant {
			t.Errorf("%s: %s = %q relevant %v (%v), want %q relevant %v", step, path, v, rel, err, value, relevant)
		}
	}
	want("default user", "inputs", "", true)
	want("default user", "source", "user", true)
	want("default user", "detail", "", true)
	want("default user", "seen", "[user]", true)
	reviewMust(t, in.Set("source", "other"))
	want("source other", "inputs", "", false)
	want("source other", "source", "", false)
	want("source other", "detail", "", false)
	want("source other", "seen", "[]", true)
	reviewCompare(t, in, f, `{"source":"other"}`)
	reviewMust(t, in.Set("source", "user"))
	want("source user again", "source", "user", true)
	want("source user again", "seen", "[user]", true)
	reviewCompare(t, in, f, `{"source":"user"}`)

	// A record without the answer: the group does not apply (no default
	// when reading a record), as in ODK.
	blank := f.NewInstance(Options{Now: fixedNow})
	if _, rel, _ := blank.Value("inputs"); rel {
		t.Error("with source blank the group applies; want it not to")
	}
}

// Was: a repeat_count that works out blank (its question not answered yet,
// or text that is no number) accepted any number of entries and left the
// entries alone in data entry. ODK makes such a count 0 (JavaRosa reads
// NaN as 0; so does a negative count): validation now reports entries
// beyond 0, and FitRepeats removes the untouched ones.
func TestBlankRepeatCountIsZero(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label | repeat_count |
| | integer | n | N | |
| | text | word | Word | |
| | begin repeat | r | R | ${n} |
| | text | x | X | |
| | end repeat | | | |
| | begin repeat | w | W | ${word} |
| | text | y | Y | |
| | end repeat | | | |
`)
	for _, c := range []struct{ record, want string }{
		{`{"r":[{"x":"a"},{"x":"b"}]}`, "r repeat_count"},
		{`{"n":-1,"r":[{"x":"a"}]}`, "r repeat_count"},
		{`{"word":"two","w":[{"y":"a"}]}`, "w repeat_count"},
		{`{"word":"","w":[]}`, ""},
	} {
		obj, err := DecodeRecord([]byte(c.record))
		if err != nil {
			t.Fatal(err)
		}
		_, res := f.ValidateRecord(obj, Options{Now: fixedNow})
		if got := strings.Join(problems(res.Errors), "; "); got != c.want {
			t.Errorf("%s: errors %q, want %q", c.record, got, c.want)
		}
	}

	in := f.NewInstance(Options{Now: fixedNow, Defaults: true})
	reviewMust(t, in.Set("n", "2"))
	in.FitRepeats()
	if k, _ := in.Count("r"); k != 2 {
		t.Fatalf("n = 2: %d entries, want 2", k)
	}
	reviewMust(t, in.Set("r[1]/x", "kept"))
	reviewMust(t, in.Set("n", ""))
	in.FitRepeats()
	if k, _ := in.Count("r"); k != 1 {
		t.Errorf("n blank again: %d entries, want the answered one only", k)
	}
}

// Was: ${refs} in labels, hints, guidance hints, messages, media and choice
// labels were never checked, so a typo or an ambiguous name loaded and
// showed as blank. They are now checked as in expressions, with a located
// error (pyxform refuses the same forms).
func TestRefsInTextsChecked(t *testing.T) {
	_, errs := buildAndCompileMD(t, `
| survey |
| | type | name | caption | hint::en | guidance_hint | media::image | constraint_message | parameters |
| | text | q1 | Q1 ${q1x} | | | | | |
| | text | q2 | Q2 | see ${q1y} | ${q1z} | ${q1w}.png | not ${q1v} | |
| | begin group | g | G | | | | | |
| | text | q1 | again | | | | | |
| | note | n | ${q1} | | | | | |
| | end group | | | | | | | |
| | select_one c | s | S ${q2 | | | | | randomize=true seed=${nope} |
| | note | m | ${ q2 } | | | | | |
| choices |
| | list_name | name | label | audio::English (en) |
| | c | a | A ${cx} | ${cy}.mp3 |
| settings |
| | form_title |
| | Visit ${nobody} |
`)
	wantError(t, errs, "survey:4:caption", "${q1x}", "refers to no question")
	wantError(t, errs, "survey:5:hint::en", "${q1y}")
	wantError(t, errs, "survey:5:guidance_hint", "${q1z}")
	wantError(t, errs, "survey:5:media::image", "${q1w}")
	wantError(t, errs, "survey:5:constraint_message", "${q1v}")
	wantError(t, errs, "survey:8:caption", "${q1} is ambiguous", "rows 4, 7")
	wantError(t, errs, "survey:10:caption", "not closed")
	wantError(t, errs, "survey:10:parameters", "${nope}")
	wantError(t, errs, "survey:11:caption", `"${ q2 }"`)
	wantError(t, errs, "choices:14:label", "${cx}")
	wantError(t, errs, "choices:14:audio::English (en)", "${cy}")
	wantError(t, errs, "settings:17:form_title", "${nobody}")
	if len(errs) != 12 {
		t.Errorf("%d errors, want 12:\n%v", len(errs), errs)
	}
	mustLoadMD(t, `
| survey |
| | type | name | label | hint |
| | integer | n | Count | Price in $, ${} is no reference |
| | note | m | You said ${n} | |
`)
}

// buildAndCompileMD loads a markdown form through compile and returns its
// load errors.
func buildAndCompileMD(t *testing.T, md string) (*Form, LoadErrors) {
	t.Helper()
	f, err := Load("t.md", []byte(md))
	if err == nil {
		return f, nil
	}
	les, ok := err.(LoadErrors)
	if !ok {
		t.Fatalf("load: %v", err)
	}
	return nil, les
}

// Was: unknown or invalid parameters were dropped silently (stop=9 or
// stepp=2 on a range, randomize=ukanga). Each type takes pyxform's keys,
// with pyxform's checks on their values, and a problem is a located error.
func TestParametersChecked(t *testing.T) {
	_, errs := buildAndCompileMD(t, `
| survey |
| | type | name | label | parameters | appearance |
| | range | r1 | R | start=0 end=10 stepp=2 | |
| | range | r2 | R | start=1 stop=9 | |
| | select_one c | s1 | S | randomize=ukanga | |
| | select_one c | s2 | S | seed=3 | |
| | text | t | T | rows=two | |
| | image | i | I | app=something | |
| | audio | a | A | quality=foo | |
| | geopoint | g | G | capture-accuracy=foo | |
| | geopoint | g2 | G | reference-geometry=nolist | |
| | range | r3 | R | step=0 | |
| | range | r4 | R | start=0 end=5 step=2 placeholder=3 | |
| | range | r5 | R | tick_interval=2 | minimal |
| | range | r6 | R | step=20 | |
| | select_one_external e | s3 | S | value=val | |
| choices |
| | list_name | name | label |
| | c | a | A |
| external_choices |
| | list_name | name | label |
| | e | a | A |
`)
	for row, frag := range map[int]string{
		4:  `"range" question takes the parameters end, placeholder, start, step, tick_interval, tick_labelset; stepp`,
		5:  "; stop is not",
		6:  `randomize must be one of true, false, not "ukanga"`,
		7:  "seed needs randomize=true",
		8:  `rows must be a whole number, not "two"`,
		9:  `Android package name`,
		10: `quality must be one of voice-only, low, normal, external`,
		11: `capture-accuracy must be a number`,
		12: `reference-geometry must be a list name`,
		13: `step must not be 0`,
		14: `placeholder must be a multiple of step`,
		15: `only with the appearance vertical, no-ticks or none`,
		16: `step must not be larger than the range`,
		17: `"select_one_external" question takes the parameters randomize, seed; value`,
	} {
		wantError(t, errs, "survey:"+strconv.Itoa(row)+":parameters", frag)
	}
	if len(errs) != 14 {
		t.Errorf("%d errors, want 14:\n%v", len(errs), errs)
	}

	f := mustLoadMD(t, `
| survey |
| | type | name | label | parameters | appearance |
| | integer | n | N | | |
| | select_one c | s | S | randomize=true seed=${n} | |
| | image | i | I | app=com.example.camera max-pixels=1024 | |
| | image | j | J | app=_ | signature |
| | range | down | R | start=-1 end=-10 step=-3 | |
| | range | whole | R | start=1.0 end=5 | |
| | range | tenths | R | start=0 end=1 step=0.1 tick_interval=0.2 placeholder=0.4 | vertical |
| | geopoint | g | G | capture-accuracy=5 reference-geometry=c | |
| choices |
| | list_name | name | label |
| | c | a | A |
`)
	for name, want := range map[string]string{
		"down":   ". >= -10 and . <= -1 and (. - -1) mod 3 = 0",
		"whole":  ". >= 1 and . <= 5",
		"tenths": ". >= 0 and . <= 1",
	} {
		if c := f.Field(name).Constraint; c == nil || c.Src != want {
			t.Errorf("%s: constraint %v, want %q", name, c, want)
		}
	}
	if f.Field("whole").Type != TypeInteger || f.Field("tenths").Type != TypeDecimal {
		t.Errorf("types %v and %v, want integer and decimal", f.Field("whole").Type, f.Field("tenths").Type)
	}
}

// Was: forms that ODK's engine refuses, or that show a blank page, loaded:
// a question, group or repeat named meta (ODK's metadata group), an empty
// group, a question with neither label nor hint (or a guidance_hint
// alone), a big-image without its image, a settings name that is no XML
// name. Each is now a located error, as in pyxform. Choices without a
// label get pyxform's warning.
func TestWhatAFormShows(t *testing.T) {
	_, errs := buildAndCompileMD(t, `
| survey |
| | type | name | label | guidance_hint | calculation | media::big-image | image |
| | text | meta | Meta | | | | |
| | begin group | g | G | | | | |
| | begin repeat | meta | M | | | | |
| | text | q | Q | | | | |
| | end repeat | | | | | | |
| | end group | | | | | | |
| | begin group | empty | Empty | | | | |
| | calculate | c | | | 1 + 1 | | |
| | text | t | | | 2 | | |
| | end group | | | | | | |
| | integer | bare | | | | | |
| | text | guided | | read the card | | | |
| | text | big | Big | | | b.png | |
| settings |
| | name |
| | bad@name |
`)
	wantError(t, errs, "survey:4:name", `"meta" is kept`)
	wantError(t, errs, "survey:6:name", `"meta" is kept`)
	wantError(t, errs, "survey:10:type", `group "empty" has no question to show`)
	wantError(t, errs, "survey:14:type", `question "bare" has neither a label nor a hint`)
	wantError(t, errs, "survey:15:type", `question "guided" has neither`)
	wantError(t, errs, "survey:16:type", "big-image needs an image")
	wantError(t, errs, "settings:19:name", `settings name "bad@name" is not a valid name`)
	if len(errs) != 7 {
		t.Errorf("%d errors, want 7:\n%v", len(errs), errs)
	}

	f := mustLoadMD(t, `
| survey |
| | type | name | label | hint | calculation | image | media |
| | start | start | | | | | |
| | calculate | c | | | 1 | | |
| | hidden | h | | | | | |
| | text | calc | | | ${c} + 1 | | |
| | text | hinted | | Type it | | | |
| | text | pictured | | | | p.png | |
| | text | plain_media | | | | | m.png |
| | begin repeat | calcs | Calcs | | | | |
| | calculate | rc | | | 2 | | |
| | end repeat | | | | | | |
| | select_one l | s | S | | | | |
| choices |
| | list_name | name | label |
| | l | a | |
| | l | b | B |
`)
	wantWarning(t, f, `choice "a" of list "l" has no label`)
}

// Was: spellings pyxform accepts were refused or their columns ignored:
// headers written with spaces ("Repeat Count", "Choice Filter", "Form
// Title", "Set_Form_ID"; pyxform reads headers in snake_case), the legacy
// types "percentage" and "number of days in last month/six months/year"
// (whole numbers within a range), and "q geotrace"/"q geoshape" (read as
// geotrace/geoshape).
func TestPyxformSpellings(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | Type | Name | Label | Choice Filter | Repeat Count | Required Message | Guidance Hint |
| | integer | n | N | | | | |
| | select_one l | s | S | x = 1 | | | |
| | begin repeat | r | R | | ${n} | | |
| | percentage | p | P | | | Needed | Read the card |
| | end repeat | | | | | | |
| | number of days in last month | d1 | D1 | | | | |
| | number of days in last six months | d6 | D6 | | | | |
| | number of days in last year | d12 | D12 | | | | |
| choices |
| | List Name | Name | Label | x |
| | l | a | A | 1 |
| settings |
| | Form Title | Set_Form_ID |
| | Visit | visit_2024 |
`)
	if f.Title != "Visit" || f.ID != "visit_2024" {
		t.Errorf("title %q id %q, want Visit and visit_2024", f.Title, f.ID)
	}
	if c := f.Field("s").ChoiceFilter; c == nil || c.Src != "x = 1" {
		t.Errorf("choice filter %v", c)
	}
	if c := f.Field("r").RepeatCount; c == nil || c.Src != "${n}" {
		t.Errorf("repeat count %v", c)
	}
	for name, want := range map[string]string{"p": "100", "d1": "31", "d6": "183", "d12": "365"} {
		fd := f.Field(name)
		if fd.Type != TypeInteger || fd.Constraint == nil || !strings.Contains(fd.Constraint.Src, "<= "+want) {
			t.Errorf("%s: type %v constraint %v, want integer 0 to %s", name, fd.Type, fd.Constraint, want)
		}
	}
	if f.Field("p").RequiredMsg[""] != "Needed" {
		t.Errorf("required message %v", f.Field("p").RequiredMsg)
	}
	wantWarning(t, f, "guidance hints")
	for _, typ := range []string{"geotrace", "geoshape"} {
		_, errs := buildMD(t, "| survey |\n| | type | name | label |\n| | q "+typ+" | a | A |\n")
		_, plain := buildMD(t, "| survey |\n| | type | name | label |\n| | "+typ+" | a | A |\n")
		if len(errs) != len(plain) || (len(errs) > 0 && errs[0].Key() != plain[0].Key()) {
			t.Errorf("q %s is read otherwise than %s: %v, %v", typ, typ, errs, plain)
		}
	}
}
