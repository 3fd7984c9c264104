package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/laptop"
)

// tokenEnv holds a user token for download: unlike --token, it does not
// show in the list of processes other users of the machine can read.
const tokenEnv = "FIELDBENCH_TOKEN"

// downloadCommand is fieldbench download: a catalogue export of a form's
// records (--form) or of an entity list (--list) for a reviewer or reader
// of the county, with their user token, to a file or stdout.
func (a *App) downloadCommand() *Command {
	c := a.leaf("download")
	c.Summary, c.Usage, c.Args = "cmd.download", "download.usage", exactly(0)
	c.Help = []string{"download.help", "labels.help"}
	baseURL := c.Flags.String("url", "", a.t("flag.download_url"))
	token := c.Flags.String("token", "", a.f("flag.download_token", tokenEnv))
	formID := c.Flags.String("form", "", a.t("flag.form_id"))
	list := c.Flags.String("list", "", a.t("flag.download_list"))
	inClear := c.Flags.Bool("clear", false, a.t("flag.download_clear"))
	format := c.Flags.String("format", "", a.t("flag.format"))
	out := c.Flags.String("out", "", a.t("flag.download_out"))
	labels, lang := a.addLabelFlags(c.Flags)
	c.Run = func(ctx context.Context, _ []string) error {
		if *baseURL == "" || (*formID == "") == (*list == "") {
			return errUsage
		}
		if *list != "" && *labels {
			return &usageError{msg: a.t("download.list_labels")}
		}
		if *list == "" && *inClear {
			return &usageError{msg: a.t("download.clear_needs_list")}
		}
		problemOut := *out
		if *format == "csv" {
			problemOut = "-" // csv goes to stdout without --out
		}
		if msg := a.exportFormatProblem(*format, problemOut, *labels); msg != "" {
			return &usageError{msg: msg}
		}
		tok := *token
		if tok == "" {
			tok = a.Getenv(tokenEnv)
		}
		if tok == "" {
			return a.failed("download.no_token", tokenEnv)
		}
		ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
		defer stop()
		c := &laptop.Client{BaseURL: *baseURL, Token: strings.TrimSpace(tok)}
		var info *laptop.ExportInfo
		var err error
		if *list != "" {
			info, err = toFileOrStdout(func(open func(*laptop.ExportInfo) (io.Writer, error)) (*laptop.ExportInfo, error) {
				return c.DownloadEntityExport(ctx, *list, *format, *inClear, open)
			}, *out, a.Stdout)
		} else {
			info, err = download(ctx, c, *formID, *format, *out, a.Stdout,
				laptop.ExportOptions{Labels: *labels, Language: a.language(*lang)})
		}
		if err != nil {
			return a.refused("download.failed", a.downloadReason(err))
		}
		masked := a.t("download.clear")
		if info.Masked {
			masked = a.t("download.masked")
		}
		dest := *out
		if dest == "" {
			dest = a.t("stdout")
		}
		if *list != "" {
			a.say(a.Stderr, "plain", a.nf("download.done_entities", info.Records, info.Records, *list, info.Sharing, masked, dest))
		} else {
			a.say(a.Stderr, "plain", a.nf("download.done", info.Records, info.Records, *formID, info.Sharing, masked, dest))
		}
		return nil
	}
	return c
}

// download fetches an export to out: a new file (jsonl, xlsx), a new
// directory of files (csv), or stdout when out is "".
func download(ctx context.Context, c *laptop.Client, formID, format, out string, stdout io.Writer, xo laptop.ExportOptions) (*laptop.ExportInfo, error) {
	if format == "csv" && out != "" {
		return downloadCSVDir(ctx, c, out, formID, xo)
	}
	return toFileOrStdout(func(open func(*laptop.ExportInfo) (io.Writer, error)) (*laptop.ExportInfo, error) {
		return c.DownloadExportWith(ctx, formID, format, "", xo, open)
	}, out, stdout)
}

// toFileOrStdout streams the one file fetch downloads into a new file out
// (made whole or not at all, as writeNewFile makes it), or to stdout when
// out is "".
func toFileOrStdout(fetch func(open func(*laptop.ExportInfo) (io.Writer, error)) (*laptop.ExportInfo, error), out string, stdout io.Writer) (*laptop.ExportInfo, error) {
	if out == "" {
		return fetch(func(*laptop.ExportInfo) (io.Writer, error) { return stdout, nil })
	}
	var info *laptop.ExportInfo
	_, err := writeNewFile(out, func(w io.Writer) (int, error) {
		var derr error
		info, derr = fetch(func(*laptop.ExportInfo) (io.Writer, error) { return w, nil })
		return 0, derr
	})
	return info, err
}

// downloadCSVDir fetches every file of a CSV export into dir, one request
// each, the main level first: its answer names the others. No existing
// file is overwritten; each file is written under a temporary name, and
// all are named only once every one has come whole (the main level last),
// so a failure or a killed download leaves no file under a final name.
func downloadCSVDir(ctx context.Context, c *laptop.Client, dir, formID string, xo laptop.ExportOptions) (*laptop.ExportInfo, error) {
	var created []*store.NewFile
	defer func() {
		for _, f := range created {
			f.Abort() // nothing after Commit
		}
	}()
	create := func(info *laptop.ExportInfo) (io.Writer, error) {
		// The catalogue names the files: each must stay inside dir. The
		// first answer names every file: refuse before writing any.
		for _, name := range append([]string{info.File}, info.Files...) {
			p, err := store.SafeJoin(dir, name)
			if err != nil {
				return nil, err
			}
			if _, err := os.Lstat(p); err == nil && len(created) == 0 {
				return nil, &existsError{path: p, dir: true}
			}
		}
		if err := os.MkdirAll(dir, store.PrivateDir); err != nil {
			return nil, err
		}
		p, _ := store.SafeJoin(dir, info.File)
		f, err := store.CreateNew(p)
		if err != nil {
			return nil, err
		}
		created = append(created, f)
		return f, nil
	}
	main, err := c.DownloadExportWith(ctx, formID, "csv", "", xo, create)
	for _, name := range filesAfter(main, err) {
		if _, err = c.DownloadExportWith(ctx, formID, "csv", name, xo, create); err != nil {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	if err := store.CommitAll(created); err != nil {
		return nil, err
	}
	return main, nil
}

// filesAfter is what is left to fetch once the main file came (or not).
func filesAfter(main *laptop.ExportInfo, err error) []string {
	if err != nil || main == nil {
		return nil
	}
	var rest []string
	for _, name := range main.Files {
		if name != main.File {
			rest = append(rest, name)
		}
	}
	return rest
}

// downloadReason says why a download failed, the catalogue's reason
// included.
func (a *App) downloadReason(err error) string {
	var se *laptop.StatusError
	var ee *existsError
	switch {
	case errors.As(err, &ee):
		return a.existsText(ee)
	case errors.As(err, &se) && (se.Status == http.StatusForbidden || se.Status == http.StatusNotFound):
		return a.statusReason(se)
	case errors.Is(err, laptop.ErrTokenRefused):
		return a.t("download.token_refused")
	case errors.Is(err, laptop.ErrCutShort):
		return a.t("download.cut_short")
	}
	return a.syncReason(err)
}
