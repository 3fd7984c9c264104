package forms

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

var allLangs = []string{LangHans, LangHant, LangEn}

// verbRE finds a fmt verb with its optional explicit argument index.
var verbRE = regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0]*\d*(?:\.\d+)?([a-zA-Z%])`)

// formatVerbs lists a format's verbs as "argument:verb", in argument order,
// so that a translation may put the arguments in another order (with
// %[n]s) but must use each one as the English does.
func formatVerbs(format string) []string {
	var out []string
	next := 1
	for _, m := range verbRE.FindAllStringSubmatch(format, -1) {
		if m[2] == "%" {
			continue
		}
		arg := next
		if m[1] != "" {
			arg, _ = strconv.Atoi(m[1])
		}
		next = arg + 1
		out = append(out, strconv.Itoa(arg)+":"+m[2])
	}
	sort.Strings(out)
	return out
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// TestLoadMessagesComplete holds the tables to three languages with the
// same arguments in each, and Chinese that is Chinese.
func TestLoadMessagesComplete(t *testing.T) {
	for name, table := range map[string]map[loadKey][3]string{"loadMessages": loadMessages, "recordMessages": recordMessages} {
		for key, m := range table {
			if name == "recordMessages" {
				if _, dup := loadMessages[key]; dup {
					t.Errorf("%s is in both tables", key)
				}
			}
			want := formatVerbs(m[2])
			for i, s := range m {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s: %s has no text in %s", name, key, allLangs[i])
					continue
				}
				if got := formatVerbs(s); strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("%s in %s uses %v, the English %v", key, allLangs[i], got, want)
				}
			}
			// A message that is only verbs around one word (XLSForm's
			// "type", an article) needs no Han characters.
			words := 0
			for _, w := range strings.Fields(verbRE.ReplaceAllString(m[2], "")) {
				if strings.ContainsAny(w, "abcdefghijklmnopqrstuvwxyz") {
					words++
				}
			}
			if words > 1 {
				for i := 0; i < 2; i++ {
					if !hasHan(m[i]) {
						t.Errorf("%s in %s is not translated: %q", key, allLangs[i], m[i])
					}
				}
			}
		}
	}
}

// TestEveryLoadKeyHasWords finds every loadKey constant in the package's
// source and asks for its entry: a key added without words would show
// its name to the user.
func TestEveryLoadKeyHasWords(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	n := 0
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, file, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(node ast.Node) bool {
			vs, ok := node.(*ast.ValueSpec)
			if !ok {
				return true
			}
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "loadKey" {
				return true
			}
			for i, name := range vs.Names {
				lit := vs.Values[i].(*ast.BasicLit)
				key, _ := strconv.Unquote(lit.Value)
				n++
				_, inLoad := loadMessages[loadKey(key)]
				_, inRecord := recordMessages[loadKey(key)]
				if !inLoad && !inRecord {
					t.Errorf("%s (%q) has no words", name.Name, key)
				}
			}
			return true
		})
	}
	if n != len(loadMessages)+len(recordMessages) {
		t.Errorf("%d keys declared, %d entries in the tables: each key needs one entry and each entry a key", n, len(loadMessages)+len(recordMessages))
	}
}

// checkWords fails when a message does not come out whole in every
// language: no fmt complaint (%!), no bare key, and English as Error says.
func checkWords(t *testing.T, what string, say func(lang string) string, english string) {
	t.Helper()
	for _, lang := range allLangs {
		s := say(lang)
		if s == "" || strings.Contains(s, "%!") {
			t.Fatalf("%s in %s: %q", what, lang, s)
		}
	}
	if say(LangEn) != english {
		t.Fatalf("%s: English %q, Error %q", what, say(LangEn), english)
	}
}

func checkLoadErrorWords(t *testing.T, e *LoadError) {
	t.Helper()
	checkWords(t, e.Error(), e.Localized, e.Error())
	if e.Key() == "" {
		t.Fatalf("%s: no key", e.Error())
	}
}

// brokenForms are markdown forms with one mistake each, to meet most
// loader messages in every language.
var brokenForms = []string{
	"| survey |\n| | type | name | label |\n| | integer | a | A |\n| | text | a | again |\n",
	"| survey |\n| | type | name | label |\n| | begn group | g | G |\n| | select_one colours | c | C |\n| choices |\n| | list_name | name | label |\n| | colors | r | R |\n",
	"| survey |\n| | type | name | label | constraint | relevant | validate |\n| | integer | age | Age | . >= 0 and | | |\n| | integer | n | N | | ${agee} > 3 | |\n| | text | id | ID | | | cn_idd |\n",
	"| survey |\n| | type | name | label |\n| | text | bad name | X |\n| | end group | | |\n| | begin repeat | r | R |\n",
	"| survey |\n| | type | name | label | calculation |\n| | calculate | a | | ${b} |\n| | calculate | b | | ${a} |\n",
	"| survey |\n| | type | name | label | sensitive | media::image | guidance_hint | trigger |\n| | text | a | A | nope | x.png | g | a |\n| | note | n | N | name | | | |\n| surveys |\n| | x |\n",
	"| survey |\n| | type | name | label |\n| | geotrace | t | T |\n| | rank | r | R |\n| | select_one | s | S |\n| | select_one_from_file a.csv | f | F |\n| | begin loop | l | L |\n| | begin group extra | g | G |\n| | range | x | X |\n| settings |\n| | form_id | allow_choice_duplicates | add_none_option |\n| | a b | maybe | yes |\n",
	"| choices |\n| | list_name | name | label |\n| | l | a | A |\n",
	"| survey |\n| | type | name | label | label::English | relevant::English | warning_message |\n| | text | __x | A | A | 1 | w |\n| | select_one l or_other | s | S | S | | |\n| | text | s_other | O | O | | |\n| choices |\n| | list_name | name | label | label::English |\n| | l | a b | A | A |\n| | l | a b | A | A |\n| | | x | X | X |\n",
}

// TestLoadErrorsLocalized loads broken forms and reads every error and
// warning in the three languages: same location, each language whole,
// and Chinese when Chinese is asked for.
func TestLoadErrorsLocalized(t *testing.T) {
	keys := map[string]bool{}
	for i, src := range brokenForms {
		name := "broken" + strconv.Itoa(i) + ".md"
		f, err := Load(name, []byte(src))
		var les LoadErrors
		if !errors.As(err, &les) {
			t.Fatalf("%s: want LoadErrors, got %v", name, err)
		}
		_ = f
		for _, e := range les {
			checkLoadErrorWords(t, e)
			keys[e.Key()] = true
			zh := e.Localized(LangHans)
			if !strings.HasPrefix(zh, e.Loc.String()+": ") || !hasHan(strings.TrimPrefix(zh, e.Loc.String())) {
				t.Errorf("zh-Hans: %s", zh)
			}
			if hant := e.Localized("zh_TW.UTF-8"); hant == zh && strings.ContainsAny(zh, "这问题们为") {
				t.Errorf("zh-Hant is the Simplified text: %s", hant)
			}
		}
	}
	// The first form: the name used twice, by its key whatever the language.
	_, err := Load("dup.md", []byte(brokenForms[0]))
	les := err.(LoadErrors)
	if len(les) != 1 || les[0].Key() != string(ldNameTaken) {
		t.Fatalf("dup.md: %v", err)
	}
	if got, want := les[0].Localized(LangHans), `dup.md:survey:4:name: 名称 "a" 已在第 3 行用于同一表单（不在任何分组内）中：并列的问题需要不同的名称，因为每个名称都是记录中的一个键`; got != want {
		t.Errorf("zh-Hans:\n got %s\nwant %s", got, want)
	}
	if got, want := les[0].Localized(LangEn), les[0].Error(); got != want {
		t.Errorf("en %q, Error %q", got, want)
	}
	if len(keys) < 20 {
		t.Errorf("the broken forms meet only %d messages: %v", len(keys), keys)
	}
}

// TestLoadWarningsLocalized: warnings of a form that loads have words too.
func TestLoadWarningsLocalized(t *testing.T) {
	f, err := Load("warn.md", []byte("| survey |\n| | type | name | label | guidance_hint | colour |\n| | text | a | A | g | red |\n| | text | A | B | | |\n| notes |\n| | x |\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Warnings) < 3 {
		t.Fatalf("warnings: %v", LoadErrors(f.Warnings))
	}
	for _, w := range f.Warnings {
		checkLoadErrorWords(t, w)
		if !hasHan(w.Message(LangHant)) {
			t.Errorf("zh-Hant: %s", w.Localized(LangHant))
		}
	}
}

// TestRecordErrorsLocalized reads bad record lines and CSV files in the
// three languages; the English stays what it was.
func TestRecordErrorsLocalized(t *testing.T) {
	for _, tc := range []struct{ line, key, en string }{
		{`{"a":1,}`, "record_bad_char", `offset 8: invalid character '}' looking for a name in quotes`},
		{`{"a":1`, "record_end", "unexpected end of JSON input"},
		{`null`, "record_null", "expected a JSON object, got null"},
		{`[1]`, "record_not_object", "offset 1: expected a JSON object, found '['"},
		{`{} {}`, "record_two_values", "offset 4: more than one JSON value on the line"},
		{`{"a":1,"a":2}`, "record_name_twice", `offset 8: the name "a" appears twice in one object; a record names each answer once`},
		{`{"a":tru}`, "record_bad_char", `offset 9: invalid character '}' in literal true`},
		{"{\"a\":\"\xcd\"}", "record_not_utf8", "offset 7: byte 0xCD is not UTF-8; the text must be saved as UTF-8"},
	} {
		_, err := DecodeRecord([]byte(tc.line))
		var re *RecordError
		if !errors.As(err, &re) {
			t.Fatalf("%s: %T %v", tc.line, err, err)
		}
		if err.Error() != tc.en || re.Key() != tc.key {
			t.Errorf("%s: %q (%s), want %q (%s)", tc.line, err, re.Key(), tc.en, tc.key)
		}
		checkWords(t, tc.line, re.Localized, err.Error())
		if !hasHan(re.Localized(LangHans)) {
			t.Errorf("%s: zh-Hans %q", tc.line, re.Localized(LangHans))
		}
	}
	if got, want := RecordLineError("a.jsonl", 3, mustDecodeErr(t, `{"a":1,}`), LangHans).Error(),
		`a.jsonl:3: 不是有效的 JSON 记录：第 8 字节处：在应为带引号的名称的位置遇到无效字符 '}'`; got != want {
		t.Errorf("line error:\n got %s\nwant %s", got, want)
	}
	if got, want := RecordLineError("a.jsonl", 3, mustDecodeErr(t, `{"a":1,}`), LangEn).Error(),
		`a.jsonl:3: malformed JSON: offset 8: invalid character '}' looking for a name in quotes`; got != want {
		t.Errorf("line error:\n got %s\nwant %s", got, want)
	}

	form := mustLoadMD(t, flatMD)
	for _, tc := range []struct{ csv, en string }{
		{"", "line 1: the file is empty; the first row must name the fields"},
		{"name,,age\n", "line 1, column 2: blank header; every column needs a field name"},
		{"name,name\n", `line 1: columns 1 and 2 are both "name"`},
		{"name,age\nA\n", "line 2: 1 values for 2 columns"},
		{"name,age\nA\"b,1\n", "line 2: bare \" in non-quoted-field"},
		{"name,age\n\"A\"b,1\n", "line 2: extraneous or missing \" in quoted-field"},
	} {
		err := csvErr(form, tc.csv)
		if err == nil || err.Error() != tc.en {
			t.Errorf("%q: %v, want %s", tc.csv, err, tc.en)
			continue
		}
		zh := LocalizedError(err, LangHans)
		if !hasHan(zh) || !strings.HasPrefix(zh, "第 ") {
			t.Errorf("%q: zh-Hans %q", tc.csv, zh)
		}
	}
}

func mustDecodeErr(t *testing.T, line string) error {
	t.Helper()
	_, err := DecodeRecord([]byte(line))
	if err == nil {
		t.Fatalf("%s decodes", line)
	}
	return err
}

// csvErr is the first error reading a CSV file gives.
func csvErr(f *Form, in string) error {
	c, err := NewCSVRecords(f, strings.NewReader(in))
	if err != nil {
		return err
	}
	for {
		if _, _, err := c.Next(); err != nil {
			if err.Error() == "EOF" {
				return nil
			}
			return err
		}
	}
}
