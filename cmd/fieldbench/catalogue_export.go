package main

import (
	"context"
	"io"
	"os/user"
	"strconv"
	"strings"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// catalogueExports lists the exports recorded in the catalogue, and the
// records reviewers viewed in clear.
func (a *App) catalogueExports(ctx context.Context, db *catalogue.DB, formID string) error {
	events, err := db.ExportEvents(ctx, formID)
	if err != nil {
		return err
	}
	t := &table{}
	t.add(a.heads("h.started", "h.form", "h.format", "h.sharing", "h.masked", "h.records", "h.from", "h.outcome", "h.who")...)
	for _, e := range events {
		format := e.Format
		if e.File != "" {
			format += " " + e.File
		}
		masked, records, from, outcome, who := a.t("no"), "-", e.Remote, a.t("exports.ok"), e.UserID
		if e.Masked {
			masked = a.t("yes")
		}
		if e.Records >= 0 {
			records = strconv.Itoa(e.Records)
		}
		if from == "" {
			from = a.t("exports.local")
		}
		switch {
		case e.FinishedAt.IsZero():
			outcome = a.t("exports.unfinished")
		case e.Failure != "":
			outcome = a.f("exports.failed", e.Failure)
		}
		if who == "" {
			who = a.f("exports.admin", e.Command)
		}
		t.add(when.Minute(e.StartedAt), e.FormID, format, e.Sharing, masked, records, from, outcome, who)
	}
	t.write(a.Stdout)
	// A reviewer's clear view of one record is kept here too, as format
	// review with the record's id (store/catalogue/reviewview.go).
	views := 0
	for _, e := range events {
		if e.Format == "review" {
			views++
		}
	}
	if views == 0 {
		a.say(a.Stdout, "plain", a.nf("n_exports", len(events), len(events)))
	} else {
		a.say(a.Stdout, "exports.with_views", a.nf("n_exports", len(events)-views, len(events)-views), a.nf("n_views", views, views))
	}
	return nil
}

// adminCommand is the administrator's export as the audit records it:
// rebuilt from the parsed flags (never the raw arguments, which may hold
// a --postgres password), with the operating system's user.
func adminCommand(formID, format, out string, masked, labels bool, recipients []string) string {
	args := []string{"fieldbench", "catalogue", "export", "--form", formID, "--format", format}
	if out != "" {
		args = append(args, "--out", out)
	}
	for _, r := range recipients {
		args = append(args, "--encrypt-to", r)
	}
	if masked {
		args = append(args, "--masked")
	}
	if labels {
		args = append(args, "--labels")
	}
	return commandLine(args)
}

// commandLine is an administrator's command as the audit records it,
// quoted where needed, with the operating system's user.
func commandLine(args []string) string {
	for i, arg := range args {
		if arg == "" || strings.ContainsAny(arg, " \t\"'\\") {
			args[i] = strconv.Quote(arg)
		}
	}
	s := strings.Join(args, " ")
	if u, err := user.Current(); err == nil && u.Username != "" {
		s += " (OS user " + u.Username + ")"
	}
	return s
}

// catalogueExport writes the catalogue's records of a form in the shapes
// of the laptop's export, with a pseudonym beside each ID number, and
// records the export in the catalogue's audit.
func (a *App) catalogueExport(ctx context.Context, cf *catalogueFlags, req wire.ExportRequest, out string, encryptTo []string) error {
	to, err := a.exportRecipients(encryptTo, out)
	if err != nil {
		return err
	}
	db, err := a.openCatalogueDB(cf)
	if err != nil {
		return err
	}
	defer db.Close()
	format := req.Format
	req.Command = adminCommand(req.FormID, format, out, req.Masked, req.Labels, to)
	x, err := db.NewExport(ctx, req)
	if err != nil {
		return err
	}
	var n int
	switch {
	case format == "jsonl" && out == "":
		n, err = x.Write(ctx, func(string) (io.Writer, error) { return a.Stdout, nil })
	case format == "jsonl" || format == "xlsx":
		n, err = writeNewFile(out, encrypted(to, func(w io.Writer) (int, error) {
			return x.Write(ctx, func(string) (io.Writer, error) { return w, nil })
		}))
	default:
		n, err = writeDir(out, x.Files(), to, func(open func(string) (io.Writer, error)) (int, error) { return x.Write(ctx, open) })
	}
	if err != nil {
		return a.failed("export.failed", a.errText(err))
	}
	a.say(a.Stderr, "plain", a.nf("export.done_catalogue", n, n))
	return nil
}

// exportFormatProblem says what is wrong with an export's --format, --out
// and --labels, or "" when they go together.
func (a *App) exportFormatProblem(format, out string, labels bool) string {
	switch {
	case format != "csv" && format != "xlsx" && format != "jsonl":
		return a.f("format.bad", format)
	case format != "jsonl" && out == "":
		return a.f("format.needs_out", format)
	case labels && format == "jsonl":
		return a.t("format.labels_jsonl")
	}
	return ""
}
