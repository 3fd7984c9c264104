// Package seal keeps personal answers unreadable at rest and on the wire
// while everything that needs only their masked form keeps working.
//
// A record is split (Split) into its masked data, what a masked export
// shows, which is stored, hashed, listed and checked as records always
// were, and its sealed part, the clear value of every node masking
// changed, which is encrypted (DataKey.Seal) and put back (Merge) only
// where the clear record is needed. The laptop's data key is wrapped by
// the collector's passphrase or a key file (wrap.go); each batch's data
// key travels wrapped to the catalogue's age key (catalogue.go).
//
// Both sides use it: it imports the form model, the export's masking
// walk and the crypto libraries, never a database, the sync code or the
// terminal interface (deps_test.go holds it to that). Its errors are
// typed and in English; the command line and the workbench say them in
// the person's language.
package seal

import (
	"bytes"
	"errors"
	"strconv"
	"sync"
	"unsafe"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/canonjson"
	"github.com/fieldbench/fieldbench/store/export"
)

// A Splitter splits the records of one form version. Make one per form
// version and keep it (an import splits every record); it is safe for
// concurrent use.
type Splitter struct{ masker *export.Masker }

// NewSplitter lays out f for splitting its records.
func NewSplitter(f *forms.Form) *Splitter {
	m := export.NewMasker(f)
	// The entity changes stay in the masked data, masked as
	// forms.EntityMaskings says: the catalogue applies them from the
	// stored data, and serves their masked properties without the key.
	m.KeepEntities = true
	return &Splitter{masker: m}
}

// Split is NewSplitter(f).Split(data), for one record.
func Split(f *forms.Form, data []byte) (masked, sealed []byte, err error) {
	return NewSplitter(f).Split(data)
}

// Split splits a record of the form into its masked data, the record
// with every answer masked as a masked export masks it (members in the
// record's order, the entity changes kept), and its sealed part: a JSON
// object mapping the JSON pointer (RFC 6901) of each node masking changed
// to its clear value (canonical), in document order, nil when masking
// changed nothing.
// Merge(masked, sealed) gives back data, byte for byte when data is
// canonical JSON, as stored records are.
func (s *Splitter) Split(data []byte) (masked, sealed []byte, err error) {
	changes := changesPool.Get().(*export.Changes)
	defer changesPool.Put(changes)
	changes.Reset()
	masked, err = s.masker.Mask(make([]byte, 0, len(data)), data, changes)
	if err != nil {
		return nil, nil, &DamagedError{What: "record", Err: err}
	}
	var sw sealedWriter
	if n := changes.Len(); n > 0 {
		sw.buf = make([]byte, 0, 2+changes.Size()+8*n)
	}
	for i := range changes.Len() {
		sw.add(changes.Pointer(i), changes.Clear(i))
	}
	return masked, sw.finish(), nil
}

// SplitInstance splits a record of the form held as an Instance (an
// import's, the workbench's) as Split splits the bytes MarshalJSON
// writes of it (the tests hold the two to the same bytes), without
// writing the clear record and reading it back: an import splits every
// record.
func (s *Splitter) SplitInstance(in *forms.Instance) (masked, sealed []byte, err error) {
	var sw sealedWriter
	masked, ok := in.MarshalMasked(sw.add)
	if !ok {
		data, err := in.MarshalJSON()
		if err != nil {
			return nil, nil, err
		}
		return s.Split(data)
	}
	return masked, sw.finish(), nil
}

// sealedWriter writes a sealed part: a JSON object of the changed nodes'
// clear values by pointer, in document order (deterministic: equal
// records give equal bytes).
type sealedWriter struct{ buf []byte }

func (sw *sealedWriter) add(pointer, clear []byte) {
	if len(sw.buf) == 0 {
		sw.buf = append(sw.buf, '{')
	} else {
		sw.buf = append(sw.buf, ',')
	}
	sw.buf = canonjson.AppendString(sw.buf, unsafeString(pointer))
	sw.buf = append(sw.buf, ':')
	sw.buf = append(sw.buf, clear...)
}

// finish is the sealed part; nil when nothing was added.
func (sw *sealedWriter) finish() []byte {
	if sw.buf == nil {
		return nil
	}
	return append(sw.buf, '}')
}

// changesPool keeps the buffers Split gathers changes in.
var changesPool = sync.Pool{New: func() any { return &export.Changes{} }}

// Merge puts the sealed part's clear values back into the masked data:
// the clear record. A sealed part that does not read, or names a place
// the masked data does not have, is an error (ErrDamaged), never a
// record with some answers left masked.
func Merge(masked, sealed []byte) ([]byte, error) {
	if len(sealed) == 0 {
		return masked, nil
	}
	places, err := readSealed(sealed)
	if err != nil {
		return nil, err
	}
	if whole, ok := places[""]; ok {
		// The whole record was sealed (a member name of the record held
		// a number): the masked data only has to be a record.
		if len(places) > 1 || !bytes.HasPrefix(whole, []byte("{")) {
			return nil, &DamagedError{What: "sealed part", Err: errWholeAndParts}
		}
		if err := canonjson.NewReader(masked).Skip(); err != nil {
			return nil, &DamagedError{What: "masked data", Err: err}
		}
		return whole, nil
	}
	m := merger{r: canonjson.NewReader(masked), places: places, out: make([]byte, 0, len(masked)+len(sealed))}
	if m.r.Peek() != '{' {
		return nil, &DamagedError{What: "masked data", Err: canonjson.ErrSyntax}
	}
	if err := m.value(); err != nil {
		return nil, &DamagedError{What: "masked data", Err: err}
	}
	if err := m.r.End(); err != nil {
		return nil, &DamagedError{What: "masked data", Err: err}
	}
	if m.used != len(places) {
		return nil, &DamagedError{What: "sealed part", Err: errNoPlace}
	}
	return m.out, nil
}

var (
	errWholeAndParts = errors.New("it seals the whole record and parts of it")
	errNoPlace       = errors.New("it names a place the masked data does not have")
	errTwice         = errors.New("it names a place twice")
)

// readSealed reads a sealed part: each place's clear value, canonical.
func readSealed(sealed []byte) (map[string][]byte, error) {
	bad := func(err error) error { return &DamagedError{What: "sealed part", Err: err} }
	r := canonjson.NewReader(sealed)
	if err := r.Enter('{'); err != nil {
		return nil, bad(err)
	}
	// Every clear value in one buffer, sized for the usual case. A
	// place's slice stays valid when the buffer grows: append copies to
	// a new array and never writes the old one again.
	places := make(map[string][]byte, len(sealed)/32)
	values := make([]byte, 0, len(sealed))
	for first := true; ; first = false {
		more, err := r.More('}', first)
		if err != nil {
			return nil, bad(err)
		}
		if !more {
			break
		}
		ptr, _, err := r.Key()
		if err != nil {
			return nil, bad(err)
		}
		if _, dup := places[string(ptr)]; dup {
			return nil, bad(errTwice)
		}
		start := len(values)
		if values, err = r.AppendValue(values); err != nil {
			return nil, bad(err)
		}
		places[string(ptr)] = values[start:len(values):len(values)]
	}
	if err := r.End(); err != nil {
		return nil, bad(err)
	}
	return places, nil
}

// merger copies the masked data, putting each sealed value in its place.
type merger struct {
	r      *canonjson.Reader
	places map[string][]byte
	out    []byte
	ptr    []byte
	used   int
}

// value copies the value at the pointer, or puts the sealed one there.
func (m *merger) value() error {
	if len(m.ptr) > 0 {
		if clear, ok := m.places[string(m.ptr)]; ok {
			if err := m.r.Skip(); err != nil {
				return err
			}
			m.out = append(m.out, clear...)
			m.used++
			return nil
		}
	}
	c := m.r.Peek()
	if c != '{' && c != '[' {
		var err error
		m.out, err = m.r.AppendValue(m.out)
		return err
	}
	if err := m.r.Enter(c); err != nil {
		return err
	}
	close := c + 2 // '{'+2 is '}', '['+2 is ']'
	m.out = append(m.out, c)
	var index []byte
	for i := 0; ; i++ {
		more, err := m.r.More(close, i == 0)
		if err != nil {
			return err
		}
		if !more {
			m.out = append(m.out, close)
			return nil
		}
		if i > 0 {
			m.out = append(m.out, ',')
		}
		back := len(m.ptr)
		if c == '{' {
			name, canon, err := m.r.Key()
			if err != nil {
				return err
			}
			m.out = append(append(m.out, canon...), ':')
			m.ptr = canonjson.AppendPointerToken(m.ptr, name)
		} else {
			index = strconv.AppendInt(index[:0], int64(i), 10)
			m.ptr = canonjson.AppendPointerToken(m.ptr, index)
		}
		err = m.value()
		m.ptr = m.ptr[:back]
		if err != nil {
			return err
		}
	}
}

// unsafeString is b as a string without a copy, for a call that does not
// keep it.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
