package tui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
)

// bindings are the key.Binding fields of a screen's keys, by name.
func bindings(t *testing.T, km any) map[string]key.Binding {
	t.Helper()
	v := reflect.ValueOf(km)
	out := map[string]key.Binding{}
	for i := range v.NumField() {
		if b, ok := v.Field(i).Interface().(key.Binding); ok {
			out[v.Type().Field(i).Name] = b
		}
	}
	if len(out) == 0 {
		t.Fatalf("%T has no bindings", km)
	}
	return out
}

// allKeys are every screen's keys in lang, by name.
func allKeys(lang string) map[string]any {
	k := (&common{lang: lang}).keys()
	return map[string]any{"global": k.global, "home": k.home, "fill": k.fill, "records": k.records,
		"questions": k.questions, "summary": k.summary, "record": k.record, "sync": k.sync, "quality": k.quality, "settings": k.settings, "setup": k.setup,
		"confirm": k.confirm, "wait": k.wait, "pick": k.pick, "unlock": k.unlock}
}

// Every binding says which keys and what they do in each interface
// language: a text missing from uiText would be drawn as its name.
func TestKeyHelpInEveryLanguage(t *testing.T) {
	for _, lang := range forms.Languages {
		for screen, km := range allKeys(lang) {
			for name, b := range bindings(t, km) {
				h := b.Help()
				if len(b.Keys()) == 0 || h.Key == "" {
					t.Errorf("%s: %s.%s has no keys or no help: %q %+v", lang, screen, name, b.Keys(), h)
				}
				for _, s := range []string{h.Key, h.Desc} {
					if strings.HasPrefix(s, "key_") || strings.HasPrefix(s, "do_") {
						t.Errorf("%s: %s.%s shows %q: not in uiText", lang, screen, name, s)
					}
				}
				// Only English home's "Up/Down" goes without words
				// (see do_choose_row).
				if h.Desc == "" && (lang != "en" || screen != "home") {
					t.Errorf("%s: %s.%s says what its keys are but not what they do", lang, screen, name)
				}
			}
		}
	}
	for name, row := range uiText {
		if !strings.HasPrefix(name, "key_") && !strings.HasPrefix(name, "do_") {
			continue
		}
		for i, s := range row {
			if s == "" && !(name == "do_choose_row" && forms.Languages[i] == "en") {
				t.Errorf("%s has no %s text", name, forms.Languages[i])
			}
		}
	}
}

// The help screen lists every key of the screen showing, and the footer
// is drawn from the same bindings.
func TestHelpListsEveryBinding(t *testing.T) {
	for _, lang := range forms.Languages {
		m, _ := testApp(t, lang)
		m.c.width = 200 // the test is about what is listed, not where it is cut
		k := m.c.keys()
		cases := []struct {
			name   string
			screen screen
			set    func(*model)
			keys   any
		}{
			{"home", screenHome, nil, k.home},
			{"fill", screenFill, func(m *model) {
				m.help, m.screen = false, screenHome
				*m = send(t, *m, keys("enter")...)
			}, k.fill},
			{"questions", screenFill, func(m *model) { m.fill.mode = modeQuestions }, k.questions},
			// The household sample's check lists answers to fix at first.
			{"summary", screenFill, func(m *model) { m.fill.mode = modeSummary }, k.summary.forCheck(1, false)},
			{"records", screenRecords, func(m *model) { m.records = newRecords(m.c) }, k.records},
			{"record", screenRecords, func(m *model) { m.records.viewing = &store.Record{} }, k.record},
			{"sync", screenSync, func(m *model) { m.sync = syncModel{c: m.c, url: "https://catalogue.example.cn"} }, k.sync},
			{"quality", screenQuality, nil, k.quality},
			{"settings", screenSettings, nil, k.settings},
			{"setup", screenSetup, nil, k.setup},
			{"unlock", screenUnlock, func(m *model) { m.unlock = newUnlock(m.c) }, k.unlock},
			{"pick", screenPick, func(m *model) { m.pick = newPick(m.c, m.fill.s, forms.EntityDecl{List: "households"}) }, k.pick},
		}
		for _, tc := range cases {
			if tc.set != nil {
				tc.set(&m)
			}
			m.screen, m.help = tc.screen, true
			help := m.View()
			for name, b := range bindings(t, tc.keys) {
				if !b.Enabled() {
					continue // not a key of what the screen shows now
				}
				if !strings.Contains(help, helpText(b)) {
					t.Errorf("%s: the help of %s does not list %s (%q):\n%s", lang, tc.name, name, helpText(b), help)
				}
			}
			if !strings.Contains(help, helpText(k.global.Quit)) {
				t.Errorf("%s: the help of %s does not say how to quit", lang, tc.name)
			}
		}
	}
}

// No view reads the database: View runs on every message (every sync
// progress message, every key of a burst), so what a screen shows is read
// when the screen is made or a message changes it.
func TestViewsDoNotQuery(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil || !strings.Contains(strings.ToLower(fn.Name.Name), "view") {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok && (sel.Sel.Name == "db" || sel.Sel.Name == "DB") {
					t.Errorf("%s: %s reads the database", fset.Position(sel.Pos()), fn.Name.Name)
				}
				return true
			})
		}
	}
}
