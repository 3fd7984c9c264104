package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// pickModel starts a follow-up record: the collector finds the household
// (person, business) to visit in the township's list, by characters, a
// code or pinyin, and picks it; the fill screen follows with the form's
// id question answered (see entry.Session.Pick).
type pickModel struct {
	c       *common
	s       *entry.Session
	decl    forms.EntityDecl
	index   *entityIndex // nil until the list is loaded
	input   textinput.Model
	matches []int // indexes into index.all, in list order
	cursor  int   // index into matches
	offset  int   // first match shown
	status  string
	err     error
}

// Messages of the pick, named after what happened.
type (
	// openPickMsg asks for the pick before a new follow-up record.
	openPickMsg struct {
		s    *entry.Session
		decl forms.EntityDecl
	}
	// entitiesLoadedMsg brings a list, indexed for the search.
	entitiesLoadedMsg struct {
		list  string
		index *entityIndex
		err   error
	}
)

func newPick(c *common, s *entry.Session, decl forms.EntityDecl) pickModel {
	p := pickModel{c: c, s: s, decl: decl, input: textinput.New()}
	p.input.Prompt = "/ "
	p.input.Placeholder = c.t("pick_filter")
	p.input.CharLimit = 200
	p.input.Focus()
	p.SetSize(c.width, c.height)
	return p
}

// SetSize fits the search input to the window.
func (p *pickModel) SetSize(width, _ int) { p.input.Width = max(width-6, 10) }

// loadCmd reads and indexes the list off the UI goroutine: indexing
// 100,000 entities (their pinyin) takes longer than a frame, and every
// key after it is then cheap.
func (p pickModel) loadCmd() tea.Cmd {
	src, ctx, list := p.c.entities, p.c.ctx, p.decl.List
	return func() tea.Msg {
		ents, err := src.Entities(ctx, list)
		if err != nil {
			return entitiesLoadedMsg{list: list, err: err}
		}
		return entitiesLoadedMsg{list: list, index: newEntityIndex(ents)}
	}
}

func (p pickModel) update(msg tea.Msg) (pickModel, tea.Cmd) {
	switch msg := msg.(type) {
	case entitiesLoadedMsg:
		if msg.list == p.decl.List {
			p.index, p.err = msg.index, msg.err
			p.filter() // keys typed while it loaded
		}
		return p, nil
	case tea.KeyMsg:
		k := p.c.keys().pick
		switch {
		case key.Matches(msg, k.Back):
			return p, p.c.navigate(goHomeMsg{})
		case key.Matches(msg, k.Up):
			p.move(-1)
		case key.Matches(msg, k.Down):
			p.move(1)
		case key.Matches(msg, k.PageUp):
			p.move(-p.rows())
		case key.Matches(msg, k.PageDown):
			p.move(p.rows())
		case key.Matches(msg, k.Pick):
			return p, p.pick()
		default:
			before := p.input.Value()
			var cmd tea.Cmd
			p.input, cmd = p.input.Update(msg)
			if p.input.Value() != before {
				p.filter()
			}
			return p, cmd
		}
	}
	return p, nil
}

// filter keeps the entities the search text finds, the cursor on the first.
func (p *pickModel) filter() {
	if p.index == nil {
		return
	}
	p.matches = p.index.match(p.input.Value(), p.matches[:0])
	p.cursor, p.offset = 0, 0
}

func (p *pickModel) move(d int) {
	if len(p.matches) > 0 {
		p.cursor = min(max(p.cursor+d, 0), len(p.matches)-1)
		p.offset = scrolled(p.cursor, p.offset, p.rows())
	}
}

// pick answers the form's id question with the entity under the cursor
// and opens the fill screen; a refusal stays here, said on the status line.
func (p *pickModel) pick() tea.Cmd {
	if len(p.matches) == 0 {
		return nil
	}
	i := p.matches[p.cursor]
	problems, err := p.s.Pick(p.c.ctx, p.decl, p.index.all[i])
	p.err = err
	if len(problems) > 0 {
		p.status = p.c.th.err.Render(p.c.th.errMark + clean(problems[0].Message))
	}
	if err != nil || len(problems) > 0 {
		return nil
	}
	return p.c.navigate(openFillMsg{s: p.s, status: p.c.tf("picked", p.index.labels[i])})
}

// rows is how many entities the list shows at once.
func (p pickModel) rows() int { return max(p.c.height-8, 3) }

func (p pickModel) view() string {
	c, th := p.c, p.c.th
	w := c.width
	var b strings.Builder
	b.WriteString(th.bar.Render(pad(" "+c.tf("pick_title", clean(p.s.Form.Title)), w)) + "\n\n")
	b.WriteString("  " + p.input.View() + "\n")
	switch {
	case p.index == nil && p.err == nil:
		b.WriteString("  " + th.dim.Render(c.t("pick_loading")) + "\n")
	case p.index == nil:
	case len(p.index.all) == 0:
		for _, line := range wrap(c.tf("pick_none", clean(p.decl.List)), w-4) {
			b.WriteString("  " + th.dim.Render(line) + "\n")
		}
	case len(p.matches) == 0:
		b.WriteString("  " + th.dim.Render(c.t("no_matches")) + "\n")
	default:
		b.WriteString(p.listView())
		b.WriteString(th.dim.Render("  "+c.tf("pick_count", len(p.index.all), len(p.matches))) + "\n")
	}
	return screenFrame(c, b.String(), p.status, p.err, keyLine(c.keys().pick.ShortHelp()))
}

// listView draws the matches around the cursor: label, then the last
// visit and the marks, dimmed.
func (p pickModel) listView() string {
	c, th := p.c, p.c.th
	rows := p.rows()
	p.offset = scrolled(p.cursor, p.offset, rows) // the window may have shrunk since
	nameW := min(c.width/2, 30)
	var b strings.Builder
	for i := p.offset; i < len(p.matches) && i < p.offset+rows; i++ {
		n := p.matches[i]
		name := pad(p.index.labels[n], nameW)
		detail := th.dim.Render(fit(p.index.detail(c.lang, n), c.width-nameW-6))
		if i == p.cursor {
			fmt.Fprintf(&b, "%s %s  %s\n", th.pointer, th.focus.Render(name), detail)
		} else {
			fmt.Fprintf(&b, "  %s  %s\n", name, detail)
		}
	}
	return b.String()
}

// pickKeys are the pick's; letters are the search's, so only the arrows
// move the cursor.
type pickKeys struct {
	Up, Down, PageUp, PageDown, Pick, Back key.Binding
}

func newPickKeys(lang string) pickKeys {
	return pickKeys{
		Up:       bind(lang, "key_updown", "do_move", "up"),
		Down:     bind(lang, "key_updown", "do_move", "down"),
		PageUp:   bind(lang, "PgUp/PgDn", "do_page", "pgup"),
		PageDown: bind(lang, "PgUp/PgDn", "do_page", "pgdown"),
		Pick:     bind(lang, "Enter", "do_pick", "enter"),
		Back:     bind(lang, "Esc", "do_back", "esc"),
	}
}

func (k pickKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Pick, k.Back}
}
func (k pickKeys) FullHelp() [][]key.Binding { return each(k.ShortHelp()...) }
