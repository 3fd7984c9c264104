package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
)

// reportLine is one line of `validate --report json`.
type reportLine struct {
	Line     int             `json:"line"`
	Status   string          `json:"status"`
	Errors   []forms.Problem `json:"errors"`
	Warnings []forms.Problem `json:"warnings"`
}

func (a *App) validateCommand() *Command {
	c := a.leaf("validate")
	c.Summary, c.Usage, c.Help, c.Args = "cmd.validate", "validate.usage", []string{"validate.help"}, exactly(1)
	formPath := c.Flags.String("form", "", a.t("flag.form_file"))
	attach := a.attachFlag(c.Flags)
	report, lang := a.addReportFlags(c.Flags)
	encoding := a.addEncodingFlag(c.Flags)
	c.Run = func(_ context.Context, args []string) error {
		if *formPath == "" || !validReport(*report) {
			return errUsage
		}
		uiLang := a.language(*lang)
		textEnc, err := a.encodingNamed(*encoding, uiLang)
		if err != nil {
			return err
		}
		f, ok := a.loadFormAttached(*formPath, *attach)
		if !ok {
			return errReported
		}
		var in io.Reader = a.Stdin
		name := args[0]
		if name != "-" {
			file, err := os.Open(name)
			if err != nil {
				a.printLoadError(a.Stderr, name, err)
				return errReported
			}
			defer file.Close()
			in = file
		}
		return a.validate(f, forms.TextReader(in, textEnc), name, textEnc, uiLang, *report)
	}
	return c
}

// validate reports on every record read from in, named name, by the form
// f, in the report format asked for.
func (a *App) validate(f *forms.Form, in io.Reader, name, textEnc, uiLang, report string) error {
	out := bufio.NewWriter(a.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)

	var total, rejected int
	err := forms.EachLine(in, func(n int, line []byte) error {
		if err := forms.CheckLine(name, n, line, textEnc, uiLang); err != nil {
			return err
		}
		obj, err := forms.DecodeRecord(line)
		if err != nil {
			return forms.RecordLineError(name, n, err, uiLang)
		}
		opts := forms.Options{Language: uiLang}
		if f.UsesInstanceID() {
			// Checked with an id, as import stores it under one: what
			// reads ${instanceID} never sees a record without one.
			id, err := store.NewRecordID()
			if err != nil {
				return err
			}
			opts.InstanceID = forms.InstanceIDOf(id)
		}
		inst, res := f.ValidateRecord(obj, opts)
		if res.OK() {
			data, _ := inst.MarshalJSON()
			res.CheckSize(len(data)) // as finalize and import refuse it
		}
		total++
		if !res.OK() {
			rejected++
		}
		if report == "json" {
			return enc.Encode(toReportLine(n, res))
		}
		a.writeTextReport(out, n, res)
		return nil
	})
	if err != nil {
		// The report so far, then where reading stopped, located.
		out.Flush()
		a.say(a.Stderr, "plain", err)
		return errReported
	}
	if report == "text" {
		a.say(out, "validate.summary", a.nf("n_records", total, total), total-rejected, rejected)
	}
	if rejected > 0 {
		return errRejected
	}
	return nil
}

// addReportFlags declares the flags of every command that reports on
// records as validate does.
func (a *App) addReportFlags(fs *flag.FlagSet) (report, lang *string) {
	report = fs.String("report", "text", a.t("flag.report"))
	lang = fs.String("lang", "", a.t("flag.lang"))
	return report, lang
}

func validReport(r string) bool { return r == "text" || r == "json" }

// addEncodingFlag declares --encoding for the commands that read record
// files.
func (a *App) addEncodingFlag(fs *flag.FlagSet) *string {
	return fs.String("encoding", "utf-8", a.t("flag.encoding"))
}

// encodingNamed checks --encoding; its error says what the flag takes.
func (a *App) encodingNamed(name, lang string) (string, error) {
	enc, ok := forms.InputEncoding(name)
	if !ok {
		return "", a.failed("plain", forms.BadEncodingMessage(name, lang))
	}
	return enc, nil
}

// checkText reads a whole record file as forms.TextReader gives it and
// refuses it at its first line that is not text in enc. It checks a
// megabyte of whole lines at a time and looks at single lines only in a
// bad one: line by line took a third of a second per 100,000 records.
func checkText(r io.Reader, name, enc, lang string) error {
	tr := forms.TextReader(r, enc)
	buf := make([]byte, 1<<20)
	n, kept := 1, 0 // the number of the first line in buf; bytes carried over
	for {
		got, err := io.ReadFull(tr, buf[kept:])
		data := buf[:kept+got]
		end := len(data)
		more := err == nil
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			return err
		}
		if more {
			end = bytes.LastIndexByte(data, '\n') + 1
			if end == 0 { // a line longer than buf: read more of it
				buf = append(buf, make([]byte, len(buf))...)
				kept = len(data)
				continue
			}
		}
		if chunk := data[:end]; forms.CheckLine(name, n, chunk, enc, lang) != nil {
			for i, line := range bytes.SplitAfter(chunk, []byte("\n")) {
				if err := forms.CheckLine(name, n+i, line, enc, lang); err != nil {
					return err
				}
			}
		}
		if !more {
			return nil
		}
		n += bytes.Count(data[:end], []byte("\n"))
		kept = copy(buf, data[end:])
	}
}

func toReportLine(n int, res *forms.Result) reportLine {
	r := reportLine{Line: n, Status: "accepted", Errors: res.Errors, Warnings: res.Warnings}
	if !res.OK() {
		r.Status = "rejected"
	}
	if r.Errors == nil {
		r.Errors = []forms.Problem{}
	}
	if r.Warnings == nil {
		r.Warnings = []forms.Problem{}
	}
	return r
}

func (a *App) writeTextReport(w io.Writer, n int, res *forms.Result) {
	status := "report.accepted"
	if !res.OK() {
		status = "report.rejected"
	}
	a.say(w, status, n)
	for _, p := range res.Errors {
		a.say(w, "report.error", p.Path, p.Rule, p.Message)
	}
	for _, p := range res.Warnings {
		a.say(w, "report.warning", p.Path, p.Message)
	}
}
