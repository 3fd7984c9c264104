package catalogue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/canonjson"
	"github.com/fieldbench/fieldbench/forms/quality"
	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// Check validates a clear record (see api.Catalogue): the validated
// instance, what validating found, and nil or the reason to reject it.
type Check = func(*wire.Record) (*forms.Instance, *forms.Result, error)

// ingest is what a batch's records become before its write transaction:
// each opened (a sealed part) or split and sealed (a record that arrived
// clear, from a laptop that does not seal), checked on its clear form,
// with the pseudonyms of its ID numbers and its verdict kept; then the
// clear form is dropped. It runs on every core, outside the write lock.
type ingest struct {
	recs    []wire.Record // the batch's records as stored: Data masked, Sealed the part
	checked []checkResult // the check's answer by position
	// By position, when the catalogue has keys: the data key each sealed
	// part is sealed with, the pseudonyms and the verdict (JSON), and a
	// reason to refuse a record whose sealed part does not open.
	keyIDs, tags, verdicts, refused []string
	keys                            []sealedKeyRow // the data keys to record
	forms                           *batchForms
	// reads are, by position, the entity changes each record's clear
	// data names, read once (on every core when the batch is prepared):
	// the entities are sealed again as the catalogue keeps them
	// (entity_seal.go), from their clear properties.
	reads []entityRead
	// sl seals the entities the batch changes; nil without keys.
	sl *entitySealer
}

// entityRead is what a record's data says of entities
// (readEntityChanges), with done set once it is read.
type entityRead struct {
	done    bool
	changes []forms.EntityChange
	members map[string]string // its members that are strings
	reason  string
}

// entityChanges is record pos's entity changes, read from its data as
// stored the first time they are asked for unless open read them from
// its clear data.
func (in *ingest) entityChanges(pos int) *entityRead {
	if e := &in.reads[pos]; !e.done {
		in.readEntities(pos, in.recs[pos].Data)
	}
	return &in.reads[pos]
}

// readEntities reads record pos's entity changes from data.
func (in *ingest) readEntities(pos int, data []byte) {
	e := &in.reads[pos]
	e.changes, e.members, e.reason = readEntityChanges(data)
	e.done = true
}

type checkResult struct {
	err error
}

// sealedKeyRow is a data key as the catalogue keeps it: wrapped to one of
// its own keys.
type sealedKeyRow struct {
	id, catalogueKey string
	wrapped          []byte
}

// batchKeys are a batch's data keys, unwrapped, and why those that did
// not unwrap did not.
type batchKeys struct {
	keys   map[string]*seal.DataKey
	failed map[string]error
}

// prepare opens, seals and checks a batch's records (see ingest). check
// nil accepts every record; with keys, the record is still validated for
// its verdict and pseudonyms.
//
// The check runs here, on every core and before the write transaction
// (on the clear record once its sealed part is open), for every record
// of the right hash and shape, even those the transaction then finds to
// be duplicates: what a record is checked against never depends on what
// the catalogue holds.
func (db *DB) prepare(ctx context.Context, b *wire.Batch, check Check) (*ingest, error) {
	ring := db.keyRing()
	n := len(b.Records)
	in := &ingest{recs: b.Records, checked: make([]checkResult, n), refused: make([]string, n), forms: db.batchForms(ctx),
		reads: make([]entityRead, n)}
	var bk batchKeys
	var ps []byte
	var fresh *freshKey
	if ring != nil {
		in.recs = slices.Clone(b.Records)
		in.keyIDs, in.tags, in.verdicts = make([]string, n), make([]string, n), make([]string, n)
		bk = unwrapBatchKeys(b.Keys, ring)
		for _, k := range b.Keys {
			if bk.keys[k.ID] != nil {
				in.keys = append(in.keys, sealedKeyRow{k.ID, k.CatalogueKey, k.Wrapped})
			}
		}
		var err error
		if ps, err = db.PseudonymKey(ctx); err != nil {
			return nil, err
		}
		fresh = &freshKey{to: ring.Current()}
		if in.sl, err = db.newEntitySealer(ctx); err != nil {
			return nil, err
		}
	}
	if check == nil && ring == nil {
		// Nothing to open, seal or check: only a sealed part to refuse.
		for i := range in.recs {
			if len(in.recs[i].Sealed) > 0 {
				in.refused[i] = noKeyReason
			}
		}
		return in, nil
	}
	if check == nil {
		check = in.forms.acceptingCheck()
	}
	workers := min(n, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var pseudonyms *forms.Pseudonymizer
			if ps != nil {
				pseudonyms = forms.NewPseudonymizer(ps)
			}
			for i := range next {
				if ring == nil {
					cp := in.recs[i]
					switch {
					case !wellFormed(&cp):
						// refused before it is checked (precheck)
					case len(cp.Sealed) > 0:
						// Kept, it would be its masked data alone.
						in.refused[i] = noKeyReason
					case check != nil:
						_, _, err := check(&cp)
						in.checked[i] = checkResult{err}
						in.entityChanges(i)
					}
					continue
				}
				in.checked[i] = db.open(ctx, in, i, bk, fresh, pseudonyms, check)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if ring != nil && fresh.row != nil {
		in.keys = append(in.keys, *fresh.row)
	}
	return in, db.prepareEntities(ctx, in)
}

// open readies record i of a batch on a catalogue with keys, in place in
// in.recs: its clear form made (the sealed part opened, or the record
// split), checked, its pseudonyms and verdict worked out; the record as
// stored keeps the masked data and the sealed part only.
func (db *DB) open(ctx context.Context, in *ingest, i int, bk batchKeys, fresh *freshKey, ps *forms.Pseudonymizer, check Check) checkResult {
	r := &in.recs[i]
	if !wellFormed(r) {
		return checkResult{} // refused before it is checked (precheck)
	}
	clear := r.Data
	switch {
	case len(r.Sealed) > 0:
		plain, err := seal.Open(r.Sealed, seal.AD(r.RecordID, r.VersionID, r.SHA256), bk.lookup)
		if err == nil {
			clear, err = seal.Merge(r.Data, plain)
		}
		if err != nil {
			in.refused[i] = bk.reason(r.Sealed, err)
			return checkResult{}
		}
		in.keyIDs[i], _ = seal.BlobKeyID(r.Sealed)
	default:
		f, err := in.forms.get(r.FormID, r.FormVersion)
		if err != nil {
			return checkResult{} // not published: refused before it is checked
		}
		masked, plain, err := db.splitter(f).Split(r.Data)
		if err != nil {
			in.refused[i] = fmt.Sprintf("the data cannot be split into its masked form and its personal answers: %v", err)
			return checkResult{}
		}
		if plain != nil {
			dk, err := fresh.key()
			if err != nil {
				return checkResult{fmt.Errorf("%w: sealing the record: %v", wire.ErrCheckUnavailable, err)}
			}
			r.Data, r.SHA256 = masked, hashHex(masked)
			r.Sealed = dk.Seal(plain, seal.AD(r.RecordID, r.VersionID, r.SHA256))
			in.keyIDs[i] = dk.ID()
		}
	}
	in.readEntities(i, clear)
	cp := *r
	cp.Data, cp.Sealed = clear, nil
	inst, res, err := check(&cp)
	if err != nil || inst == nil || len(r.Sealed) == 0 {
		return checkResult{err}
	}
	if res != nil {
		if v, jerr := json.Marshal(quality.VerdictOf(inst, res)); jerr == nil {
			in.verdicts[i] = string(v)
		}
	}
	in.tags[i] = pseudonymsOf(inst, ps)
	return checkResult{err}
}

// noKeyReason refuses a sealed record on a catalogue without a key: kept,
// it would be its masked data alone.
const noKeyReason = "the record has a sealed part, and this catalogue has no key to open it; nothing of the record was stored"

// wellFormed: the record's data is a JSON object with the hash it names;
// precheck refuses any other.
func wellFormed(r *wire.Record) bool {
	return strings.EqualFold(r.SHA256, hashHex(r.Data)) && wire.IsJSONObject(r.Data)
}

// pseudonymsOf is the pseudonym of each ID number a record answers, by
// its JSON pointer, as JSON; "" when it answers none.
func pseudonymsOf(in *forms.Instance, ps *forms.Pseudonymizer) string {
	var tags map[string]string
	in.EachAnswerAt(func(fd *forms.Field, at forms.AnswerAt, value string, _ bool) {
		if value == "" || !forms.HoldsIDNumber(fd) {
			return
		}
		if tags == nil {
			tags = map[string]string{}
		}
		tags[at.Pointer()] = ps.Of(value)
	})
	if tags == nil {
		return ""
	}
	return string(canonjson.AppendStringMap(nil, tags))
}

// batchForms are the form versions a batch's records name, each looked
// up once per batch (a batch names a handful).
type batchForms struct {
	ctx    context.Context
	db     *DB
	mu     sync.Mutex
	loaded map[[2]string]*forms.Form
}

func (db *DB) batchForms(ctx context.Context) *batchForms {
	return &batchForms{ctx: ctx, db: db, loaded: map[[2]string]*forms.Form{}}
}

func (b *batchForms) get(formID, version string) (*forms.Form, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	k := [2]string{formID, version}
	if f := b.loaded[k]; f != nil {
		return f, nil
	}
	f, err := b.db.FormDefinition(b.ctx, formID, version)
	if err == nil {
		b.loaded[k] = f
	}
	return f, err
}

// acceptingCheck accepts every record, validating it only for what the
// catalogue keeps of it (the instance and the verdict): StoreBatch's
// callers without a check of their own.
func (b *batchForms) acceptingCheck() Check {
	return func(r *wire.Record) (*forms.Instance, *forms.Result, error) {
		f, err := b.get(r.FormID, r.FormVersion)
		if err != nil {
			return nil, nil, nil
		}
		obj, err := forms.DecodeRecord(r.Data)
		if err != nil {
			return nil, nil, nil
		}
		in, res := f.ValidateRecord(obj, forms.Options{Language: forms.LangHans, InstanceID: forms.InstanceIDOf(r.RecordID)})
		return in, res, nil
	}
}

// unwrapBatchKeys unwraps each of a batch's data keys once, with the
// catalogue key it names.
func unwrapBatchKeys(keys []wire.SealedKey, ring seal.KeyRing) batchKeys {
	bk := batchKeys{keys: map[string]*seal.DataKey{}, failed: map[string]error{}}
	for _, k := range keys {
		dk, err := seal.UnwrapBatchKey(k.Wrapped, k.CatalogueKey, ring)
		if err == nil && dk.ID() != k.ID {
			err = &seal.DamagedError{What: fmt.Sprintf("data key %s (it holds key %s)", k.ID, dk.ID())}
		}
		if err != nil {
			bk.failed[k.ID] = err
			continue
		}
		bk.keys[k.ID] = dk
	}
	return bk
}

func (bk batchKeys) lookup(id string) *seal.DataKey { return bk.keys[id] }

// reason is why a record's sealed part did not open, for its receipt and
// the log: ids and the kind of failure only.
func (bk batchKeys) reason(blob []byte, err error) string {
	id, _ := seal.BlobKeyID(blob)
	if werr, ok := bk.failed[id]; ok {
		var ke *seal.KeyError
		if errors.As(werr, &ke) && ke.Catalogue {
			return fmt.Sprintf("the sealed part's data key %s is wrapped to catalogue key %s, which this catalogue does not hold; nothing of the record was stored", id, ke.KeyID)
		}
		return fmt.Sprintf("the sealed part's data key %s does not unwrap: %v; nothing of the record was stored", id, werr)
	}
	if errors.Is(err, seal.ErrDamaged) {
		return fmt.Sprintf("the sealed part is damaged: %v; nothing of the record was stored", err)
	}
	if _, ok := bk.keys[id]; !ok {
		return fmt.Sprintf("the sealed part is sealed with data key %s, which the batch does not carry; nothing of the record was stored", id)
	}
	return fmt.Sprintf("the sealed part does not open with data key %s (changed, or moved from another record); nothing of the record was stored", id)
}

// freshKey is the data key the catalogue seals a batch's clear records
// with, made the first time one needs it and wrapped to the current key.
type freshKey struct {
	to   *seal.Identity
	once sync.Once
	dk   *seal.DataKey
	row  *sealedKeyRow
	err  error
}

func (f *freshKey) key() (*seal.DataKey, error) {
	f.once.Do(func() {
		dk := seal.NewDataKey()
		wrapped, err := seal.WrapBatchKey(dk, f.to.Recipient())
		if err != nil {
			f.err = err
			return
		}
		f.dk, f.row = dk, &sealedKeyRow{id: dk.ID(), catalogueKey: f.to.KeyID(), wrapped: wrapped}
	})
	return f.dk, f.err
}

// splitter is the splitter of a published form version, made once.
func (db *DB) splitter(f *forms.Form) *seal.Splitter {
	if s, ok := db.splitters.Load(f); ok {
		return s.(*seal.Splitter)
	}
	s, _ := db.splitters.LoadOrStore(f, seal.NewSplitter(f))
	return s.(*seal.Splitter)
}

const qSealedKeyInsert = `INSERT INTO sealed_keys (id, catalogue_key, wrapped) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`

// writeKeys records the data keys the batch's sealed parts are sealed
// with, as received (or as the catalogue wrapped its own).
func (s *batchTx) writeKeys() error {
	for _, k := range s.ing.keys {
		if _, err := s.tx.ExecContext(s.ctx, qSealedKeyInsert, k.id, k.catalogueKey, k.wrapped); err != nil {
			return err
		}
	}
	return nil
}

// sealedColumns are a kept version's sealing columns' values: its sealed
// part, the data key it is sealed with, its pseudonyms and its verdict,
// NULL where it has none.
func (s *batchTx) sealedColumns(args []any, pos int) []any {
	r := &s.ing.recs[pos]
	if len(r.Sealed) == 0 || s.ing.keyIDs == nil {
		return append(args, nil, nil, nil, nil)
	}
	return append(args, r.Sealed, s.ing.keyIDs[pos], nullText(s.ing.tags[pos]), nullText(s.ing.verdicts[pos]))
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
