package tui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/laptop"
)

// syncModel shows what waits to be sent, what came back for attention,
// and runs the same sync as fieldbench --sync when a catalogue is set up.
type syncModel struct {
	c         *common
	url       string
	waiting   []store.Record
	attention []store.Record    // conflicts, rejections and returns
	notes     map[string]string // the catalogue's reason or the reviewer's comment, by record id
	running   bool
	done, of  int
	result    string
	failed    string // why the last sync stopped, in the interface language
	err       error
}

// Messages of a sync running in the background.
type (
	syncProgressMsg struct{ done, total int }
	syncFinishedMsg struct {
		sum *laptop.Summary
		err error
	}
)

func newSync(c *common) syncModel {
	s := syncModel{c: c}
	s.url, _ = c.db.Setting(c.ctx, laptop.SettingURL)
	s.load()
	return s
}

func (s *syncModel) load() {
	s.waiting, s.attention, s.notes = nil, nil, map[string]string{}
	for _, st := range store.States {
		if !st.AwaitsSync() && !st.NeedsAttention() {
			continue
		}
		recs, err := s.c.db.Records(s.c.ctx, store.Filter{State: st})
		if err != nil {
			s.err = err
		}
		if st.NeedsAttention() {
			s.attention = append(s.attention, recs...)
		} else {
			s.waiting = append(s.waiting, recs...)
		}
	}
	for _, r := range s.attention {
		s.notes[r.ID], _ = s.c.db.SyncNote(s.c.ctx, r.ID)
	}
}

// run starts the sync engine off the UI goroutine; progress arrives
// through the program.
func (s *syncModel) run() tea.Cmd {
	c := s.c
	token, _ := c.db.Setting(c.ctx, laptop.SettingToken)
	client := &laptop.Client{BaseURL: s.url, Token: token}
	send := c.send
	return func() tea.Msg {
		sum, err := laptop.Run(c.ctx, c.db, client, func(done, total int) {
			if send != nil {
				send(syncProgressMsg{done, total})
			}
		})
		return syncFinishedMsg{sum, err}
	}
}

func (s syncModel) update(msg tea.Msg) (syncModel, tea.Cmd) {
	switch msg := msg.(type) {
	case syncProgressMsg:
		s.done, s.of = msg.done, msg.total
		return s, nil
	case syncFinishedMsg:
		s.running = false
		s.failed = syncFailure(s.c, msg.err)
		if msg.sum != nil && (msg.err == nil || msg.sum.Sent+msg.sum.Duplicates > 0) {
			s.result = s.c.tf("sync_result", msg.sum.Sent, msg.sum.Duplicates, len(msg.sum.Conflicts), len(msg.sum.Rejected), len(msg.sum.Returned), len(msg.sum.FormsUpdated))
		}
		s.load()
		return s, nil
	case tea.KeyMsg:
		k := s.keys()
		switch {
		case key.Matches(msg, k.Back):
			if !s.running {
				return s, s.c.navigate(goHomeMsg{})
			}
		case key.Matches(msg, k.Run):
			if !s.running {
				s.running, s.result, s.failed, s.done, s.of = true, "", "", 0, len(s.waiting)
				return s, s.run()
			}
		}
	}
	return s, nil
}

func (s syncModel) view() string {
	c, th := s.c, s.c.th
	var b strings.Builder
	b.WriteString(th.bar.Render(pad(" "+c.t("sync_title"), c.width)) + "\n\n")
	if s.url == "" {
		for _, line := range wrap(c.t("sync_none"), c.width-2) {
			b.WriteString("  " + line + "\n")
		}
	} else {
		b.WriteString("  " + c.t("sync_to") + ": " + clean(s.url) + "\n")
		if s.running {
			b.WriteString("  " + c.tf("sync_running", s.done, s.of) + "\n")
		} else if s.failed != "" {
			if s.result != "" {
				b.WriteString("  " + s.result + "\n")
			}
			for _, line := range wrap(s.failed, c.width-4) {
				b.WriteString("  " + th.err.Render(line) + "\n")
			}
		} else if s.result != "" {
			b.WriteString("  " + th.ok.Render(s.result) + "\n")
		}
	}
	b.WriteString("\n" + th.title.Render(fmt.Sprintf("%s: %d", c.t("sync_queue"), len(s.waiting))) + "\n")
	rows := max(2, (c.height-12)/2)
	nameW, detailW := c.width/3, c.width-c.width/3-4
	list := func(recs []store.Record, note bool) {
		for i, r := range recs {
			if i >= rows {
				b.WriteString(th.dim.Render(fmt.Sprintf("  ... +%d", len(recs)-i)) + "\n")
				break
			}
			if !note {
				detail := clean(r.FormID) + "  " + when.Minute(r.UpdatedAt)
				b.WriteString("  " + fit(clean(r.InstanceName), nameW) + "  " + th.dim.Render(fit(detail, detailW)) + "\n")
				continue
			}
			// What to correct is read whole: a reviewer's comment cut at
			// the edge leaves the collector guessing.
			for j, line := range wrap(stateName(c, r.State)+": "+clean(s.notes[r.ID]), detailW) {
				name := ""
				if j == 0 {
					name = clean(r.InstanceName)
				}
				b.WriteString("  " + pad(name, nameW) + "  " + th.dim.Render(line) + "\n")
			}
		}
	}
	list(s.waiting, false)
	if len(s.attention) > 0 {
		b.WriteString("\n" + th.err.Render(fmt.Sprintf("%s: %d", c.t("sync_attention"), len(s.attention))) + "\n")
		list(s.attention, true)
	}
	return screenFrame(c, b.String(), "", s.err, keyLine(s.keys().ShortHelp()))
}

// keys are the sync screen's; there is nothing to run before a catalogue
// is set up.
func (s syncModel) keys() syncKeys {
	k := s.c.keys().sync
	k.Run.SetEnabled(s.url != "")
	return k
}

// syncFailure says why a sync stopped in the interface language, and
// that nothing is lost: what was not sent stays on the laptop for the
// next time. The engine's own words (English, with addresses) are shown
// only for a failure with no plainer name.
func syncFailure(c *common, err error) string {
	if err == nil {
		return ""
	}
	var reason string
	switch {
	case errors.Is(err, laptop.ErrUnreachable):
		reason = c.t("sync_unreachable")
	case errors.Is(err, laptop.ErrNotCatalogue):
		reason = c.t("sync_not_catalogue")
	case errors.Is(err, laptop.ErrRevoked):
		reason = c.t("sync_revoked")
	default:
		reason = c.t("error") + ": " + clean(err.Error())
	}
	return reason + c.t("sync_kept")
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

// helpView lists the keys of the screen showing, a line for each group
// of its FullHelp, and the key that quits from anywhere.
func (m model) helpView() string {
	c, th := m.c, m.c.th
	var b strings.Builder
	b.WriteString(th.bar.Render(pad(" "+c.t("help_title"), c.width)) + "\n\n")
	for _, group := range m.keys().FullHelp() {
		if line := keyLine(group); line != "" { // "" when all are disabled
			b.WriteString("  " + line + "\n")
		}
	}
	b.WriteString("\n  " + helpText(c.keys().global.Quit) + "\n")
	return screenFrame(c, b.String(), "", nil, "")
}

// keys are the keys of the screen showing, as its footer shows them.
func (m model) keys() keyMap {
	k := m.c.keys()
	switch m.screen {
	case screenFill:
		return m.fill.keys()
	case screenRecords:
		if m.records.viewing != nil {
			return k.record
		}
		return k.records
	case screenSync:
		return m.sync.keys()
	case screenSettings:
		return k.settings
	case screenQuality:
		return k.quality
	case screenSetup:
		return k.setup
	case screenPick:
		return k.pick
	case screenUnlock:
		return k.unlock
	}
	return k.home
}
