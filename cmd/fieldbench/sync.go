package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync"
)

// exitAttention is --sync's exit code when records came back for a
// person to look at (conflicts, rejections, returns from review).
const exitAttention = 3

// runEnrol registers this laptop with a catalogue: fieldbench enrol URL CODE.
func (a *App) runEnrol(args []string) int {
	fs := flag.NewFlagSet("enrol", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	sf := addStoreFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(a.Stderr, "usage: fieldbench enrol URL CODE")
		fmt.Fprintln(a.Stderr, "Registers this laptop with the catalogue at URL using the one-time CODE from its administrator.")
		fs.PrintDefaults()
	}
	db, ok := a.parseAndOpen(fs, sf, args, exactly(2))
	if !ok {
		return exitUnusable
	}
	defer db.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	resp, c, err := enrolLaptop(ctx, db, fs.Arg(0), fs.Arg(1))
	switch {
	case errors.Is(err, sync.ErrDeviceExists):
		// The catalogue knows this laptop: another code would not help,
		// one made for this device id does.
		fmt.Fprintf(a.Stderr, "fieldbench: enrolment failed: the catalogue has enrolled this laptop (device %s) before, and a laptop enrols once.\n", db.DeviceID())
		fmt.Fprintf(a.Stderr, "To enrol it again (a lost token, access given back), give the administrator this device id; they make a code for it with\n")
		fmt.Fprintf(a.Stderr, "  fieldbench catalogue device add --township CODE --replaces %s\n", db.DeviceID())
		fmt.Fprintf(a.Stderr, "and you run fieldbench enrol %s NEWCODE. The code you used is still unused.\n", forms.Sanitize(c.BaseURL, false))
		return exitUnusable
	case err != nil:
		fmt.Fprintf(a.Stderr, "fieldbench: enrolment failed: %s\n", syncReason(err))
		return exitUnusable
	}
	fmt.Fprintf(a.Stdout, "enrolled: this laptop (%s) sends to %s for township %s\n", resp.ID, c.BaseURL, resp.Township)
	return exitOK
}

// enrolLaptop trades a one-time code for this laptop's token, for
// fieldbench enrol and the workbench's setup and Settings alike.
func enrolLaptop(ctx context.Context, db *store.DB, address, code string) (*sync.EnrolResponse, *sync.Client, error) {
	c := &sync.Client{BaseURL: address, MaxAttempts: 3}
	resp, err := sync.Enrol(ctx, db, c, strings.TrimSpace(code))
	return resp, c, err
}

// runSync is fieldbench --sync [URL]: push what is finalized, pull new
// form versions.
func (a *App) runSync(args []string) int {
	fs := flag.NewFlagSet("--sync", flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	sf := addStoreFlags(fs)
	db, ok := a.parseAndOpen(fs, sf, args, atMost(1))
	if !ok {
		return exitUnusable
	}
	defer db.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	url, _ := db.Setting(ctx, sync.SettingURL)
	if fs.NArg() == 1 {
		url = fs.Arg(0)
	}
	token, _ := db.Setting(ctx, sync.SettingToken)
	if url == "" || token == "" {
		fmt.Fprintln(a.Stderr, "fieldbench: this laptop is not enrolled with a catalogue yet; run fieldbench enrol URL CODE with the code from the administrator")
		return exitUnusable
	}
	c := &sync.Client{BaseURL: url, Token: token}
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
			fmt.Fprintf(a.Stderr, "\r[%s%s] %d/%d", strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total)
		case done != last && (done == total || done-last >= 500):
			fmt.Fprintf(a.Stderr, "sent %d of %d\n", done, total)
			last = done
		}
	}
	sum, err := sync.Run(ctx, db, c, progress)
	if terminal {
		fmt.Fprintln(a.Stderr)
	}
	fmt.Fprintf(a.Stdout, "%d sent, %d already there, %d conflicts, %d rejected, %d returned by review, %d forms updated\n",
		sum.Sent, sum.Duplicates, len(sum.Conflicts), len(sum.Rejected), len(sum.Returned), len(sum.FormsUpdated))
	for _, f := range sum.FormsUpdated {
		fmt.Fprintf(a.Stdout, "new form: %s version %s\n", forms.Sanitize(f.Title, false), f.Version)
	}
	for _, c := range sum.Conflicts {
		fmt.Fprintf(a.Stdout, "conflict: record %s: %s\n", c.RecordID, forms.Sanitize(c.Reason, false))
	}
	for _, r := range sum.Rejected {
		fmt.Fprintf(a.Stdout, "rejected: record %s: %s\n", r.RecordID, forms.Sanitize(r.Reason, false))
	}
	for _, r := range sum.Returned {
		fmt.Fprintf(a.Stdout, "returned: record %s by %s: %s\n", r.RecordID, forms.Sanitize(r.By, false), forms.Sanitize(r.Reason, false))
	}
	if err != nil {
		fmt.Fprintf(a.Stderr, "fieldbench: sync stopped: %s; what was not sent stays on this laptop and goes next time\n", syncReason(err))
		return exitRejected
	}
	if sum.NeedsAttention() {
		return exitAttention
	}
	return exitOK
}

// syncReason says what went wrong in words a township clerk can act on.
func syncReason(err error) string {
	var se *sync.StatusError
	switch {
	case errors.Is(err, sync.ErrUnreachable):
		return "the catalogue cannot be reached (no network, or the server is down): " + err.Error()
	case errors.Is(err, sync.ErrNotCatalogue):
		return "something that is not the catalogue answered (a Wi-Fi login page?); log in to the network and try again: " + err.Error()
	case errors.Is(err, sync.ErrRevoked):
		return "the catalogue no longer accepts this laptop (access revoked); ask the administrator for a new enrolment code"
	case errors.As(err, &se):
		return se.Error()
	}
	return forms.Sanitize(err.Error(), false)
}

func atMost(n int) func(int) bool { return func(k int) bool { return k <= n } }
