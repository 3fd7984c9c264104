package tui

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// PlainOptions configure RunPlain.
type PlainOptions struct {
	In   io.Reader
	Out  io.Writer
	Lang string // interface language: "zh-Hans" (default), "zh-Hant" or "en"
	// Enrol is used by the first-run setup when an address and a code
	// are given; nil leaves the laptop unenrolled.
	Enrol EnrolFunc
	// ReadSecret asks for a passphrase on the terminal without echo; the
	// first-run setup offers one through it. nil (input that is not a
	// terminal) does not offer it.
	ReadSecret func(prompt string) (string, error)
	// entities stands in for the store's entity lists in tests; nil
	// takes them from the store.
	entities entityLists
}

// plainMaxChoices is the longest list printed whole: a screen reader reads
// every line, so past this the person narrows the list with text first.
const plainMaxChoices = 30

// errPlainQuit ends the run at the person's request (!q).
var errPlainQuit = errors.New("quit")

type plainRun struct {
	ctx      context.Context
	db       *store.DB
	in       *bufio.Reader // one for the whole run: piped input read ahead stays in it
	out      io.Writer
	lang     string
	now      func() time.Time // the clock the entry sessions stamp records with
	entities entityLists      // the laptop's copy of the entity lists; nil: none

	lines   chan plainLine // lines read by the reader goroutine
	want    chan struct{}  // asks that goroutine for one more line
	pending bool           // a line was asked for and not yet taken
	readErr error          // the input has ended with this
}

// RunPlain lets the person fill records of the registered forms in db with
// line prompts, one question at a time, for dumb terminals and screen
// readers. Every accepted answer is in the draft at once, so quitting or
// running out of input loses nothing.
func RunPlain(ctx context.Context, db *store.DB, opts PlainOptions) error {
	p := &plainRun{ctx: ctx, db: db, in: bufio.NewReader(opts.In), out: opts.Out, lang: uiLang(opts.Lang), now: time.Now,
		entities: cmp.Or[entityLists](opts.entities, entityListsOf(db))}
	p.say(p.t("title"))
	name, err := db.Collector(ctx)
	if err != nil {
		return err
	}
	if name != "" {
		p.say(p.t("collector") + clean(name))
	} else if err := p.setup(opts.Enrol, opts.ReadSecret); err != nil {
		// Leaving the setup, by !q, end of input or cancellation, is
		// no error; the next start asks again.
		if errors.Is(err, errPlainQuit) || errors.Is(err, io.EOF) || errors.Is(err, context.Canceled) {
			p.say(p.t("bye"))
			return nil
		}
		return err
	}
	for {
		s, err := p.menu()
		if err == nil && s != nil {
			if err = p.fill(s); err == nil {
				continue
			}
		}
		if s != nil && (s.RecordID == "" || s.Editing && !s.EditKept) {
			s = nil // nothing was answered: no draft or edit was kept to mention
		}
		savedQuit, eofSaved := "saved_quit", "eof_saved"
		if s != nil && s.Editing {
			savedQuit, eofSaved = "edit_quit", "edit_quit"
		}
		// Leaving, by q, !q, end of input or cancellation, is no error.
		switch {
		case errors.Is(err, errPlainQuit) && s == nil:
			p.say(p.t("bye"))
		case err == nil:
			p.say(p.t("bye"))
		case errors.Is(err, errPlainQuit):
			p.say(p.t(savedQuit))
		case errors.Is(err, io.EOF):
			if s != nil {
				p.say(p.t(eofSaved))
			}
		case errors.Is(err, context.Canceled):
			if s != nil {
				p.say("\n" + p.t(savedQuit))
			}
		default:
			return err
		}
		return nil
	}
}

// menu offers the forms, the drafts and the edits of finalized records in
// progress; a nil session means quit.
func (p *plainRun) menu() (*entry.Session, error) {
	all, err := p.db.Forms(p.ctx)
	if err != nil {
		return nil, err
	}
	drafts, err := p.db.Drafts(p.ctx)
	if err != nil {
		return nil, err
	}
	edits, err := p.db.PendingEdits(p.ctx)
	if err != nil {
		return nil, err
	}
	// Forms come ordered by id, then by when they were added: the last of
	// each id is the version to start new records with.
	var latest []store.FormVersion
	titles := map[string]string{}
	for _, fv := range all {
		if n := len(latest); n > 0 && latest[n-1].FormID == fv.FormID {
			latest = latest[:n-1]
		}
		latest = append(latest, fv)
		titles[fv.FormID] = clean(fv.Title)
	}
	if len(latest) == 0 {
		p.say(p.t("no_forms"))
		return nil, nil
	}
	p.say("\n" + p.t("forms"))
	for i, fv := range latest {
		p.say(fmt.Sprintf("  %d. %s (%s %s)", i+1, titles[fv.FormID], p.t("version"), clean(fv.Version)))
	}
	if len(drafts) > 0 {
		p.say(p.t("drafts"))
	}
	for i, d := range drafts {
		name := cmp.Or(clean(d.InstanceName), p.t("unnamed"))
		p.say(fmt.Sprintf("  %d. %s - %s, %s", len(latest)+i+1, name, cmp.Or(titles[d.FormID], clean(d.FormID)), when.Minute(d.UpdatedAt)))
	}
	p.sayEdits(edits, len(latest)+len(drafts), titles)
	for {
		line, err := p.line(p.t("choose"))
		if err != nil {
			return nil, err
		}
		n, _ := plainNumber(line)
		var s *entry.Session
		switch f := plainFold(line); {
		case f == "q" || f == "!q":
			return nil, nil
		case f == "?":
			p.say(p.t("help_menu"))
			continue
		case n >= 1 && n <= len(latest):
			s, err = entry.New(p.ctx, p.db, latest[n-1].FormID, latest[n-1].Version, p.lang, p.now)
			if err != nil {
				break
			}
			var back bool
			back, err = p.pickVisit(s)
			switch {
			case errors.Is(err, errPlainQuit):
				return nil, nil // !q at the pick: quit, as at the menu
			case err != nil && (p.readErr != nil || p.ctx.Err() != nil):
				return nil, err // the input ended
			case err == nil && back:
				return p.menu() // backed out of the pick: the lists again
			}
		case n > len(latest) && n <= len(latest)+len(drafts):
			s, err = entry.Resume(p.ctx, p.db, drafts[n-len(latest)-1], p.lang, p.now)
		case n > len(latest)+len(drafts) && n <= len(latest)+len(drafts)+len(edits):
			s, err = p.openEdit(edits[n-len(latest)-len(drafts)-1].Record)
			switch {
			case errors.Is(err, errPlainQuit):
				return nil, nil // !q at the question: quit, as at the menu
			case err != nil && (p.readErr != nil || p.ctx.Err() != nil):
				return nil, err // the input ended
			case err == nil && s == nil:
				return p.menu() // discarded or backed out of: the lists again
			}
		default:
			if line != "" {
				p.say(p.t("bad_choice"))
			}
			continue
		}
		if err != nil {
			// One form or draft that cannot be opened must not lock the
			// person out of the others.
			if errors.Is(err, store.ErrMaskedOnly) {
				p.say(t(p.lang, "masked_only"))
			} else {
				p.say(p.t("error") + clean(err.Error()))
			}
			continue
		}
		return s, nil
	}
}

// fill walks the steps of one record until it is finalized or left as a
// draft. The position is kept by path, since an answer can add or remove
// steps around it.
func (p *plainRun) fill(s *entry.Session) error {
	lang := s.Form.MatchLanguage(p.lang)
	p.say("\n" + fmt.Sprintf(p.t("filling"), clean(s.Form.Title)))
	if s.Editing {
		p.say(fmt.Sprintf(p.t("editing"), cmp.Or(clean(s.Inst.Name()), p.t("unnamed"))))
	}
	if err := p.resumeVisit(s); err != nil {
		return err
	}
	steps := s.Inst.Steps()
	i, header := plainFirstStep(s, steps), ""
	for {
		if i >= len(steps) {
			target, done, err := p.review(s)
			if err != nil || done {
				return err
			}
			steps = s.Inst.Steps()
			if i = plainFind(steps, target); i < 0 {
				i = plainPrev(steps, len(steps))
			}
			continue
		}
		st := steps[i]
		if h := p.header(s, st, lang); h != header {
			if header = h; h != "" {
				p.say("\n== " + h + " ==")
			}
		}
		to, err := p.step(s, st, lang, fmt.Sprintf("[%d/%d] ", i+1, len(steps)))
		if err != nil {
			return err
		}
		steps = s.Inst.Steps()
		here := plainFind(steps, st.Path)
		next := here + 1
		if here < 0 { // the answer removed its own step: what took its place is next
			here = min(i, len(steps))
			next = here
		}
		switch to {
		case "":
			i = next
		case "<":
			i = plainPrev(steps, here)
		default:
			if i = plainFind(steps, to); i < 0 {
				i = here
			}
		}
	}
}

// review stands after the last step: it lists what stops the record from
// being finalized and sends the person to the first of it (target), or
// finalizes. done means the record is finished with, either way.
func (p *plainRun) review(s *entry.Session) (target string, done bool, err error) {
	if missing := s.Missing(); len(missing) > 0 {
		p.say("\n" + fmt.Sprintf(p.t("missing"), len(missing)))
		for _, m := range missing {
			p.say("  " + clean(m.Path) + ": " + clean(m.Message))
		}
		steps := s.Inst.Steps()
		at := plainFind(steps, missing[0].Path)
		if at >= 0 && plainIsNote(steps[at]) {
			// A required note takes no answer: what makes it show is an
			// answer before it.
			if prev := plainPrev(steps, at); prev < at && !plainIsNote(steps[prev]) {
				return steps[prev].Path, false, nil
			}
			at = -1
		}
		if at < 0 {
			// No step asks for it: going on would come straight back here
			// without reading anything, so wait for the person.
			_, _, err = p.read(p.t("stuck"), "")
		}
		return missing[0].Path, false, err
	}
	// Warnings nobody has confirmed yet, such as one an answer elsewhere
	// tripped: each is confirmed here, or the person goes to change it.
	if pending := s.Unconfirmed(); len(pending) > 0 {
		p.say("\n" + fmt.Sprintf(p.t("unconfirmed"), len(pending)))
		for _, w := range pending {
			p.say("  ? " + clean(w.Path) + ": " + clean(w.Message))
			yes, back, err := p.confirm(p.t("warn_ask"))
			switch {
			case err != nil:
				return "", false, err
			case back || !yes:
				return w.Path, false, nil
			}
			if err := s.Confirm(p.ctx, w); err != nil {
				return "", false, err
			}
		}
	}
	p.say("")
	yes, back, err := p.confirm(p.t(plainIf(s.Editing, "edit_ask", "finalize_ask")))
	if err != nil || back {
		return "", false, err
	}
	if !yes {
		p.say(p.t(plainIf(s.Editing, "edit_kept", "kept")))
		return "", true, nil
	}
	var big *store.TooLargeError
	if err := s.Finish(p.ctx); errors.Is(err, entry.ErrNotReady) || errors.Is(err, entry.ErrUnconfirmed) {
		return "", false, nil
	} else if errors.As(err, &big) {
		// Nothing was finalized; which answer to shorten is the
		// person's call, so the draft waits for them.
		p.say(fmt.Sprintf(p.t("too_large"), forms.Kilobytes(big.Size), forms.Kilobytes(forms.MaxRecordBytes)))
		return "", true, nil
	} else if ws := (*store.ErrWrongState)(nil); s.Editing && errors.As(err, &ws) {
		// A batch carrying the record is in flight: the edit waits,
		// kept, for the sync to settle.
		p.say(p.t("edit_failed") + clean(err.Error()))
		return "", true, nil
	} else if err != nil {
		return "", false, err
	}
	p.say(fmt.Sprintf(p.t(plainIf(s.Editing, "edit_saved", "finalized")), cmp.Or(clean(s.Inst.Name()), p.t("unnamed"))))
	return "", true, nil
}

// header names where a step is, printed when it changes: the repeat
// instance and the field-list group.
func (p *plainRun) header(s *entry.Session, st forms.Step, lang string) string {
	var parts []string
	if rep := st.Field.Repeat; st.Kind == forms.StepQuestion && rep != nil {
		inst := st.Path[:max(strings.LastIndexByte(st.Path, ']'), 0)]
		n, _ := strconv.Atoi(inst[strings.LastIndexByte(inst, '[')+1:])
		parts = append(parts, fmt.Sprintf(p.t("instance"), p.label(s, st.Path, rep, lang), n))
	}
	if st.Page != nil {
		parts = append(parts, p.label(s, st.Path, st.Page, lang))
	}
	return strings.Join(parts, " / ")
}

// label is a field's label in the form language with the answers it
// refers to filled in, or its name when it has none.
func (p *plainRun) label(s *entry.Session, path string, fd *forms.Field, lang string) string {
	return cmp.Or(clean(s.Inst.Text(path, fd.Label, lang)), clean(fd.Name))
}

var plainTypeHint = map[forms.Type]string{forms.TypeDate: "date", forms.TypeTime: "time", forms.TypeDateTime: "datetime",
	forms.TypeInteger: "integer", forms.TypeDecimal: "decimal", forms.TypeAcknowledge: "ack"}

// step asks one step until it has an accepted answer or a command, and
// says where to go next: "" the following step, "<" the one before, else
// the step at that path. For a select, a number picks from the list as
// last printed, and text that is neither a number nor a choice name
// searches the list.
func (p *plainRun) step(s *entry.Session, st forms.Step, lang, counter string) (string, error) {
	fd := st.Field
	if st.Kind == forms.StepRepeat {
		p.say("\n" + counter + fmt.Sprintf(p.t("repeat"), p.label(s, st.Path, fd, lang), st.Count))
		return p.repeat(s, st)
	}
	p.say("\n" + counter + p.label(s, st.Path, fd, lang))
	if h := clean(s.Inst.Text(st.Path, fd.Hint, lang)); h != "" {
		p.say("  " + h)
	}
	if prev, ok := previousText(p.lang, s, fd, lang); ok {
		p.say("  " + prev)
	}
	multi := fd.Type.ManyChoices()
	sel := fd.Type.IsSelect()
	listHint := plainIf(multi, "multi", "one")
	if fd.Type == forms.TypeRank {
		listHint = "rank"
	}
	var all, shown []*forms.Choice
	switch {
	case fd.Type == forms.TypeNote:
		// A required note that shows stops the record: say so here, as
		// the full screen does, and let the review send the person back.
		errs, _ := s.Inst.ProblemsAt(st.Path, s.Lang)
		for _, pr := range errs {
			p.say("  ! " + clean(pr.Message))
		}
		return "", nil
	case sel:
		all, _ = s.Inst.Choices(st.Path)
		switch {
		case len(all) == 0:
			p.say("  " + p.t("no_choices"))
		case len(all) > plainMaxChoices:
			p.say("  " + fmt.Sprintf(p.t("long_list"), len(all)))
		default:
			shown = p.list(all, lang, listHint)
		}
	case plainTypeHint[fd.Type] != "":
		p.say("  (" + p.t(plainTypeHint[fd.Type]) + ")")
	}
	for {
		cur := s.Inst.Answer(st.Path)
		offer := ""
		if cur == "" && !sel {
			if offer = s.Inst.Offer(st.Path); offer != "" {
				p.say("  " + p.t("offer") + clean(offer))
			}
		}
		if cur != "" && !sel {
			p.say("  " + p.t("current") + clean(cur))
		} else if cur != "" {
			var labels []string
			for _, name := range strings.Fields(cur) {
				labels = append(labels, plainLabelOf(all, name, lang))
			}
			p.say("  " + p.t("current") + strings.Join(labels, ", "))
		}
		line, cmd, err := p.read("> ", plainIf(sel, "help_select", ""))
		if err != nil || cmd == "<" {
			return "<", err
		}
		value := line
		switch {
		case cmd == "!c":
			value = ""
		case line == "":
			// Offered again rather than skipped: an answer accepted
			// earlier can have been made wrong by a later one.
			value = cur
			if cur == "" {
				value = offer
			}
		case fd.Type == forms.TypeAcknowledge && plainYes(line):
			value = "OK"
		case sel:
			names, ok := plainResolve(line, shown, all, multi)
			if !ok {
				if found := plainFilter(all, line, lang); len(found) > 0 {
					shown = p.list(found, lang, "pick")
				} else {
					p.say("  " + p.t("no_match"))
				}
				continue
			}
			value = strings.Join(names, " ")
		}
		problems, pending, err := s.AnswerWarned(p.ctx, st.Path, value)
		for _, pr := range problems {
			p.say("  ! " + clean(pr.Message))
		}
		if err != nil || len(problems) > 0 {
			if err != nil {
				return "", err
			}
			continue
		}
		if cleared := clearedText(s, lang, p.t("cleared")); cleared != "" {
			p.say("  " + cleared)
		}
		if now := s.Inst.Answer(st.Path); fd.Type == forms.TypeDate && now != value {
			p.say("  " + p.t("stored_as") + now)
		}
		if to, again, err := p.confirmWarnings(s, pending); err != nil || !again {
			return to, err
		}
	}
}

// confirmWarnings shows the warnings an accepted answer tripped and asks
// whether the answer is right: yes confirms them (into the record and the
// audit trail) and goes on, no asks the question again, "<" goes back.
func (p *plainRun) confirmWarnings(s *entry.Session, pending []forms.Problem) (to string, again bool, err error) {
	if len(pending) == 0 {
		return "", false, nil
	}
	for _, w := range pending {
		p.say("  ? " + p.t("warn") + clean(w.Message))
	}
	yes, back, err := p.confirm(p.t("warn_ask"))
	switch {
	case err != nil || back:
		return "<", false, err
	case !yes:
		return "", true, nil
	}
	for _, w := range pending {
		if err := s.Confirm(p.ctx, w); err != nil {
			return "", false, err
		}
	}
	p.say("  " + p.t("warn_done"))
	return "", false, nil
}

// list prints choices numbered, at most plainMaxChoices of them, and
// returns the ones printed: what numbers now refer to.
func (p *plainRun) list(choices []*forms.Choice, lang, hint string) []*forms.Choice {
	if len(choices) > plainMaxChoices {
		p.say("  " + fmt.Sprintf(p.t("more_matches"), len(choices), plainMaxChoices))
		choices = choices[:plainMaxChoices]
	}
	for i, ch := range choices {
		p.say(fmt.Sprintf("  %d. %s", i+1, clean(cmp.Or(ch.LabelIn(lang), ch.Name))))
	}
	p.say("  (" + p.t(hint) + ")")
	return choices
}

// repeat stands after a repeat's instances: add one, remove one, or go on.
// Removing is allowed under a repeat_count too: it is how a person fixes a
// count that was lowered after the instances were made.
func (p *plainRun) repeat(s *entry.Session, st forms.Step) (string, error) {
	p.say("  " + p.t(plainIf(st.Fixed, "repeat_fixed", "repeat_keys")))
	for {
		line, cmd, err := p.read("> ", "help_repeat")
		if err != nil || cmd == "<" {
			return "<", err
		}
		f := plainFold(line)
		n, isNum := plainNumber(strings.TrimPrefix(f, "-"))
		switch {
		case line == "" || plainNo(line):
			return "", nil
		case (f == "+" || plainYes(line)) && st.Fixed:
			p.say("  " + p.t("no_add"))
		case f == "+" || plainYes(line):
			n, err := s.AddRepeat(p.ctx, st.Path)
			return st.Path + "[" + strconv.Itoa(n) + "]", err
		case strings.HasPrefix(f, "-") && isNum && n >= 1 && n <= st.Count:
			yes, _, err := p.confirm(fmt.Sprintf(p.t("remove_ask"), n))
			if err == nil && yes {
				if err = s.RemoveRepeat(p.ctx, st.Path+"["+strconv.Itoa(n)+"]"); err == nil {
					p.say("  " + fmt.Sprintf(p.t("removed"), n))
				}
			}
			return st.Path, err
		default:
			p.say("  " + p.t("bad_input"))
		}
	}
}

// plainFind is the index of the step at path, or of the first step inside
// it (a repeat instance); -1 when there is none.
func plainFind(steps []forms.Step, path string) int {
	if i := slices.IndexFunc(steps, func(st forms.Step) bool { return st.Path == path }); i >= 0 || path == "" {
		return i
	}
	return slices.IndexFunc(steps, func(st forms.Step) bool {
		return strings.HasPrefix(st.Path, path+"[") || strings.HasPrefix(st.Path, path+"/")
	})
}

// plainPrev is the step before i, passing over notes: going back to a note
// would print it and come straight forward again.
func plainPrev(steps []forms.Step, i int) int {
	j := i - 1
	for j > 0 && plainIsNote(steps[j]) {
		j--
	}
	return max(j, 0)
}

func plainIsNote(st forms.Step) bool {
	return st.Kind == forms.StepQuestion && st.Field.Type == forms.TypeNote
}

func plainIf(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}
