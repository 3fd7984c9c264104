package forms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/fieldbench/fieldbench/forms/canonjson"
)

// RecordEntityChanges reads the entity changes a record carries under
// EntitiesKey: nil when it has none.
func RecordEntityChanges(record []byte) ([]EntityChange, error) {
	obj, err := DecodeRecord(record)
	if err != nil {
		return nil, err
	}
	changes, bad, shapeErr := entityChangesOf(obj[EntitiesKey])
	if shapeErr != nil {
		if bad > 0 {
			return nil, fmt.Errorf("%s[%d]: %w", EntitiesKey, bad, shapeErr)
		}
		return nil, fmt.Errorf("%s: %w", EntitiesKey, shapeErr)
	}
	return changes, nil
}

// WithEntityChanges returns the record with its EntitiesKey member set to
// changes (left out when there are none), in the canonical bytes records
// are stored in: every other member keeps its place, the changes come
// last, as MarshalJSON writes them. Holding the Instance, SetEntityChanges
// and MarshalJSON give the same bytes for less.
func WithEntityChanges(record []byte, changes []EntityChange) ([]byte, error) {
	if _, err := DecodeRecord(record); err != nil {
		return nil, err
	}
	for i, c := range changes {
		if c.List == "" || c.ID == "" || c.BaseVersion < 0 {
			return nil, fmt.Errorf("%s[%d]: %w", EntitiesKey, i+1, &entityShapeError{msgEntitiesItem})
		}
	}
	c := &orderedCanon{src: record}
	c.space()
	if !c.next('{') {
		return nil, errBadRecordJSON
	}
	out := make([]byte, 0, len(record)+256)
	out = append(out, '{')
	entitiesKey := canonjson.AppendString(nil, EntitiesKey)
	var scratch []byte
	first := true
	for c.space(); !c.next('}'); c.space() {
		if !first && !c.next(',') {
			return nil, errBadRecordJSON
		}
		c.space()
		key, err := c.str(scratch[:0])
		if err != nil {
			return nil, err
		}
		c.space()
		if !c.next(':') {
			return nil, errBadRecordJSON
		}
		if bytes.Equal(key, entitiesKey) {
			if scratch, err = c.value(key[:0]); err != nil { // read and dropped
				return nil, err
			}
			first = false
			continue
		}
		scratch = key
		if len(out) > 1 {
			out = append(out, ',')
		}
		first = false
		out = append(append(out, key...), ':')
		if out, err = c.value(out); err != nil {
			return nil, err
		}
	}
	if len(changes) > 0 {
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(append(out, entitiesKey...), ':')
		var err error
		if out, err = canonjson.Append(out, changes); err != nil {
			return nil, err
		}
	}
	return append(out, '}'), nil
}

var errBadRecordJSON = errors.New("forms: record is not a JSON object")

// orderedCanon copies JSON that DecodeRecord accepted in canonical form
// (canonjson's bytes) without reordering object members: a record's
// answers are in form order. Strings and numbers already in that form,
// nearly all of them, are copied as they are; no value is decoded but a
// string with an escape.
type orderedCanon struct {
	src []byte
	pos int
}

func (c *orderedCanon) space() {
	for c.pos < len(c.src) {
		switch c.src[c.pos] {
		case ' ', '\t', '\n', '\r':
			c.pos++
		default:
			return
		}
	}
}

// next consumes b if it comes next.
func (c *orderedCanon) next(b byte) bool {
	if c.pos < len(c.src) && c.src[c.pos] == b {
		c.pos++
		return true
	}
	return false
}

func (c *orderedCanon) value(dst []byte) ([]byte, error) {
	c.space()
	if c.pos >= len(c.src) {
		return dst, errBadRecordJSON
	}
	switch open := c.src[c.pos]; open {
	case '"':
		return c.str(dst)
	case '{', '[':
		closing := byte(']')
		if open == '{' {
			closing = '}'
		}
		c.pos++
		dst = append(dst, open)
		for i := 0; ; i++ {
			c.space()
			if c.next(closing) {
				return append(dst, closing), nil
			}
			if i > 0 {
				if !c.next(',') {
					return dst, errBadRecordJSON
				}
				dst = append(dst, ',')
				c.space()
			}
			var err error
			if open == '{' {
				if dst, err = c.str(dst); err != nil {
					return dst, err
				}
				c.space()
				if !c.next(':') {
					return dst, errBadRecordJSON
				}
				dst = append(dst, ':')
			}
			if dst, err = c.value(dst); err != nil {
				return dst, err
			}
		}
	}
	start := c.pos
	for c.pos < len(c.src) && !endsToken(c.src[c.pos]) {
		c.pos++
	}
	switch tok := c.src[start:c.pos]; string(tok) {
	case "true", "false", "null":
		return append(dst, tok...), nil
	default:
		return canonjson.Append(dst, json.Number(tok))
	}
}

// str copies the string at pos. One without an escape is copied as it
// is unless it holds U+2028 or U+2029, which canonical JSON escapes.
func (c *orderedCanon) str(dst []byte) ([]byte, error) {
	if !c.next('"') {
		return dst, errBadRecordJSON
	}
	start, plain := c.pos-1, true
	for c.pos < len(c.src) {
		switch c.src[c.pos] {
		case '\\':
			plain = false
			c.pos += 2
			continue
		case '"':
			c.pos++
			raw := c.src[start:c.pos]
			if plain && !bytes.Contains(raw, []byte("\u2028")) && !bytes.Contains(raw, []byte("\u2029")) {
				return append(dst, raw...), nil
			}
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return dst, err
			}
			return canonjson.AppendString(dst, s), nil
		}
		c.pos++
	}
	return dst, errBadRecordJSON
}

// endsToken reports whether b ends a number or a literal.
func endsToken(b byte) bool {
	switch b {
	case ',', '}', ']', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}
