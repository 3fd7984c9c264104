package forms

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"
)

func answersOf(in *Instance, n *node) map[string]any {
	out := map[string]any{}
	for _, fd := range in.form.plan.members[in.levelIndex(n.level)] {
		s := in.slot(fd)
		if fd.Type == TypeRepeat {
			var items []any
			for _, k := range n.kids[s] {
				items = append(items, answersOf(in, k))
			}
			if items != nil {
				out[fd.Key] = items
			}
			continue
		}
		if fd.Type.HasAnswer() && fd.Calculation == nil && n.answer[s] != "" {
			out[fd.Key] = n.answer[s]
		}
	}
	return out
}

const fuzzFormMD = `
| survey |
| | type | name | label | relevant | calculation |
| | integer | a | A | | |
| | begin group | g | G | ${a} > 1 | |
| | integer | b | B | | |
| | begin repeat | r | R | ${b} != 3 | |
| | integer | x | X | ${a} != 4 | |
| | calculate | xs | | | ${tot} + ${x} |
| | begin group | rg | RG | ${x} != 2 and ${a} != 5 | |
| | begin repeat | q | Q | ${x} > 0 | |
| | integer | y | Y | ${b} != 5 | |
| | calculate | yx | | | ${y} + ${x} + ${a} |
| | calculate | ys | | | sum(${w}) |
| | end repeat | | | | |
| | end group | | | | |
| | calculate | sy | | | sum(${yx}) |
| | calculate | cq | | | count(${q}) |
| | end repeat | | | | |
| | end group | | | | |
| | calculate | tot | | | sum(${x}) |
| | calculate | ny | | | count(${y}) + sum(${sy}) |
| | integer | z | Z | ${ny} > 2 | |
| | begin repeat | s | S | ${tot} > 0 | |
| | integer | w | W | ${cq} > 0 | |
| | calculate | wx | | | sum(${x}) + ${w} + count(${s}) |
| | end repeat | | | | |
`

// TestReviewIncrementalRandomRepeats (PASSES, pin-down): random Set /
// AddRepeat / RemoveRepeat on a form with nested repeats, group relevance
// inherited by repeats, calculations reaching into and out of repeats
// (sum, count, sibling repeats), compared after every step with Fill of the
// same answers. ${ref}-only expressions; ../x paths are a separate bug.
func TestReviewIncrementalRandomRepeats(t *testing.T) {
	f := mustLoadMD(t, fuzzFormMD)
	for seed := int64(0); seed < 300; seed++ {
		rng := rand.New(rand.NewSource(seed))
		in := f.NewInstance(Options{Now: fixedNow})
		var log []string
		for step := 0; step < 40; step++ {
			nr, _ := in.Count("r")
			var op string
			switch k := rng.Intn(10); {
			case k == 0:
				in.AddRepeat("r")
				op = "add r"
			case k == 3:
				in.AddRepeat("s")
				op = "add s"
			case k == 4:
				ns, _ := in.Count("s")
				if ns == 0 {
					continue
				}
				p := fmt.Sprintf("s[%d]", rng.Intn(ns)+1)
				in.RemoveRepeat(p)
				op = "rm " + p
			case k == 1 && nr > 0:
				p := fmt.Sprintf("r[%d]/q", rng.Intn(nr)+1)
				in.AddRepeat(p)
				op = "add " + p
			case k == 2 && nr > 0:
				p := fmt.Sprintf("r[%d]", rng.Intn(nr)+1)
				in.RemoveRepeat(p)
				op = "rm " + p
			default:
				paths := []string{"a", "b", "z"}
				ns, _ := in.Count("s")
				for i := 1; i <= ns; i++ {
					paths = append(paths, fmt.Sprintf("s[%d]/w", i))
				}
				for i := 1; i <= nr; i++ {
					paths = append(paths, fmt.Sprintf("r[%d]/x", i))
					nq, _ := in.Count(fmt.Sprintf("r[%d]/q", i))
					for j := 1; j <= nq; j++ {
						paths = append(paths, fmt.Sprintf("r[%d]/q[%d]/y", i, j))
					}
				}
				p := paths[rng.Intn(len(paths))]
				v := fmt.Sprint(rng.Intn(6))
				if rng.Intn(5) == 0 {
					v = ""
				}
				if err := in.Set(p, v); err != nil {
					continue
				}
				op = p + "=" + v
			}
			log = append(log, op)
			full, _ := f.Fill(answersOf(in, in.root), Options{Now: fixedNow})
			if a, b := deepSnapshot(in), deepSnapshot(full); a != b {
				t.Fatalf("seed %d ops %v\nincr:\n%s\nfull:\n%s", seed, log, a, b)
			}
		}
	}
}

// TestReviewIndexedFilterMatchesEval (PASSES, pin-down): the indexed fast
// path of Choices agrees with per-choice evaluation for numbers written
// differently ("01" vs "1": both string equality), a filter column missing
// on some choices, a blank parent answer, an `and` of two equalities and
// a select inside a repeat filtered by a field of the same instance.
func TestReviewIndexedFilterMatchesEval(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label | choice_filter |
| | text | p | P | |
| | text | k | K | |
| | select_one c | pick | Pick | grp=${p} |
| | select_one c | pick2 | Pick2 | grp=${p} and kind=${k} |
| | begin repeat | r | R | |
| | text | rp | RP | |
| | select_one c | rpick | RPick | grp=${rp} |
| | end repeat | | | |
| choices |
| | list_name | name | label | grp | kind |
| | c | a | A | 1 | x |
| | c | b | B | 01 | x |
| | c | d | D | | y |
| | c | e | E | 1 | y |
`)
	in := f.NewInstance(Options{Now: fixedNow})
	in.AddRepeat("r")
	in.AddRepeat("r")
	for _, v := range []string{"1", "01", "", " 1", "2"} {
		reviewMust(t, in.Set("p", v))
		reviewMust(t, in.Set("k", "y"))
		reviewMust(t, in.Set("r[2]/rp", v))
		for _, path := range []string{"pick", "pick2", "r[1]/rpick", "r[2]/rpick"} {
			got, err := in.Choices(path)
			if err != nil {
				t.Fatal(err)
			}
			if want := evalFilter(in, path); names(got) != names(want) {
				t.Errorf("p=%q %s: Choices %s, per-choice evaluation %s", v, path, names(got), names(want))
			}
		}
	}
}

// TestReviewTypeChecks (PASSES, pin-down): answer shapes per README.
func TestReviewTypeChecks(t *testing.T) {
	cases := []struct {
		typ Type
		v   string
		ok  bool
	}{
		{TypeInteger, "2147483647", true}, {TypeInteger, "2147483648", false},
		{TypeInteger, "-2147483648", true}, {TypeInteger, "1.0", false}, {TypeInteger, "1e3", false},
		{TypeDecimal, "-0.5", true}, {TypeDecimal, ".", false}, {TypeDecimal, "1,5", false},
		{TypeDate, "2024-02-29", true}, {TypeDate, "2023-02-29", false}, {TypeDate, "2023-2-01", false},
		{TypeTime, "23:59:59.5+08:00", true}, {TypeTime, "24:00", false}, {TypeTime, "9:30", false},
		{TypeDateTime, "2023-01-01T10:00:00Z", true}, {TypeDateTime, "2023-01-01 10:00", false},
		{TypeGeopoint, "39.9 116.4 50 5", true}, {TypeGeopoint, "91 0", false}, {TypeGeopoint, "NaN 0", false},
		{TypeGeopoint, "1 2 3 4 5", false},
	}
	for _, c := range cases {
		if _, ok := checkType(c.typ, c.v); ok != c.ok {
			t.Errorf("%s %q: ok=%v, want %v", c.typ, c.v, ok, c.ok)
		}
	}
}

// TestReviewBlankSemantics (PASSES, pin-down): an empty answer is not 0,
// constraints are not checked on blanks, required is, relevance drops
// answers with a warning, and "members[2]/m_age"-style paths resolve.
func TestReviewBlankSemantics(t *testing.T) {
	f := mustLoadMD(t, `
| survey |
| | type | name | label | required | constraint | relevant |
| | integer | a | A | | . > 5 | |
| | integer | b | B | | | ${a} = 0 |
| | integer | c | C | ${a} != 0 | | |
| | begin repeat | r | R | | | |
| | integer | x | X | | | |
| | end repeat | | | | | |
`)
	obj, _ := DecodeRecord([]byte(`{"a":"","b":"3","r":[{"x":"1"},{"x":"2"}]}`))
	in, res := f.ValidateRecord(obj, Options{Now: fixedNow})
	if got := problems(res.Errors); !reflect.DeepEqual(got, []string{"c required"}) {
		t.Errorf("errors %v, want [c required] (blank a: no constraint, '' != 0 is true)", got)
	}
	if got := problems(res.Warnings); !reflect.DeepEqual(got, []string{"b unknown"}) {
		t.Errorf("warnings %v, want b dropped", got)
	}
	if v, _, _ := in.Value("r[2]/x"); v != "2" {
		t.Errorf("r[2]/x = %q", v)
	}
}
