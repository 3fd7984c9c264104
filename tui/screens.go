package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fieldbench/fieldbench/store"
)

// syncModel shows what waits to be sent. The sync engine comes with the
// catalogue; until then this screen shows the queue and says how records
// will leave the laptop.
type syncModel struct {
	c       *common
	waiting []store.Record
	err     error
}

func newSync(c *common) syncModel {
	s := syncModel{c: c}
	for _, st := range []store.State{store.Finalized, store.Queued} {
		recs, err := c.db.Records(c.ctx, store.Filter{State: st})
		if err != nil {
			s.err = err
		}
		s.waiting = append(s.waiting, recs...)
	}
	return s
}

func (s syncModel) update(msg tea.Msg) (syncModel, tea.Cmd) {
	if key, ok := msg.(tea.KeyMsg); ok && (key.String() == "esc" || key.String() == "q") {
		return s, s.c.navigate(goHomeMsg{})
	}
	return s, nil
}

func (s syncModel) view() string {
	c, th := s.c, s.c.th
	var b strings.Builder
	b.WriteString(th.bar.Render(pad(" "+c.t("sync_title"), c.width)) + "\n\n")
	for _, line := range wrap(c.t("sync_none"), c.width-2) {
		b.WriteString("  " + line + "\n")
	}
	b.WriteString("\n" + th.title.Render(fmt.Sprintf("%s: %d", c.t("sync_queue"), len(s.waiting))) + "\n")
	for i, r := range s.waiting {
		if i >= c.height-12 {
			b.WriteString(th.dim.Render(fmt.Sprintf("  ... +%d", len(s.waiting)-i)) + "\n")
			break
		}
		b.WriteString("  " + fit(clean(r.InstanceName), c.width/2-2) + "  " + th.dim.Render(clean(r.FormID)+"  "+shortTime(r.UpdatedAt)) + "\n")
	}
	return screenFrame(c, b.String(), "", s.err, c.t("sync_keys"))
}

// wrap breaks text into lines of at most w cells: at the last space for
// words, between any two characters for Chinese, which has no spaces.
func wrap(text string, w int) []string {
	var out []string
	line := []rune{}
	width := 0
	for _, r := range text {
		rw := runeWidth(r)
		if width+rw > w && width > 0 {
			cut := len(line)
			if r != ' ' && rw == 1 {
				// Inside a word: break at the line's last space, if any.
				for i := len(line) - 1; i > 0; i-- {
					if line[i] == ' ' {
						cut = i
						break
					}
					if runeWidth(line[i]) > 1 {
						break // Chinese before the word: break right here
					}
				}
			}
			out = append(out, strings.TrimRight(string(line[:cut]), " "))
			line = append([]rune{}, line[cut:]...)
			for len(line) > 0 && line[0] == ' ' {
				line = line[1:]
			}
			width = ansiWidth(string(line))
			if r == ' ' && len(line) == 0 {
				continue
			}
		}
		line = append(line, r)
		width += rw
	}
	if len(line) > 0 {
		out = append(out, string(line))
	}
	return out
}

// settingsModel changes the interface language, the form language, the
// collector's name and the theme, each stored in the database.
type settingsModel struct {
	c       *common
	row     int
	name    textinput.Model
	editing bool
	status  string
	err     error
}

var formLanguages = []string{"", "zh-Hans", "zh-Hant", "en"}
var themes = []string{"", "unicode", "ascii"}

func newSettings(c *common) settingsModel {
	s := settingsModel{c: c, name: textinput.New()}
	s.name.Prompt = ""
	s.name.CharLimit = 40
	name, _ := c.db.Collector(c.ctx)
	s.name.SetValue(name)
	return s
}

func (s settingsModel) update(msg tea.Msg) (settingsModel, tea.Cmd) {
	key, ok := msg.(tea.KeyMsg)
	if !ok {
		return s, nil
	}
	s.status, s.err = "", nil
	c := s.c
	if s.editing {
		switch key.Type {
		case tea.KeyEnter:
			s.editing = false
			s.name.Blur()
			s.err = c.db.SetCollector(c.ctx, strings.TrimSpace(s.name.Value()))
			if s.err == nil {
				s.status = c.t("saved")
			}
			return s, nil
		case tea.KeyEsc:
			s.editing = false
			s.name.Blur()
			return s, nil
		}
		var cmd tea.Cmd
		s.name, cmd = s.name.Update(key)
		return s, cmd
	}
	step := 0
	switch key.String() {
	case "esc", "q":
		return s, s.c.navigate(goHomeMsg{})
	case "up", "k":
		s.row = max(s.row-1, 0)
	case "down", "j":
		s.row = min(s.row+1, 3)
	case "left", "h":
		step = -1
	case "right", "l":
		step = 1
	case "enter":
		if s.row == 2 {
			s.editing = true
			return s, s.name.Focus()
		}
		step = 1
	}
	if step == 0 {
		return s, nil
	}
	switch s.row {
	case 0:
		c.lang = cycle(uiLanguages, c.lang, step)
		s.err = c.db.SetSetting(c.ctx, "ui_language", c.lang)
	case 1:
		c.formLang = cycle(formLanguages, c.formLang, step)
		s.err = c.db.SetSetting(c.ctx, "form_language", c.formLang)
	case 3:
		c.themeSet = cycle(themes, c.themeSet, step)
		c.applyTheme()
		s.err = c.db.SetSetting(c.ctx, "theme", c.themeSet)
	}
	return s, nil
}

// cycle moves from cur to the next (or previous) value of list.
func cycle(list []string, cur string, step int) string {
	for i, v := range list {
		if v == cur {
			return list[(i+step+len(list))%len(list)]
		}
	}
	return list[0]
}

func (s settingsModel) view() string {
	c, th := s.c, s.c.th
	langName := map[string]string{"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English", "": c.t("auto")}
	themeName := map[string]string{"": c.t("auto") + " (" + c.autoTh + ")", "unicode": c.t("theme_unicode"), "ascii": c.t("theme_ascii")}
	name := s.name.View()
	rows := [][2]string{
		{c.t("set_ui"), "< " + langName[c.lang] + " >"},
		{c.t("set_form"), "< " + langName[c.formLang] + " >"},
		{c.t("set_collector"), name},
		{c.t("set_theme"), "< " + themeName[c.themeSet] + " >"},
	}
	var b strings.Builder
	b.WriteString(th.bar.Render(pad(" "+c.t("settings_title"), c.width)) + "\n\n")
	for i, r := range rows {
		label := pad(r[0], 20)
		if i == s.row {
			b.WriteString(th.pointer + " " + th.focus.Render(label) + "  " + r[1] + "\n")
		} else {
			b.WriteString("  " + label + "  " + r[1] + "\n")
		}
	}
	return screenFrame(c, b.String(), s.status, s.err, c.t("settings_keys"))
}

// helpView lists the keys of the screen showing.
func (m model) helpView() string {
	c, th := m.c, m.c.th
	keys := map[screen]string{screenHome: "home_keys", screenFill: "fill_keys", screenRecords: "records_keys",
		screenSync: "sync_keys", screenSettings: "settings_keys"}[m.screen]
	var b strings.Builder
	b.WriteString(th.bar.Render(pad(" "+c.t("help_title"), c.width)) + "\n\n")
	for _, part := range strings.Split(c.t(keys), "  ") {
		b.WriteString("  " + part + "\n")
	}
	if m.screen == screenFill {
		for _, k := range []string{"single_keys", "multi_keys", "repeat_add"} {
			b.WriteString("  " + c.t(k) + "\n")
		}
		b.WriteString("  " + c.t("remove_key") + "\n")
	}
	b.WriteString("\n  " + c.t("quit_keys") + "\n")
	return screenFrame(c, b.String(), "", nil, "")
}
