package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/laptop"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// enrolCommand registers this laptop with a catalogue: fieldbench enrol
// URL CODE.
func (a *App) enrolCommand() *Command {
	c, _ := a.laptopLeaf("enrol", exactly(2), func(ctx context.Context, db *store.DB, args []string) error {
		resp, c, err := enrolLaptop(ctx, db, args[0], args[1])
		switch {
		case errors.Is(err, wire.ErrDeviceExists):
			// The catalogue knows this laptop: another code would not
			// help, one made for this device id does. The refusal and
			// what to do about it are one report.
			a.fail("enrol.exists", db.DeviceID())
			a.say(a.Stderr, "enrol.exists_how")
			writeLine(a.Stderr, "  fieldbench catalogue device add --township CODE --replaces "+db.DeviceID())
			a.say(a.Stderr, "enrol.exists_then", c.BaseURL)
			return errReported
		case isStatus(err, http.StatusForbidden):
			return a.failed("enrol.failed", a.t("reason.bad_code"))
		case err != nil:
			return a.failed("enrol.failed", a.syncReason(err))
		}
		a.say(a.Stdout, "enrol.done", resp.ID, c.BaseURL, resp.Township)
		return nil
	})
	c.Summary, c.Usage, c.Help = "cmd.enrol", "enrol.usage", []string{"enrol.help"}
	return c
}

// laptopLeaf is a command on this laptop's database, with --db and
// --collector: run gets the database open (created if need be) and a
// context an interrupt cancels; the database is closed after.
func (a *App) laptopLeaf(name string, args func(int) bool, run func(ctx context.Context, db *store.DB, args []string) error) (*Command, *storeFlags) {
	c := a.leaf(name)
	c.Args = args
	sf := a.addStoreFlags(c.Flags)
	c.Run = func(ctx context.Context, args []string) error {
		db, err := a.openLaptopStore(sf, store.CreateDir())
		if err != nil {
			return err
		}
		defer db.Close()
		ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
		defer stop()
		return run(ctx, db, args)
	}
	return c, sf
}

// enrolLaptop trades a one-time code for this laptop's token, for
// fieldbench enrol and the workbench's setup and Settings alike.
func enrolLaptop(ctx context.Context, db *store.DB, address, code string) (*wire.EnrolResponse, *laptop.Client, error) {
	c := &laptop.Client{BaseURL: address, MaxAttempts: 3}
	resp, err := laptop.Enrol(ctx, db, c, strings.TrimSpace(code))
	return resp, c, err
}

// syncCommand is fieldbench --sync [URL]: push what is finalized, pull
// new form versions. Its name is a flag, as it is typed; the usage shows
// it on a line of its own, not among the commands.
func (a *App) syncCommand() *Command {
	c, _ := a.laptopLeaf("--sync", atMost(1), func(ctx context.Context, db *store.DB, args []string) error {
		url, _ := db.Setting(ctx, laptop.SettingURL)
		if len(args) == 1 {
			url = args[0]
		}
		token, _ := db.Setting(ctx, laptop.SettingToken)
		if url == "" || token == "" {
			return a.failed("sync.not_enrolled")
		}
		return a.sync(ctx, db, &laptop.Client{BaseURL: url, Token: token})
	})
	c.Usage, c.Unlisted = "sync.usage", true
	return c
}

// sync runs one sync and reports it: errRejected when it stopped short
// (the report ends with why), errAttention when records came back for
// the collector to look at (conflicts, rejections, returns from review).
func (a *App) sync(ctx context.Context, db *store.DB, c *laptop.Client) error {
	terminal := a.IsTerminal != nil && a.IsTerminal(a.Stderr)
	last := -1
	progress := func(done, total int) {
		switch {
		case terminal:
			width := 30
			filled := width
			if total > 0 {
				filled = done * width / total
			}
			redrawLine(a.Stderr, fmt.Sprintf("[%s%s] %d/%d", strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total))
		case done != last && (done == total || done-last >= 500):
			a.say(a.Stderr, "sync.progress", done, total)
			last = done
		}
	}
	sum, err := laptop.Run(ctx, db, c, progress)
	if terminal {
		blankLine(a.Stderr)
	}
	a.say(a.Stdout, "sync.summary", a.nf("sync.sent", sum.Sent, sum.Sent), a.nf("sync.duplicates", sum.Duplicates, sum.Duplicates),
		a.nf("sync.conflicts", len(sum.Conflicts), len(sum.Conflicts)), a.nf("sync.rejected", len(sum.Rejected), len(sum.Rejected)),
		a.nf("sync.returned", len(sum.Returned), len(sum.Returned)), a.nf("sync.forms", len(sum.FormsUpdated), len(sum.FormsUpdated)))
	for _, f := range sum.FormsUpdated {
		a.say(a.Stdout, "sync.new_form", f.Title, f.Version)
	}
	if sum.Entities > 0 {
		a.say(a.Stdout, "plain", a.nf("sync.entities", sum.Entities, sum.Entities))
	}
	for _, c := range sum.Conflicts {
		a.say(a.Stdout, "sync.conflict", c.RecordID, c.Reason)
	}
	for _, r := range sum.Rejected {
		a.say(a.Stdout, "sync.rejected_record", r.RecordID, r.Reason)
	}
	for _, r := range sum.Returned {
		a.say(a.Stdout, "sync.returned_record", r.RecordID, r.By, r.Reason)
	}
	if err != nil {
		return a.refused("sync.stopped", a.syncReason(err))
	}
	if sum.NeedsAttention() {
		return errAttention
	}
	return nil
}

// syncReason says what went wrong in words a township clerk can act on,
// in the command's language; the engine's own (English) words are kept
// only for a failure that has no plainer name.
func (a *App) syncReason(err error) string {
	var se *laptop.StatusError
	switch {
	case errors.Is(err, laptop.ErrUnreachable):
		return a.t("reason.unreachable")
	case errors.Is(err, laptop.ErrNotCatalogue):
		return a.t("reason.not_catalogue")
	case errors.Is(err, laptop.ErrRevoked):
		return a.t("reason.revoked")
	case errors.Is(err, context.Canceled):
		return a.t("reason.interrupted")
	case errors.As(err, &se):
		return a.statusReason(se)
	}
	return err.Error()
}

// statusReason names a catalogue's refusal by its HTTP status in the
// command's language, with the catalogue's own detail after it (the
// catalogue speaks English; its detail says which record or field). The
// detail's leading error word ("refused: ...", "not allowed: ...") is
// dropped: the status sentence already says it.
func (a *App) statusReason(se *laptop.StatusError) string {
	detail := forms.Sanitize(se.Msg, false)
	for _, word := range []string{wire.ErrInvalid.Error(), wire.ErrForbidden.Error()} {
		detail = strings.TrimPrefix(detail, word+": ")
	}
	key := "status.other"
	switch {
	case se.Status == http.StatusUnauthorized:
		key = "status.401"
	case se.Status == http.StatusForbidden:
		key = "status.403"
	case se.Status == http.StatusNotFound:
		key = "status.404"
	case se.Status == http.StatusConflict:
		key = "status.409"
	case se.Status == http.StatusRequestEntityTooLarge:
		key = "status.413"
	case se.Status == http.StatusUnprocessableEntity:
		key = "status.422"
	case se.Status == http.StatusTooManyRequests || se.Status >= 500:
		key = "status.busy"
	}
	if detail == "" || detail == se.Msg && (detail == wire.ErrInvalid.Error() || detail == wire.ErrForbidden.Error()) {
		return a.f(key, se.Status)
	}
	return a.f(key, se.Status) + a.t("detail_sep") + detail
}

// isStatus reports whether err is the catalogue's answer with status.
func isStatus(err error, status int) bool {
	var se *laptop.StatusError
	return errors.As(err, &se) && se.Status == status
}
