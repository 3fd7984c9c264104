package laptop

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// villages is the shared test form reading an attached file
// (testdata/forms/villages.md) and the file.
func villages(t *testing.T) (form, csv []byte) {
	t.Helper()
	form, err1 := os.ReadFile("../../testdata/forms/villages.md")
	csv, err2 := os.ReadFile("../../testdata/forms/villages.csv")
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	return form, csv
}

// publishVillages publishes the form with its file to townships.
func publishVillages(t *testing.T, w *world, townships ...string) []byte {
	t.Helper()
	form, csv := villages(t)
	if _, err := w.cat.PublishAttached(context.Background(), "villages.md", form,
		[]forms.File{{Name: "villages.csv", Data: csv}}, townships); err != nil {
		t.Fatal(err)
	}
	return csv
}

// TestAttachmentReachesLaptop: a form published with its data file at the
// catalogue arrives on the laptop with the file, checked, and a record
// using the file is checked on the laptop offline.
func TestAttachmentReachesLaptop(t *testing.T) {
	backends(t, func(t *testing.T, be backend) {
		ctx := context.Background()
		w := newWorld(t, be)
		villagesCSV := publishVillages(t, w, township)
		sum, err := Run(ctx, w.laptop, w.client, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.FormsUpdated) != 1 || len(sum.FormsUpdated[0].Attachments) != 1 {
			t.Fatalf("forms updated: %+v", sum.FormsUpdated)
		}
		atts, err := w.laptop.FormAttachments(ctx, "villages", "1")
		if err != nil || len(atts) != 1 || atts[0].Name != "villages.csv" || atts[0].Size != int64(len(villagesCSV)) {
			t.Fatalf("laptop's attachments: %+v %v", atts, err)
		}
		w.server.Close() // offline from here
		f, err := w.laptop.Form(ctx, "villages", "1")
		if err != nil {
			t.Fatal(err)
		}
		if _, res := f.ValidateRecord(map[string]any{"village": "v2", "households": "12"}, forms.Options{}); !res.OK() {
			t.Fatalf("a good record refused offline: %+v", res.Errors)
		}
		_, res := f.ValidateRecord(map[string]any{"village": "v2", "households": "13"}, forms.Options{})
		if len(res.Errors) != 1 || res.Errors[0].Rule != "constraint" {
			t.Fatalf("more households than the file's population: %+v", res.Errors)
		}
		if _, _, err := w.laptop.InsertFinalized(ctx, "villages", "1", "k1", []byte(`{"village":"v1","households":"40"}`)); err != nil {
			t.Fatal(err)
		}
	})
}

// TestAttachmentDownloadBroken: a file cut off or changed on the way is
// not kept, nor is the form it belongs to; the next sync gets both.
func TestAttachmentDownloadBroken(t *testing.T) {
	ctx := context.Background()
	var mode atomic.Value // "cut", "change" or ""
	mode.Store("cut")
	w := newWorldWith(t, "sqlite", nil, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if !strings.Contains(r.URL.Path, "/attachments/") || mode.Load() == "" {
				h.ServeHTTP(rw, r)
				return
			}
			r.Header.Del("Accept-Encoding")
			rec := &captured{header: http.Header{}}
			h.ServeHTTP(rec, r)
			for k, v := range rec.header {
				rw.Header()[k] = v
			}
			body := rec.body
			if mode.Load() == "cut" {
				rw.WriteHeader(rec.status)
				rw.Write(body[:len(body)/2])
				panic(http.ErrAbortHandler) // the connection drops mid-file
			}
			body = append([]byte(nil), body...)
			body[len(body)-2] ^= 1
			rw.WriteHeader(rec.status)
			rw.Write(body)
		})
	})
	w.client.MaxAttempts = 2
	publishVillages(t, w, township)
	for _, m := range []string{"cut", "change"} {
		mode.Store(m)
		_, err := Run(ctx, w.laptop, w.client, nil)
		if err == nil {
			t.Fatalf("%s: the sync succeeded", m)
		}
		if m == "change" && !errors.Is(err, ErrNotCatalogue) {
			t.Errorf("changed file: %v", err)
		}
		if list, _ := w.laptop.FormVersions(ctx); len(list) != 1 {
			t.Fatalf("%s: the laptop kept %d forms (the sample only expected): %+v", m, len(list), list)
		}
	}
	mode.Store("")
	if sum, err := Run(ctx, w.laptop, w.client, nil); err != nil || len(sum.FormsUpdated) != 1 {
		t.Fatalf("the sync after: %+v %v", sum, err)
	}
	if _, err := w.laptop.Form(ctx, "villages", "1"); err != nil {
		t.Fatal(err)
	}
}

// captured is a ResponseWriter that keeps the answer, to alter it.
type captured struct {
	header http.Header
	status int
	body   []byte
}

func (c *captured) Header() http.Header { return c.header }
func (c *captured) WriteHeader(s int)   { c.status = s }
func (c *captured) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.body = append(c.body, p...)
	return len(p), nil
}

// TestAttachmentOnlyForTownship: a laptop gets the files of the forms of
// its own township only; another's form's file is unknown to it.
func TestAttachmentOnlyForTownship(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "sqlite")
	villagesCSV := publishVillages(t, w, "120101")
	info := wire.AttachmentInfo{Name: "villages.csv", Size: int64(len(villagesCSV)), SHA256: hexSHA(villagesCSV)}
	_, err := w.client.Attachment(ctx, "villages", "1", info)
	var se *StatusError
	if !errors.As(err, &se) || se.Status != http.StatusNotFound {
		t.Fatalf("another township's file: %v", err)
	}
	anon := *w.client
	anon.Token = ""
	if _, err := anon.Attachment(ctx, "villages", "1", info); !errors.Is(err, ErrRevoked) {
		t.Fatalf("without a token: %v", err)
	}
	if sum, err := Run(ctx, w.laptop, w.client, nil); err != nil || len(sum.FormsUpdated) != 0 {
		t.Fatalf("sync: %+v %v", sum, err)
	}
}

func hexSHA(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
