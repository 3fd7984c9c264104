// Package laptop is the laptop's side of the sync protocol (sync/wire):
// Client speaks to a catalogue for any token holder (a device, a reviewer,
// a reader), with retries, gzip and Retry-After; Run drains the laptop's
// outbox (store) batch by batch so that every finalized record arrives
// exactly once whatever happens to the link, applies the receipts and
// returns, and pulls new form versions; Enrol makes this laptop a device
// of a township.
//
// It never imports the catalogue's side (sync/api, store/catalogue); its
// tests do, to run the whole round trip against a real server on SQLite
// and on PostgreSQL.
package laptop

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// Settings keys of the laptop's database that hold the catalogue's
// address and this laptop's token.
const (
	SettingURL   = "sync.url"
	SettingToken = "sync.token"
)

// Summary is what one sync did.
type Summary struct {
	Sent         int // accepted by the catalogue
	Duplicates   int // the catalogue had them already: success
	Conflicts    []Attention
	Rejected     []Attention // refused by the catalogue, or kept here as too large for any batch it takes
	Returned     []Attention // sent back by a reviewer in this run; Reason is the comment, By the reviewer
	FormsUpdated []wire.FormInfo
	Batches      int
	Entities     int // entity versions downloaded
	// SealedExpired is how many sent versions lost their sealed part, held
	// by the catalogue longer than its retention period.
	SealedExpired int
}

// Attention is a record a person has to look at.
type Attention struct {
	RecordID, VersionID, Reason string
	By                          string // who sent it back (returns only)
}

// NeedsAttention reports whether conflicts, rejections or returns came
// back.
func (s *Summary) NeedsAttention() bool {
	return len(s.Conflicts)+len(s.Rejected)+len(s.Returned) > 0
}

// Enrol registers this laptop with a catalogue and keeps the token.
func Enrol(ctx context.Context, db *store.DB, c *Client, code string) (*wire.EnrolResponse, error) {
	resp, err := c.Enrol(ctx, code, db.DeviceID())
	if err != nil {
		return nil, err
	}
	if err := db.SetSetting(ctx, SettingURL, c.BaseURL); err != nil {
		return nil, err
	}
	if err := db.SetSetting(ctx, SettingToken, resp.Token); err != nil {
		return nil, err
	}
	return resp, pinKey(ctx, db, resp.CatalogueKey)
}

// pinKey pins the key a catalogue announced, at enrolment or at the start
// of a sync (a rotation, or the first key a laptop enrolled before keys
// learns); the store audits every change. A catalogue without a key
// announces none, and the pinned key, if any, stays.
func pinKey(ctx context.Context, db *store.DB, k *wire.CatalogueKey) error {
	if k == nil {
		return nil
	}
	_, err := db.PinCatalogueKey(ctx, store.CatalogueKey{ID: k.ID, Recipient: k.Recipient})
	return err
}

// dropExpired deletes the sealed parts the catalogue has held longer than
// the retention period it announced.
func dropExpired(ctx context.Context, db *store.DB, info *wire.Info) (int, error) {
	days := info.RetentionDays
	if days <= 0 {
		days = wire.DefaultRetentionDays
	}
	return db.DropExpiredSealed(ctx, days)
}

// Progress is told how many records have been answered of how many.
type Progress func(done, total int)

// Run pushes every finalized record, marks the records reviewers sent
// back as returned, downloads what changed in the entity lists, and pulls
// new form versions. Batches
// left in the outbox by an interrupted run go first, byte for byte; new
// batches are written to the outbox before they are sent. A failure
// leaves everything unsent in the outbox for the next run.
func Run(ctx context.Context, db *store.DB, c *Client, progress Progress) (*Summary, error) {
	sum := &Summary{}
	info, err := c.Info(ctx)
	if err != nil {
		return sum, err
	}
	if info.Device == nil {
		return sum, fmt.Errorf("%w: the catalogue did not recognise this laptop", ErrRevoked)
	}
	if err := pinKey(ctx, db, info.CatalogueKey); err != nil {
		return sum, err
	}
	if sum.SealedExpired, err = dropExpired(ctx, db, info); err != nil {
		return sum, err
	}
	pinned, err := db.PinnedCatalogueKey(ctx)
	if err != nil {
		return sum, err
	}
	max := info.MaxRecords
	if max <= 0 || max > 2000 {
		max = 2000
	}
	budget := batchBudget(info.MaxBodyBytes)
	pending, err := db.PendingBatches(ctx)
	if err != nil {
		return sum, err
	}
	total, done := 0, 0
	for _, b := range pending {
		total += b.N
	}
	counts, err := db.Counts(ctx)
	if err != nil {
		return sum, err
	}
	for _, byState := range counts {
		total += byState[store.Finalized]
	}
	report := func(n int) {
		done += n
		if progress != nil {
			progress(done, total)
		}
	}
	report(0)
	send := func(b store.OutboxBatch) error {
		receipt, err := c.SendBatch(ctx, b.ID, b.Body)
		if err != nil {
			return err
		}
		if err := apply(ctx, db, b, receipt, sum); err != nil {
			return err
		}
		sum.Batches++
		report(b.N)
		return nil
	}
	for _, b := range pending {
		err := send(b)
		if tooBig(err) {
			// Queued by an earlier version, which cut batches by count
			// only: it would be refused on every sync. Its records go
			// again in batches cut to size (and any too large for any
			// batch is set aside below). The total stays: they are still
			// to be answered.
			err = db.Unqueue(ctx, b.ID)
		}
		if err != nil {
			return sum, err
		}
	}
	// New batches go out while earlier ones are still on the wire: up to
	// inFlight batches are with the server at once (it checks one while it
	// stores another), and meanwhile the laptop writes the next batch to
	// the outbox and applies the oldest receipt, so the laptop's disk work,
	// the network and the server's work overlap instead of taking turns.
	// Receipts are applied in the order the batches were queued. Until a
	// batch of this run has been answered the link is unproven and one
	// batch goes alone: on a link that fails, a second batch would only
	// spread the failed tries over two, and the run would stop later.
	type flight struct {
		b       store.OutboxBatch
		receipt *wire.Receipt
		err     error
		done    chan struct{}
	}
	flightCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	launch := func(b store.OutboxBatch) *flight {
		f := &flight{b: b, done: make(chan struct{})}
		go func() {
			defer close(f.done)
			f.receipt, f.err = c.SendBatch(flightCtx, b.ID, b.Body)
		}()
		return f
	}
	var flights []*flight
	var qerr error
	more, window := true, 1
	for {
		if more && len(flights) < window {
			// The head versions of finalized records: a record with an
			// edit in progress goes as it was last finalized, never
			// half edited (see store.SaveEdit).
			next, err := db.QueuePlanned(ctx, max, func(vs []store.QueuedVersion) (store.BatchPlan, error) {
				sealer, err := newBatchSealer(pinned)
				if err != nil {
					return store.BatchPlan{}, err
				}
				return planBatch(db.DeviceID(), vs, budget, sealer)
			})
			switch {
			case err != nil:
				qerr, more = err, false
			case next == nil:
				more = false
			default:
				for _, a := range next.SetAside {
					sum.Rejected = append(sum.Rejected, Attention{RecordID: a.RecordID, VersionID: a.VersionID, Reason: a.Note})
				}
				if len(next.SetAside) > 0 {
					report(len(next.SetAside))
				}
				if next.Batch != nil {
					flights = append(flights, launch(*next.Batch))
				}
				continue
			}
		}
		if len(flights) == 0 {
			break
		}
		f := flights[0]
		flights = flights[1:]
		<-f.done
		err := f.err
		if err == nil {
			if err = apply(ctx, db, f.b, f.receipt, sum); err == nil {
				sum.Batches++
				report(f.b.N)
				window = inFlight
			}
		}
		if tooBig(err) {
			// Cut to the limit the catalogue gave, and refused all the
			// same: its limit changed during the run. Sent again next
			// time, cut to the limit it gives then.
			if uerr := db.Unqueue(ctx, f.b.ID); uerr != nil {
				err = uerr
			}
		}
		if err != nil {
			// The batches still out stay in the outbox whatever becomes
			// of them, and are resent next time.
			cancel()
			for _, g := range flights {
				<-g.done
			}
			return sum, err
		}
	}
	if qerr != nil {
		return sum, qerr
	}
	if err := fetchReturns(ctx, db, c, sum); err != nil {
		return sum, err
	}
	// Before the forms: a new follow-up form is checked against the
	// lists it reads as they stand after this download.
	if err := pullEntities(ctx, db, c, sum); err != nil {
		return sum, err
	}
	if err := pullForms(ctx, db, c, sum); err != nil {
		return sum, err
	}
	return sum, db.MarkSynced(ctx)
}

// fetchReturns asks for the records reviewers sent back, after the push:
// a correction just sent has made its return obsolete by then.
func fetchReturns(ctx context.Context, db *store.DB, c *Client, sum *Summary) error {
	list, err := c.Returns(ctx)
	if err != nil || len(list) == 0 {
		return err
	}
	rs := make([]store.Return, len(list))
	for i, r := range list {
		// The wire's text becomes a time here, at the edge; a catalogue that
		// sends no time (or no valid one) leaves it not set.
		reviewed, _ := when.Parse(r.ReviewedAt)
		rs[i] = store.Return{ReviewID: r.ReviewID, RecordID: r.RecordID, VersionID: r.VersionID,
			Comment: r.Comment, Reviewer: r.Reviewer, ReviewedAt: reviewed}
	}
	applied, err := db.ApplyReturns(ctx, rs)
	for _, r := range applied {
		sum.Returned = append(sum.Returned, Attention{RecordID: r.RecordID, VersionID: r.VersionID, Reason: r.Comment, By: r.Reviewer})
	}
	return err
}

// inFlight is how many new batches Run has with the server at once.
const inFlight = 2

// tooBig reports whether the catalogue refused a batch whole for its size
// or its number of records (413), having stored none of it.
func tooBig(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Status == http.StatusRequestEntityTooLarge
}

// apply stores a receipt and the records' outcomes in one transaction.
func apply(ctx context.Context, db *store.DB, b store.OutboxBatch, r *wire.Receipt, sum *Summary) error {
	// Which record a version is of matters only for the records a person
	// has to look at; decoding the whole batch again for every receipt
	// cost more than the rest of applying it.
	var records map[string]string
	recordOf := func(version string) (string, error) {
		if records == nil {
			var batch struct {
				Records []struct {
					RecordID  string `json:"record_id"`
					VersionID string `json:"version_id"`
				} `json:"records"`
			}
			body := b.Body
			if isGzip(body) {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					return "", err
				}
				if body, err = io.ReadAll(zr); err != nil {
					return "", err
				}
			}
			if err := json.Unmarshal(body, &batch); err != nil {
				return "", err
			}
			records = make(map[string]string, len(batch.Records))
			for _, rec := range batch.Records {
				records[rec.VersionID] = rec.RecordID
			}
		}
		return records[version], nil
	}
	outcomes := make([]store.Outcome, 0, len(r.Results))
	for _, res := range r.Results {
		o := store.Outcome{VersionID: res.VersionID, Note: res.Reason}
		attention := func() (Attention, error) {
			id, err := recordOf(res.VersionID)
			return Attention{RecordID: id, VersionID: res.VersionID, Reason: res.Reason}, err
		}
		switch res.Status {
		case wire.StatusAccepted:
			o.State, o.OnServer = store.Sent, true
			sum.Sent++
		case wire.StatusDuplicate:
			o.State, o.OnServer = store.Sent, true
			sum.Duplicates++
		case wire.StatusConflict:
			o.State = store.Conflict
			att, err := attention()
			if err != nil {
				return err
			}
			sum.Conflicts = append(sum.Conflicts, att)
		case wire.StatusRejected:
			o.State = store.Rejected
			att, err := attention()
			if err != nil {
				return err
			}
			sum.Rejected = append(sum.Rejected, att)
		default:
			return fmt.Errorf("%w: unknown status %q in the receipt", ErrNotCatalogue, res.Status)
		}
		outcomes = append(outcomes, o)
	}
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return db.ApplyReceipt(ctx, b.ID, raw, outcomes)
}

// pullForms registers the published form versions this laptop lacks,
// each with its data files: all of a version's files are downloaded and
// checked before AddForm stores the version and them in one transaction,
// so a download cut off leaves nothing of the version behind, and the
// next sync fetches it whole.
func pullForms(ctx context.Context, db *store.DB, c *Client, sum *Summary) error {
	list, err := c.Forms(ctx)
	if err != nil {
		return err
	}
	have, err := db.FormVersions(ctx)
	if err != nil {
		return err
	}
	known := map[[2]string]bool{}
	for _, fv := range have {
		known[[2]string{fv.FormID, fv.Version}] = true
	}
	for _, fi := range list {
		if known[[2]string{fi.FormID, fi.Version}] {
			continue
		}
		f, err := c.Form(ctx, fi.FormID, fi.Version)
		if err != nil {
			return err
		}
		got := sha256.Sum256(f.Data)
		if hex.EncodeToString(got[:]) != fi.SHA256 {
			return fmt.Errorf("%w: form %s version %s arrived damaged", ErrNotCatalogue, fi.FormID, fi.Version)
		}
		files := make([]forms.File, 0, len(fi.Attachments))
		for _, a := range fi.Attachments {
			data, err := c.Attachment(ctx, fi.FormID, fi.Version, a)
			if err != nil {
				return err
			}
			files = append(files, forms.File{Name: a.Name, Data: data})
		}
		if _, err := db.AddForm(ctx, fi.FileName, f.Data, files...); err != nil {
			return fmt.Errorf("form %s version %s: %w", fi.FormID, fi.Version, err)
		}
		sum.FormsUpdated = append(sum.FormsUpdated, fi)
	}
	return nil
}
