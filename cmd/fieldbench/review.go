package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/sync/laptop"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// runReview is the reviewer's side of a running catalogue (fieldbench
// serve), over HTTP with a reviewer's token:
//
//	fieldbench review list [--form ID] [--state pending|approved|has-issues|rejected] [--limit N] [--after CURSOR]
//	fieldbench review show RECORD [--changed] [--clear]
//	fieldbench review set RECORD --state approved|has-issues|rejected [--comment TEXT] [--version V]
//
// The address comes from --url or FIELDBENCH_URL, the token from
// FIELDBENCH_TOKEN or --token (a token on the command line ends up in the
// shell's history). Reviewers see the personal answers masked as exports
// mask them; one with clearance sees them in clear with show --clear,
// which the catalogue records in its audit.
func (a *App) runReview(args []string) int {
	// A flag first (review -h) is no subcommand: the flags are parsed,
	// and -h shows the usage.
	cmd, rest := "", args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, rest = args[0], args[1:]
	}
	fs := a.newFlagSet("review " + cmd)
	usage := func() int {
		a.saySyntax(a.Stderr, "review.usage")
		a.saySyntax(a.Stderr, "review.usage_more")
		a.sayWrapped(a.Stderr, "review.help")
		a.printFlags(a.Stderr, fs)
		return exitUnusable
	}
	if len(args) == 0 {
		return usage()
	}
	fs.Usage = func() { usage() }
	url := fs.String("url", "", a.t("flag.review_url"))
	token := fs.String("token", "", a.t("flag.review_token"))
	formID := fs.String("form", "", a.t("flag.review_form"))
	state := fs.String("state", "", a.t("flag.review_state"))
	comment := fs.String("comment", "", a.t("flag.review_comment"))
	version := fs.String("version", "", a.t("flag.review_version"))
	limit := fs.Int("limit", 0, a.f("flag.review_limit", wire.DefaultReviewPage, wire.MaxReviewPage))
	after := fs.String("after", "", a.t("flag.review_after"))
	changedOnly := fs.Bool("changed", false, a.t("flag.review_changed"))
	inClear := fs.Bool("clear", false, a.t("flag.review_clear"))
	a.addLangFlag(fs)
	if err := a.parseFlags(fs, reorderFlags(fs, rest)); err != nil {
		return exitUnusable
	}
	if *url == "" {
		*url = a.Getenv("FIELDBENCH_URL")
	}
	if *token == "" {
		*token = a.Getenv("FIELDBENCH_TOKEN")
	}
	if *url == "" || *token == "" {
		a.fail("review.needs")
		return exitUnusable
	}
	c := &laptop.Client{BaseURL: *url, Token: strings.TrimSpace(*token), MaxAttempts: 3}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	switch {
	case cmd == "list" && fs.NArg() == 0:
		f := wire.ReviewFilter{FormID: *formID, Limit: *limit, After: *after}
		if *state != "" {
			if f.State = wire.ReviewState(*state); strings.EqualFold(*state, wire.ReviewPending) {
				f.State = wire.ReviewPending
			} else if f.State == "" {
				a.fail("bad_state", *state, "pending, approved, has-issues, rejected")
				return exitUnusable
			}
		}
		return a.reviewList(ctx, c, f)
	case cmd == "show" && fs.NArg() == 1:
		return a.reviewShow(ctx, c, fs.Arg(0), *changedOnly, *inClear)
	case cmd == "set" && fs.NArg() == 1 && *state != "":
		st := wire.ReviewState(*state)
		if st == "" {
			a.fail("bad_state", *state, "approved, has-issues, rejected")
			return exitUnusable
		}
		return a.reviewSet(ctx, c, fs.Arg(0), wire.ReviewRequest{VersionID: *version, State: st, Comment: *comment})
	}
	return usage()
}

// reviewFailed says why a review command failed: exit 1 when the
// catalogue refused the request (not allowed, no such record, a
// rejection without a comment), 2 when it could not be asked.
func (a *App) reviewFailed(err error) int {
	var se *laptop.StatusError
	switch {
	case errors.Is(err, laptop.ErrRevoked):
		a.fail("review.token_refused")
		return exitUnusable
	case errors.As(err, &se) && se.Status < 500:
		a.fail("plain", a.statusReason(se))
		return exitRejected
	}
	a.fail("plain", a.syncReason(err))
	return exitUnusable
}

func (a *App) reviewList(ctx context.Context, c *laptop.Client, f wire.ReviewFilter) int {
	page, err := c.ReviewList(ctx, f)
	if err != nil {
		return a.reviewFailed(err)
	}
	t := &table{}
	t.add(a.heads("h.record", "h.form", "h.township", "h.versions", "h.collector", "h.received", "h.state", "h.comment")...)
	for _, it := range page.Records {
		versions := strconv.Itoa(it.Versions)
		if it.Conflict {
			versions += a.t("review.conflict_mark")
		}
		t.add(clean(it.RecordID), clean(it.FormID), clean(it.Township), versions, clean(it.Collector),
			shortTime(it.ReceivedAt), stateWord(it.State), clean(it.Comment))
	}
	t.write(a.Stdout)
	a.say(a.Stdout, "plain", a.nf("n_records", len(page.Records), len(page.Records)))
	if page.Next != "" {
		a.say(a.Stdout, "review.more", clean(page.Next))
	}
	return exitOK
}

func (a *App) reviewSet(ctx context.Context, c *laptop.Client, recordID string, req wire.ReviewRequest) int {
	r, err := c.SetReview(ctx, recordID, req)
	if err != nil {
		return a.reviewFailed(err)
	}
	a.say(a.Stdout, "review.set", clean(r.RecordID), clean(r.VersionID),
		stateWord(r.State), clean(r.Reviewer), shortTime(r.At))
	if r.Comment != "" {
		a.say(a.Stdout, "review.comment", clean(r.Comment))
	}
	if r.State == wire.ReviewRejected {
		a.say(a.Stdout, "review.goes_back")
	}
	return exitOK
}

// reviewShow prints a record's versions: who sent each and when, its
// review, then the answers side by side (a * marks a changed answer; with
// onlyChanged, only those), then every review in the order they were
// made. The answers come masked unless inClear asked for them in clear.
func (a *App) reviewShow(ctx context.Context, c *laptop.Client, recordID string, onlyChanged, inClear bool) int {
	rec, err := c.ReviewRecord(ctx, recordID, inClear)
	if err != nil {
		return a.reviewFailed(err)
	}
	a.say(a.Stdout, "review.record", clean(rec.RecordID), clean(rec.FormID), clean(rec.Township), a.nf("n_versions", len(rec.Versions), len(rec.Versions)))
	if rec.Conflict {
		a.say(a.Stdout, "review.in_conflict")
	}
	if rec.Masked {
		a.say(a.Stdout, "review.masked")
	} else if inClear {
		a.say(a.Stdout, "review.clear")
	}
	number := map[string]int{}
	var diff wire.AnswerDiff
	for i, v := range rec.Versions {
		number[v.VersionID] = i + 1
		latest := ""
		if v.VersionID == rec.Head {
			latest = a.t("review.latest")
		}
		fmt.Fprint(a.Stdout, a.f("review.version", i+1, latest, clean(v.VersionID)))
		if v.Replaces != "" {
			fmt.Fprint(a.Stdout, a.f("review.replaces", clean(v.Replaces)))
		}
		by := clean(v.Collector)
		if by == "" {
			by = a.t("review.no_name")
		}
		fmt.Fprintln(a.Stdout)
		a.say(a.Stdout, "review.version_detail",
			clean(v.FormVersion), by, clean(v.DeviceID), shortTime(v.ReceivedAt), clean(v.Status))
		if r := v.Review; r != nil {
			fmt.Fprint(a.Stdout, a.f("review.review", stateWord(r.State), clean(r.Reviewer), shortTime(r.At)))
			if r.Comment != "" {
				fmt.Fprint(a.Stdout, a.t("detail_sep")+clean(r.Comment))
			}
			fmt.Fprintln(a.Stdout)
		} else {
			a.say(a.Stdout, "review.pending")
		}
		if err := diff.Add(v); err != nil {
			a.fail("review.bad_data", clean(v.VersionID), clean(err.Error()))
			return exitUnusable
		}
	}
	fmt.Fprintln(a.Stdout)
	t := &table{}
	head := append([]string{" "}, a.heads("h.field", "h.question")...)
	for i := range rec.Versions {
		head = append(head, a.f("h.version_n", i+1))
	}
	t.add(head...)
	changed := 0
	for _, r := range diff.Rows() {
		row := []string{" ", clean(r.Path), clean(cutCell(rec.QuestionLabel(r.Path), 16))}
		if r.Changed {
			row[0] = "*"
			changed++
		} else if onlyChanged {
			continue
		}
		for _, v := range r.Values {
			row = append(row, clean(rec.ChoiceText(r.Path, v)))
		}
		t.add(row...)
	}
	t.write(a.Stdout)
	switch {
	case len(rec.Versions) < 2:
	default:
		fmt.Fprintln(a.Stdout, a.nf("review.changed", changed, changed))
	}
	var history []wire.Review
	for _, v := range rec.Versions {
		history = append(history, v.History...)
	}
	// Oldest first across versions; stamps are fixed-width UTC, so they
	// sort as text.
	slices.SortStableFunc(history, func(x, y wire.Review) int { return strings.Compare(x.At, y.At) })
	fmt.Fprintln(a.Stdout)
	if len(history) == 0 {
		a.say(a.Stdout, "review.no_history")
		return exitOK
	}
	a.say(a.Stdout, "review.history")
	h := &table{}
	h.add(a.heads("h.at", "h.version", "h.state", "h.reviewer", "h.comment")...)
	for _, r := range history {
		h.add(shortTime(r.At), strconv.Itoa(number[r.VersionID]), stateWord(r.State), clean(r.Reviewer), clean(r.Comment))
	}
	h.write(a.Stdout)
	return exitOK
}

// cutCell cuts s to a table cell of at most n runes, marking the cut.
func cutCell(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// clean is text from the catalogue made safe for the terminal, on one line.
func clean(s string) string { return forms.Sanitize(s, false) }

// stateWord is a review state as the commands take it: has-issues.
func stateWord(s string) string { return strings.ReplaceAll(clean(s), "_", "-") }
