package divisions

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRowCounts(t *testing.T) {
	want := map[Level]int{Province: 31, City: 342, County: 2978, Township: 41352}
	for lv, n := range want {
		if got := len(List(lv)); got != n {
			t.Errorf("List(%s) has %d rows, want %d", lv, got, n)
		}
	}
	if List(0) != nil || List(Township+1) != nil {
		t.Error("List of an invalid level should be nil")
	}
}

// The copies must stay byte-identical to upstream; SOURCES.md records the
// checksums, so compare against what it says rather than a second copy.
func TestDataMatchesSources(t *testing.T) {
	src, err := os.ReadFile("data/SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"provinces.csv", "cities.csv", "areas.csv", "streets.csv"} {
		b, err := os.ReadFile("data/" + name)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if !strings.Contains(string(src), hex.EncodeToString(sum[:])) {
			t.Errorf("%s: sha256 %x not listed in SOURCES.md", name, sum)
		}
	}
}

func TestEveryParentExists(t *testing.T) {
	for lv := City; lv <= Township; lv++ {
		for _, d := range List(lv) {
			parent := d.Code[:(lv - 1).CodeLen()]
			p, ok := Lookup(parent)
			if !ok {
				t.Fatalf("%s %s %s: parent %s missing", lv, d.Code, d.Name, parent)
			}
			if p.Level != lv-1 {
				t.Fatalf("%s: parent level %s", d.Code, p.Level)
			}
			if !containsCode(Children(parent), d.Code) {
				t.Fatalf("%s not among Children(%s)", d.Code, parent)
			}
			if d.Province != d.Code[:2] {
				t.Fatalf("%s: Province = %q", d.Code, d.Province)
			}
		}
	}
	// The reverse: Children returns nothing foreign, and every county has at
	// least one township (SOURCES.md says so; the cascade UI relies on it).
	for _, c := range List(County) {
		kids := Children(c.Code)
		if len(kids) == 0 {
			t.Errorf("county %s %s has no townships", c.Code, c.Name)
		}
		for _, k := range kids {
			if k.County != c.Code || k.Level != Township {
				t.Fatalf("Children(%s) returned %+v", c.Code, k)
			}
		}
	}
}

func TestNamesAreClean(t *testing.T) {
	for lv := Province; lv <= Township; lv++ {
		for _, d := range List(lv) {
			if d.Name == "" || !utf8.ValidString(d.Name) || strings.ContainsAny(d.Name, "\",\r\n") {
				t.Fatalf("%s: bad name %q", d.Code, d.Name)
			}
		}
	}
}

func TestExamples(t *testing.T) {
	d, ok := Lookup("110105")
	if !ok || d.Name != "朝阳区" || d.Level != County || d.Province != "11" || d.City != "1101" || d.County != "" {
		t.Fatalf("Lookup(110105) = %+v, %v", d, ok)
	}
	if p, _ := Lookup(d.Province); p.Name != "北京市" {
		t.Errorf("province of 110105 = %+v", p)
	}
	if d, ok := Lookup("320576"); !ok || d.Name != "苏州工业园区" {
		t.Errorf("Lookup(320576) = %+v, %v (2023 recode of the Suzhou park)", d, ok)
	}
	for _, code := range []string{"320571", "440524", "", "1", "abc", "11010", "1101050010", "110105001001"} {
		if _, ok := Lookup(code); ok {
			t.Errorf("Lookup(%q) found a division", code)
		}
	}
	if d, ok := Lookup("110105001"); !ok || d.Level != Township || d.County != "110105" || d.City != "1101" {
		t.Errorf("Lookup(110105001) = %+v, %v", d, ok)
	}
	if d, ok := Lookup("11"); !ok || d.Province != "" || d.City != "" || d.County != "" {
		t.Errorf("Lookup(11) = %+v, %v", d, ok)
	}

	var names []string
	for _, d := range Path("320576") {
		names = append(names, d.Name)
	}
	if got := strings.Join(names, "/"); got != "江苏省/苏州市/苏州工业园区" {
		t.Errorf("Path(320576) = %s", got)
	}
	if Path("320571") != nil {
		t.Error("Path of an unknown code should be nil")
	}
}

func TestKnown(t *testing.T) {
	cases := map[string]bool{
		"11": true, "1101": true, "110105": true, "110105001": true,
		"110105001001": true, // village level: township known, village not bundled
		"110105999001": false,
		"11010500100x": false,
		"320571":       false,
		"440524":       false,
		"110000":       false, // padded forms are Resolve's business
		"":             false,
		"1101050":      false,
	}
	for code, want := range cases {
		if got := Known(code); got != want {
			t.Errorf("Known(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestResolve(t *testing.T) {
	cases := map[string]string{
		"110105":         "110105",
		" 110105 ":       "110105",
		"320000":         "32",
		"320500":         "3205",
		"110000000000":   "11",
		"110105000000":   "110105",
		"110105001000":   "110105001",
		"441900":         "441900", // exact county-level row beats padded 4419
		"4419":           "4419",
		"110105001001":   "", // village: not bundled
		"320571":         "",
		"0000":           "",
		"":               "",
		"11a":            "",
		"１１０１０５":         "", // full-width digits are the caller's job
		"11000000000000": "",
	}
	for in, want := range cases {
		d, ok := Resolve(in)
		if ok != (want != "") || d.Code != want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", in, d.Code, ok, want)
		}
	}
}

func TestChildren(t *testing.T) {
	if got := len(Children("")); got != 31 {
		t.Errorf("Children(\"\") has %d rows", got)
	}
	if got := Children("11"); len(got) != 1 || got[0].Code != "1101" {
		t.Errorf("Children(11) = %+v", got)
	}
	kids := Children("110105")
	if len(kids) == 0 || kids[0].Code[:6] != "110105" {
		t.Fatalf("Children(110105) = %+v", kids)
	}
	for _, code := range []string{"110105001", "99", "320571", "1", "abc", "11010"} {
		if got := Children(code); got != nil {
			t.Errorf("Children(%q) = %d rows, want nil", code, len(got))
		}
	}
	// Appending to a returned run must not overwrite the next county's rows.
	before := Children("110106")[0]
	_ = append(Children("110105"), Division{Code: "x"})
	if Children("110106")[0] != before {
		t.Error("append to Children result clobbered shared data")
	}
}

func TestLevel(t *testing.T) {
	if Township.String() != "township" || Level(0).String() != "invalid" || Level(9).CodeLen() != 0 {
		t.Error("Level methods")
	}
}

func containsCode(ds []Division, code string) bool {
	for _, d := range ds {
		if d.Code == code {
			return true
		}
	}
	return false
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{"110105", "320500", "110105001001", " 11 ", "441900", "", "0", "000000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		known := Known(s)
		d, ok := Resolve(s)
		_ = Children(s)
		_ = Path(s)
		if !ok {
			return
		}
		again, ok2 := Lookup(d.Code)
		if !ok2 || again != d {
			t.Fatalf("Resolve(%q) = %+v not found by Lookup", s, d)
		}
		if !strings.HasPrefix(strings.TrimSpace(s), d.Code) {
			t.Fatalf("Resolve(%q) = %s is not a prefix", s, d.Code)
		}
		if known && len(s) != 12 && d.Code != s {
			t.Fatalf("Known(%q) but Resolve gave %s", s, d.Code)
		}
	})
}

func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseAll(); err != nil {
			b.Fatal(err)
		}
	}
}

// 500101 重庆市万州区 has the longest township list (52); the run is found
// by binary search, so its length hardly matters.
func BenchmarkChildren(b *testing.B) {
	tables()
	b.ReportAllocs()
	for b.Loop() {
		if len(Children("500101")) != 52 {
			b.Fatal("no townships")
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	tables()
	for b.Loop() {
		if !Known("110105001001") {
			b.Fatal("unknown")
		}
	}
}
