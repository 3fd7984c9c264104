package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/sync/laptop"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// reviewCommand is the reviewer's side of a running catalogue
// (fieldbench serve), over HTTP with a reviewer's token: list, show and
// set. The address comes from --url or FIELDBENCH_URL, the token from
// FIELDBENCH_TOKEN or --token (a token on the command line ends up in the
// shell's history). Reviewers see the personal answers masked as exports
// mask them; one with clearance sees them in clear with show --clear,
// which the catalogue records in its audit.
func (a *App) reviewCommand() *Command {
	g := a.group("review", "cmd.review", a.reviewListCommand(), a.reviewShowCommand(), a.reviewSetCommand(),
		a.reviewConflictsCommand(), a.reviewResolveCommand(), a.reviewEntityErrorsCommand())
	g.Help = []string{"review.help"}
	return g
}

// reviewLeaf is a review subcommand with --url and --token; run gets a
// client of the catalogue, and stops on Ctrl+C.
func (a *App) reviewLeaf(name, synopsis string, args func(int) bool, run func(ctx context.Context, c *laptop.Client, args []string) error) *Command {
	c := a.leaf(name)
	c.Synopsis, c.Args, c.Help = synopsis, args, []string{"review.help"}
	url := c.Flags.String("url", "", a.t("flag.review_url"))
	token := c.Flags.String("token", "", a.t("flag.review_token"))
	c.Run = func(ctx context.Context, args []string) error {
		if *url == "" {
			*url = a.Getenv("FIELDBENCH_URL")
		}
		if *token == "" {
			*token = a.Getenv("FIELDBENCH_TOKEN")
		}
		if *url == "" || *token == "" {
			return a.failed("review.needs")
		}
		client := &laptop.Client{BaseURL: *url, Token: strings.TrimSpace(*token), MaxAttempts: 3}
		ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
		defer stop()
		return run(ctx, client, args)
	}
	return c
}

func (a *App) reviewListCommand() *Command {
	var formID, state, after *string
	var limit *int
	c := a.reviewLeaf("list", "syn.review_list", exactly(0), func(ctx context.Context, c *laptop.Client, _ []string) error {
		f := wire.ReviewFilter{FormID: *formID, Limit: *limit, After: *after}
		if *state != "" {
			if f.State = wire.ReviewState(*state); strings.EqualFold(*state, wire.ReviewPending) {
				f.State = wire.ReviewPending
			} else if f.State == "" {
				return a.failed("bad_state", *state, "pending, approved, has-issues, rejected")
			}
		}
		return a.reviewList(ctx, c, f)
	})
	formID = c.Flags.String("form", "", a.t("flag.review_form"))
	state = c.Flags.String("state", "", a.t("flag.review_state_list"))
	limit = c.Flags.Int("limit", 0, a.f("flag.review_limit", wire.DefaultReviewPage, wire.MaxReviewPage))
	after = c.Flags.String("after", "", a.t("flag.review_after"))
	return c
}

func (a *App) reviewShowCommand() *Command {
	var changedOnly, inClear *bool
	c := a.reviewLeaf("show", "syn.review_show", exactly(1), func(ctx context.Context, c *laptop.Client, args []string) error {
		return a.reviewShow(ctx, c, args[0], *changedOnly, *inClear)
	})
	changedOnly = c.Flags.Bool("changed", false, a.t("flag.review_changed"))
	inClear = c.Flags.Bool("clear", false, a.t("flag.review_clear"))
	return c
}

func (a *App) reviewSetCommand() *Command {
	var state, comment, version *string
	c := a.reviewLeaf("set", "syn.review_set", exactly(1), func(ctx context.Context, c *laptop.Client, args []string) error {
		if *state == "" {
			return errUsage
		}
		st := wire.ReviewState(*state)
		if st == "" {
			return a.failed("bad_state", *state, "approved, has-issues, rejected")
		}
		return a.reviewSet(ctx, c, args[0], wire.ReviewRequest{VersionID: *version, State: st, Comment: *comment})
	})
	state = c.Flags.String("state", "", a.t("flag.review_state_set"))
	comment = c.Flags.String("comment", "", a.t("flag.review_comment"))
	version = c.Flags.String("version", "", a.t("flag.review_version"))
	return c
}

// reviewFailed says why a review command failed: exit 1 when the
// catalogue refused the request (not allowed, no such record, a
// rejection without a comment), 2 when it could not be asked.
func (a *App) reviewFailed(err error) error {
	var se *laptop.StatusError
	switch {
	case errors.Is(err, laptop.ErrRevoked):
		return a.failed("review.token_refused")
	case errors.As(err, &se) && se.Status < 500:
		return a.refused("plain", a.statusReason(se))
	}
	return a.failed("plain", a.syncReason(err))
}

func (a *App) reviewList(ctx context.Context, c *laptop.Client, f wire.ReviewFilter) error {
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
		t.add(it.RecordID, it.FormID, it.Township, versions, it.Collector,
			shortTime(it.ReceivedAt), stateWord(it.State), it.Comment)
	}
	t.write(a.Stdout)
	a.say(a.Stdout, "plain", a.nf("n_records", len(page.Records), len(page.Records)))
	if page.Next != "" {
		a.say(a.Stdout, "review.more", page.Next)
	}
	return nil
}

func (a *App) reviewSet(ctx context.Context, c *laptop.Client, recordID string, req wire.ReviewRequest) error {
	r, err := c.SetReview(ctx, recordID, req)
	if err != nil {
		return a.reviewFailed(err)
	}
	a.say(a.Stdout, "review.set", r.RecordID, r.VersionID,
		stateWord(r.State), r.Reviewer, shortTime(r.At))
	if r.Comment != "" {
		a.say(a.Stdout, "review.comment", r.Comment)
	}
	if r.State == wire.ReviewRejected {
		a.say(a.Stdout, "review.goes_back")
	}
	return nil
}

// reviewShow prints a record's versions: who sent each and when, its
// review, then the answers side by side (a * marks a changed answer; with
// onlyChanged, only those), then every review in the order they were
// made. The answers come masked unless inClear asked for them in clear.
func (a *App) reviewShow(ctx context.Context, c *laptop.Client, recordID string, onlyChanged, inClear bool) error {
	rec, err := c.ReviewRecord(ctx, recordID, inClear)
	if err != nil {
		return a.reviewFailed(err)
	}
	a.say(a.Stdout, "review.record", rec.RecordID, rec.FormID, rec.Township, a.nf("n_versions", len(rec.Versions), len(rec.Versions)))
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
		line := a.f("review.version", i+1, latest, v.VersionID)
		if v.Replaces != "" {
			line += a.f("review.replaces", v.Replaces)
		}
		writeLine(a.Stdout, line)
		by := v.Collector
		if by == "" {
			by = a.t("review.no_name")
		}
		a.say(a.Stdout, "review.version_detail",
			v.FormVersion, by, v.DeviceID, shortTime(v.ReceivedAt), v.Status)
		if r := v.Review; r != nil {
			line := a.f("review.review", stateWord(r.State), r.Reviewer, shortTime(r.At))
			if r.Comment != "" {
				line += a.t("detail_sep") + forms.Sanitize(r.Comment, false)
			}
			writeLine(a.Stdout, line)
		} else {
			a.say(a.Stdout, "review.pending")
		}
		if err := diff.Add(v); err != nil {
			return a.failed("review.bad_data", v.VersionID, err)
		}
	}
	blankLine(a.Stdout)
	t := &table{}
	head := append([]string{" "}, a.heads("h.field", "h.question")...)
	for i := range rec.Versions {
		head = append(head, a.f("h.version_n", i+1))
	}
	t.add(head...)
	changed := 0
	for _, r := range diff.Rows() {
		row := []string{" ", r.Path, cutCell(rec.QuestionLabel(r.Path), 16)}
		if r.Changed {
			row[0] = "*"
			changed++
		} else if onlyChanged {
			continue
		}
		for _, v := range r.Values {
			row = append(row, rec.ChoiceText(r.Path, v))
		}
		t.add(row...)
	}
	t.write(a.Stdout)
	switch {
	case len(rec.Versions) < 2:
	default:
		a.say(a.Stdout, "plain", a.nf("review.changed", changed, changed))
	}
	var history []wire.Review
	for _, v := range rec.Versions {
		history = append(history, v.History...)
	}
	// Oldest first across versions; stamps are fixed-width UTC, so they
	// sort as text.
	slices.SortStableFunc(history, func(x, y wire.Review) int { return strings.Compare(x.At, y.At) })
	blankLine(a.Stdout)
	if len(history) == 0 {
		a.say(a.Stdout, "review.no_history")
		return nil
	}
	a.say(a.Stdout, "review.history")
	h := &table{}
	h.add(a.heads("h.at", "h.version", "h.state", "h.reviewer", "h.comment")...)
	for _, r := range history {
		h.add(shortTime(r.At), strconv.Itoa(number[r.VersionID]), stateWord(r.State), r.Reviewer, r.Comment)
	}
	h.write(a.Stdout)
	return nil
}

// cutCell cuts s to a table cell of at most n runes, marking the cut.
func cutCell(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// stateWord is a review state as the commands take it: has-issues.
func stateWord(s string) string { return strings.ReplaceAll(s, "_", "-") }

// shortTime shows a time the catalogue sent (wire text: UTC, or with an
// offset) in the reader's zone, to the minute, as the screens show the
// store's times; the text becomes a time here, at the edge.
func shortTime(stamp string) string { return forms.Sanitize(when.Stamp(stamp), false) }
