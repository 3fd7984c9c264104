package tui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/text/width"
)

// The Unicode theme's chrome and every interface string avoid East-Asian
// ambiguous-width characters, which CJK fonts and consoles draw two cells
// wide; the ASCII theme is ASCII only.
func TestChromeHasNoAmbiguousWidths(t *testing.T) {
	uni, ascii := newTheme("unicode", true), newTheme("ascii", true)
	chrome := func(th theme) string {
		return th.rule + th.pointer + th.crumb + th.checked + th.empty + th.radioOn + th.radioOff + th.errMark + th.okMark +
			th.warnMark + th.barOn + th.barOff
	}
	for _, r := range chrome(uni) {
		if width.LookupRune(r).Kind() == width.EastAsianAmbiguous {
			t.Errorf("unicode theme uses %q (%U), of ambiguous width", r, r)
		}
	}
	for _, r := range chrome(ascii) {
		if r > 0x7e {
			t.Errorf("ascii theme uses %q", r)
		}
	}
	for key, row := range uiText {
		for _, s := range row {
			for _, r := range s {
				if width.LookupRune(r).Kind() == width.EastAsianAmbiguous {
					t.Errorf("text %s uses %q (%U), of ambiguous width: %s", key, r, r, s)
				}
			}
		}
	}
}

func TestThemeChoice(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		env  func(string) string
		goos string
		want string
	}{
		{env("TERM", "xterm-256color"), "linux", "unicode"},
		{env("TERM", "linux"), "linux", "ascii"},
		{env(), "windows", "ascii"},
		{env("WT_SESSION", "1"), "windows", "unicode"},
	} {
		if got := chooseTheme(c.env, c.goos); got != c.want {
			t.Errorf("chooseTheme(%s): %s, want %s", c.goos, got, c.want)
		}
	}
}

// A window resized while typing keeps what was typed, and every line of
// the new layout fits.
func TestResizeKeepsInput(t *testing.T) {
	m, _ := testApp(t, "zh-Hans")
	m = send(t, m, keys("enter", "enter", "北京", "enter", "enter", "朝阳", "enter", "望京", "enter", "第一村", "enter", "门牌", "enter", "王大")...)
	m = send(t, m, tea.WindowSizeMsg{Width: 50, Height: 16})
	s := screenText(m)
	if !strings.Contains(s, "王大") || strings.Count(s, "\n") != 16 {
		t.Fatalf("after resize:\n%s", s)
	}
	for _, l := range strings.Split(s, "\n") {
		if ansiWidth(l) > 50 {
			t.Fatalf("line wider than the window: %q", l)
		}
	}
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = send(t, m, keys("明", "enter")...)
	if got := m.fill.s.Inst.Answer("head_name"); got != "王大明" {
		t.Fatalf("head_name %q after resizing mid-answer", got)
	}
}

// Keys that arrive in one burst land question by question, because focus
// moves inside Update.
func TestBurstLandsInOrder(t *testing.T) {
	m, _ := testApp(t, "en")
	m = send(t, m, keys("enter", "enter", "北京", "enter", "enter", "朝阳", "enter", "望京", "enter", "村", "enter", "enter",
		"张建国", "enter", "110105196805140036", "enter", "13811062547", "enter", "3", "enter")...)
	in := m.fill.s.Inst
	for path, want := range map[string]string{"township": "110105026", "village": "村", "address": "", "head_name": "张建国",
		"head_id": "110105196805140036", "head_phone": "13811062547", "hh_size": "3"} {
		if got := in.Answer(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	if n, _ := in.Count("members"); n != 3 {
		t.Errorf("members: %d", n)
	}
}

// Every interface text a screen asks for is in the table: a missing key
// would be drawn as the key itself.
func TestTextKeysExist(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	re := regexp.MustCompile(`\.tf?\("([a-z_]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			if strings.HasPrefix(f, "plain") {
				// The plain prompts have their own tables.
				_, ok := plainText[m[1]]
				if _, edit := plainEditText[m[1]]; !ok && !edit {
					t.Errorf("%s asks for prompt %q, which is not in plainText", f, m[1])
				}
				continue
			}
			if _, ok := uiText[m[1]]; !ok {
				t.Errorf("%s asks for text %q, which is not in uiText", f, m[1])
			}
		}
	}
}
