package forms

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// DecodeRecord reads one record: a JSON object whose values are strings,
// numbers (kept as json.Number, so "007" and 1e3 reach the checks as
// typed), booleans, null, arrays and objects. It gives exactly what
// encoding/json with UseNumber gives into a map[string]any (the fuzz test
// holds it to that), a few times faster: an import decodes every line, and
// encoding/json's reflection and double scan were a quarter of its time.
//
// Unlike encoding/json it refuses two things that let one record mean
// different things to different readers: an object naming a member twice
// (encoding/json keeps the last, PostgreSQL's jsonb too, other parsers
// the first, so a checked answer could hide behind an unchecked one), and
// text that is not UTF-8 (encoding/json turns it into U+FFFD, which is how
// a GBK file used to be stored as garbage). Every record entering a
// database comes through here: imports, validate, drafts, the catalogue's
// check of each synced record.
func DecodeRecord(data []byte) (map[string]any, error) {
	return decodeRecord(data, false)
}

// DecodeStoredRecord reads record data a database already holds, as
// DecodeRecord, except that a repeated name keeps its last value and bad
// UTF-8 becomes U+FFFD, as DecodeRecord did before it refused them: a
// catalogue may hold such a record from then, and it must still export
// and be measured as it was checked when it arrived.
func DecodeStoredRecord(data []byte) (map[string]any, error) {
	return decodeRecord(data, true)
}

func decodeRecord(data []byte, lenient bool) (map[string]any, error) {
	d := decoders.Get().(*recordDecoder)
	defer d.release()
	d.data, d.text, d.lenient = data, string(data), lenient
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == 'n' {
		if err := d.literal("null"); err != nil {
			return nil, err
		}
		d.space()
		if d.pos < len(d.data) {
			return nil, d.errorf(ldRecordTwoValues)
		}
		return nil, recordError(ldRecordNull)
	}
	if d.pos >= len(d.data) || d.data[d.pos] != '{' {
		if d.pos >= len(d.data) {
			return nil, recordError(ldRecordEnd)
		}
		return nil, d.errorf(ldRecordNotObject, d.found())
	}
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	d.space()
	if d.pos < len(d.data) {
		return nil, d.errorf(ldRecordTwoValues)
	}
	return v.(map[string]any), nil
}

// maxRecordDepth bounds nesting, as encoding/json does, so a hostile line
// of ten thousand '[' cannot exhaust the stack.
const maxRecordDepth = 10000

type recordDecoder struct {
	data []byte
	// text is data as one string: every string and number of the record
	// is a slice of it, one allocation where there was one per value.
	text string
	pos  int
	// lenient takes repeated names and bad UTF-8 (DecodeStoredRecord).
	lenient bool
	// members and items stack the entries of the objects and lists being
	// read, so that each map and slice is made once at its final size.
	members []member
	items   []any
}

type member struct {
	key   string
	value any
	at    int // offset of the name, for the error about a repeated one
}

// decoders keeps the entry stacks between records: an import or a sync
// decodes one record after another, on several goroutines.
var decoders = sync.Pool{New: func() any { return new(recordDecoder) }}

// release returns d to the pool holding nothing of the record.
func (d *recordDecoder) release() {
	clear(d.members[:cap(d.members)])
	clear(d.items[:cap(d.items)])
	*d = recordDecoder{members: d.members[:0], items: d.items[:0]}
	decoders.Put(d)
}

// errorf is a problem at the decoder's position.
func (d *recordDecoder) errorf(key loadKey, args ...any) error {
	return &RecordError{text: loadMsg(ldRecordAtOffset, d.pos+1, loadMsg(key, args...))}
}

// found names the byte at pos for an error.
func (d *recordDecoder) found() any {
	if d.pos >= len(d.data) {
		return loadMsg(ldEndOfLine)
	}
	return strconv.QuoteRune(rune(d.data[d.pos]))
}

func (d *recordDecoder) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *recordDecoder) value(depth int) (any, error) {
	if depth > maxRecordDepth {
		return nil, d.errorf(ldRecordTooDeep)
	}
	d.space()
	if d.pos >= len(d.data) {
		return nil, recordError(ldRecordEnd)
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return d.object(depth)
	case c == '[':
		return d.array(depth)
	case c == '"':
		return d.string()
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	default:
		return nil, d.errorf(ldRecordBadChar, d.found(), loadMsg(ldWhereValue))
	}
}

func (d *recordDecoder) object(depth int) (any, error) {
	d.pos++ // '{'
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return map[string]any{}, nil
	}
	base := len(d.members)
	for {
		d.space()
		if d.pos >= len(d.data) {
			return nil, recordError(ldRecordEnd)
		}
		if d.data[d.pos] != '"' {
			return nil, d.errorf(ldRecordBadChar, d.found(), loadMsg(ldWhereName))
		}
		at := d.pos
		key, err := d.string()
		if err != nil {
			return nil, err
		}
		d.space()
		if d.pos >= len(d.data) {
			return nil, recordError(ldRecordEnd)
		}
		if d.data[d.pos] != ':' {
			return nil, d.errorf(ldRecordBadChar, d.found(), loadMsg(ldWhereAfterName))
		}
		d.pos++
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		d.members = append(d.members, member{key, v, at})
		d.space()
		if d.pos >= len(d.data) {
			return nil, recordError(ldRecordEnd)
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case '}':
			d.pos++
			obj := make(map[string]any, len(d.members)-base)
			for _, m := range d.members[base:] {
				obj[m.key] = m.value // a repeated name: the last wins, as in encoding/json
			}
			// A name given twice leaves the map smaller than the list: the
			// check costs nothing on the records that have none.
			if len(obj) != len(d.members)-base && !d.lenient {
				return nil, d.repeatedName(base)
			}
			clear(d.members[base:])
			d.members = d.members[:base]
			return obj, nil
		default:
			return nil, d.errorf(ldRecordBadChar, d.found(), loadMsg(ldWhereInObject))
		}
	}
}

// repeatedName reports the first name of the object whose members start
// at base that appears a second time, where it does.
func (d *recordDecoder) repeatedName(base int) error {
	seen := make(map[string]bool, len(d.members)-base)
	for _, m := range d.members[base:] {
		if seen[m.key] {
			return &RecordError{text: loadMsg(ldRecordAtOffset, m.at+1, loadMsg(ldRecordNameTwice, strconv.Quote(m.key)))}
		}
		seen[m.key] = true
	}
	return recordError(ldRecordNameTwiceAny)
}

func (d *recordDecoder) array(depth int) (any, error) {
	d.pos++ // '['
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		return []any{}, nil
	}
	base := len(d.items)
	for {
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		d.items = append(d.items, v)
		d.space()
		if d.pos >= len(d.data) {
			return nil, recordError(ldRecordEnd)
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case ']':
			d.pos++
			list := make([]any, len(d.items)-base)
			copy(list, d.items[base:])
			clear(d.items[base:])
			d.items = d.items[:base]
			return list, nil
		default:
			return nil, d.errorf(ldRecordBadChar, d.found(), loadMsg(ldWhereInList))
		}
	}
}

func (d *recordDecoder) literal(word string) error {
	for i := 0; i < len(word); i++ {
		if d.pos >= len(d.data) {
			return recordError(ldRecordEnd)
		}
		if d.data[d.pos] != word[i] {
			return d.errorf(ldRecordBadChar, d.found(), loadMsg(ldWhereLiteral, word))
		}
		d.pos++
	}
	return nil
}

// number checks the JSON number grammar and keeps the text.
func (d *recordDecoder) number() (any, error) {
	start := d.pos
	digits := func() int {
		n := 0
		for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
			d.pos++
			n++
		}
		return n
	}
	if d.data[d.pos] == '-' {
		d.pos++
	}
	if d.pos < len(d.data) && d.data[d.pos] == '0' {
		d.pos++
	} else if digits() == 0 {
		return nil, d.numberError()
	}
	if d.pos < len(d.data) && d.data[d.pos] == '.' {
		d.pos++
		if digits() == 0 {
			return nil, d.numberError()
		}
	}
	if d.pos < len(d.data) && (d.data[d.pos] == 'e' || d.data[d.pos] == 'E') {
		d.pos++
		if d.pos < len(d.data) && (d.data[d.pos] == '+' || d.data[d.pos] == '-') {
			d.pos++
		}
		if digits() == 0 {
			return nil, d.numberError()
		}
	}
	return json.Number(d.text[start:d.pos]), nil
}

func (d *recordDecoder) numberError() error {
	if d.pos >= len(d.data) {
		return recordError(ldRecordEnd)
	}
	return d.errorf(ldRecordBadChar, d.found(), loadMsg(ldWhereNumber))
}

// string reads a quoted string. The common case, no escapes and valid
// UTF-8, is one slice of the input; otherwise it decodes as encoding/json
// does, lone surrogates becoming U+FFFD. Invalid UTF-8 is an error (see
// DecodeRecord), or U+FFFD when lenient.
func (d *recordDecoder) string() (string, error) {
	d.pos++ // '"'
	start := d.pos
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if c == '"' {
			s := d.text[start:d.pos]
			d.pos++
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c >= utf8.RuneSelf {
			// Valid UTF-8 (Chinese answers: most strings of a record)
			// stays on the fast path; only a bad byte needs rewriting.
			r, size := utf8.DecodeRune(d.data[d.pos:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			d.pos += size
			continue
		}
		if c < 0x20 {
			return "", d.errorf(ldRecordBadChar, d.found(), loadMsg(ldWhereString))
		}
		d.pos++
	}
	buf := append([]byte(nil), d.data[start:d.pos]...)
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			return string(buf), nil
		case c < 0x20:
			return "", d.errorf(ldRecordBadChar, d.found(), loadMsg(ldWhereString))
		case c == '\\':
			var err error
			if buf, err = d.escape(buf); err != nil {
				return "", err
			}
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			d.pos++
		default:
			r, size := utf8.DecodeRune(d.data[d.pos:])
			if r == utf8.RuneError && size == 1 && !d.lenient {
				return "", d.errorf(ldRecordNotUTF8, d.data[d.pos])
			}
			buf = utf8.AppendRune(buf, r) // RuneError for a bad byte, as encoding/json
			d.pos += size
		}
	}
	return "", recordError(ldRecordEnd)
}

// escape decodes one backslash escape at pos onto buf.
func (d *recordDecoder) escape(buf []byte) ([]byte, error) {
	d.pos++ // '\\'
	if d.pos >= len(d.data) {
		return nil, recordError(ldRecordEnd)
	}
	c := d.data[d.pos]
	d.pos++
	switch c {
	case '"', '\\', '/':
		return append(buf, c), nil
	case 'b':
		return append(buf, '\b'), nil
	case 'f':
		return append(buf, '\f'), nil
	case 'n':
		return append(buf, '\n'), nil
	case 'r':
		return append(buf, '\r'), nil
	case 't':
		return append(buf, '\t'), nil
	case 'u':
		r, err := d.hex4()
		if err != nil {
			return nil, err
		}
		if utf16.IsSurrogate(r) {
			// A high surrogate followed by an escaped low one is one rune;
			// anything else leaves U+FFFD and the next escape is read anew.
			if d.pos+1 < len(d.data) && d.data[d.pos] == '\\' && d.data[d.pos+1] == 'u' {
				save := d.pos
				d.pos += 2
				r2, err := d.hex4()
				if err != nil {
					return nil, err
				}
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					return utf8.AppendRune(buf, dec), nil
				}
				d.pos = save
			}
			r = utf8.RuneError
		}
		return utf8.AppendRune(buf, r), nil
	}
	d.pos--
	return nil, d.errorf(ldRecordBadChar, d.found(), loadMsg(ldWhereEscape))
}

func (d *recordDecoder) hex4() (rune, error) {
	var r rune
	for range 4 {
		if d.pos >= len(d.data) {
			return 0, recordError(ldRecordEnd)
		}
		c := d.data[d.pos]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, d.errorf(ldRecordBadChar, d.found(), loadMsg(ldWhereHexEscape))
		}
		r = r<<4 | rune(c)
		d.pos++
	}
	return r, nil
}

// EachLine calls fn for every non-blank line of a JSONL records file,
// with its 1-based number; fn's error stops the reading and is returned.
// Lines may be long (a household with many members): there is no length
// limit.
func EachLine(r io.Reader, fn func(n int, line []byte) error) error {
	br := bufio.NewReaderSize(r, 64*1024)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			if ferr := fn(n, line); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
