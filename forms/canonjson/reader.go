package canonjson

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// Reader reads JSON a value at a time, in document order, and gives each
// string and scalar its canonical bytes (what Append writes of the value
// encoding/json decodes). Object members keep the order they come in:
// a record's answers are in form order, and its hash is of those bytes,
// so a reader that rewrites a record (masking it, putting its personal
// answers back) must not sort them. It is strict where encoding/json is
// (the grammar of RFC 8259, control characters in strings, nesting past
// MaxDepth); a member named twice is read twice, as written.
type Reader struct {
	src   []byte
	pos   int
	depth int
}

// MaxDepth bounds nesting, as encoding/json does, so that hostile input
// of ten thousand '[' cannot exhaust the stack of a recursive reader.
const MaxDepth = 10000

// ErrSyntax is any input that is not JSON.
var ErrSyntax = errors.New("canonjson: not valid JSON")

// NewReader reads src, which must not change while it is read.
func NewReader(src []byte) *Reader { return &Reader{src: src} }

// Mark is a place in the input to come back to (Reset).
type Mark struct{ pos, depth int }

// Mark is where the reader is.
func (r *Reader) Mark() Mark { return Mark{r.pos, r.depth} }

// Reset goes back to m.
func (r *Reader) Reset(m Mark) { r.pos, r.depth = m.pos, m.depth }

func (r *Reader) space() {
	for r.pos < len(r.src) {
		switch r.src[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

// Peek is the first byte of the next value ('{', '[', '"', a digit, '-',
// 't', 'f' or 'n' in valid input), 0 at the end of the input (or at a
// NUL byte, which no valid input has there).
func (r *Reader) Peek() byte {
	r.space()
	if r.pos >= len(r.src) {
		return 0
	}
	return r.src[r.pos]
}

// Enter reads the '{' or '[' that opens an object or an array.
func (r *Reader) Enter(open byte) error {
	if r.Peek() != open || r.depth >= MaxDepth {
		return ErrSyntax
	}
	r.pos++
	r.depth++
	return nil
}

// More reports whether the object or array being read, which close ends,
// has one more member: it reads the ',' before every member but the
// first (first says which), or the closing bracket after the last.
func (r *Reader) More(close byte, first bool) (bool, error) {
	switch c := r.Peek(); {
	case c == close:
		r.pos++
		r.depth--
		return false, nil
	case c == 0:
		return false, ErrSyntax
	case first:
		return true, nil
	case c == ',':
		r.pos++
		if c := r.Peek(); c == close || c == 0 {
			return false, ErrSyntax // a trailing comma
		}
		return true, nil
	}
	return false, ErrSyntax
}

// Key reads a member's name and the ':' after it, as String reads a
// string.
func (r *Reader) Key() (text, canon []byte, err error) {
	if text, canon, err = r.String(); err != nil {
		return nil, nil, err
	}
	if r.Peek() != ':' {
		return nil, nil, ErrSyntax
	}
	r.pos++
	return text, canon, nil
}

// String reads a string: its text and its canonical bytes. Both alias the
// input when the string is already canonical, as stored records' strings
// are; the caller must copy what it keeps.
func (r *Reader) String() (text, canon []byte, err error) {
	if r.Peek() != '"' {
		return nil, nil, ErrSyntax
	}
	start := r.pos
	var seen byte // every byte of the string or'ed: below 0x80 if all are ASCII
	escaped := false
	i := start + 1
	// Eight bytes at a time up to the first that ends, escapes or spoils
	// the string (a record's strings are most of its bytes).
	var words uint64
	for ; i+8 <= len(r.src); i += 8 {
		v := binary.LittleEndian.Uint64(r.src[i:])
		if hasLess(v, 0x20)|hasZero(v^quotes)|hasZero(v^backslashes) != 0 {
			break
		}
		words |= v
	}
	if words&highBits != 0 {
		seen = utf8.RuneSelf
	}
	for ; i < len(r.src); i++ {
		c := r.src[i]
		if !stringSpecial[c] {
			seen |= c
			continue
		}
		if c == '\\' {
			escaped = true
			i++
			continue
		}
		if c != '"' {
			return nil, nil, ErrSyntax // a control character
		}
		r.pos = i + 1
		raw := r.src[start:r.pos]
		if !escaped && (seen < utf8.RuneSelf || canonicalText(raw)) {
			return raw[1 : len(raw)-1], raw, nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, nil, ErrSyntax
		}
		return []byte(s), AppendString(nil, s), nil
	}
	return nil, nil, ErrSyntax
}

// Word-at-a-time tests (Hacker's Delight 6-1): whether any byte of v is
// zero, whether any is below n (for n up to 0x80).
const (
	lowBits     = 0x0101010101010101
	highBits    = 0x8080808080808080
	quotes      = '"' * lowBits
	backslashes = '\\' * lowBits
)

func hasZero(v uint64) uint64    { return (v - lowBits) &^ v & highBits }
func hasLess(v, n uint64) uint64 { return (v - n*lowBits) &^ v & highBits }

// stringSpecial marks the bytes that end, escape or spoil a string.
var stringSpecial = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// canonicalText reports whether a string without escapes is as canonical
// JSON writes it: valid UTF-8 without U+2028 or U+2029.
func canonicalText(raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	if bytes.IndexByte(raw, 0xE2) < 0 { // the first byte of U+2000..U+2FFF
		return true
	}
	return !bytes.Contains(raw, lineSeparator) && !bytes.Contains(raw, paragraphSeparator)
}

// U+2028 and U+2029, which canonical strings escape.
var (
	lineSeparator      = []byte("\u2028")
	paragraphSeparator = []byte("\u2029")
)

// Scalar reads a number, true, false or null: its canonical bytes, which
// alias the input.
func (r *Reader) Scalar() ([]byte, error) {
	r.space()
	start := r.pos
	for r.pos < len(r.src) && !endsScalar(r.src[r.pos]) {
		r.pos++
	}
	tok := r.src[start:r.pos]
	switch string(tok) {
	case "true", "false", "null":
		return tok, nil
	}
	if len(tok) == 0 || !validNumber(string(tok)) {
		return nil, ErrSyntax
	}
	return tok, nil
}

func endsScalar(b byte) bool {
	switch b {
	case ',', '}', ']', ':', '"', '{', '[', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// AppendValue reads the next value, whatever it is, and appends it to dst
// in canonical form with its members in the order they came.
func (r *Reader) AppendValue(dst []byte) ([]byte, error) {
	return r.appendValue(dst, true)
}

// appendValue is AppendValue, appending nothing unless keep.
func (r *Reader) appendValue(dst []byte, keep bool) ([]byte, error) {
	add := func(b ...byte) {
		if keep {
			dst = append(dst, b...)
		}
	}
	switch c := r.Peek(); c {
	case '"':
		_, canon, err := r.String()
		add(canon...)
		return dst, err
	case '{', '[':
		if err := r.Enter(c); err != nil {
			return dst, err
		}
		close := c + 2 // '{'+2 is '}', '['+2 is ']'
		add(c)
		for first := true; ; first = false {
			more, err := r.More(close, first)
			if err != nil {
				return dst, err
			}
			if !more {
				add(close)
				return dst, nil
			}
			if !first {
				add(',')
			}
			if c == '{' {
				_, key, err := r.Key()
				if err != nil {
					return dst, err
				}
				add(key...)
				add(':')
			}
			if dst, err = r.appendValue(dst, keep); err != nil {
				return dst, err
			}
		}
	}
	tok, err := r.Scalar()
	add(tok...)
	return dst, err
}

// Raw reads the next value and returns it as it is in the input.
func (r *Reader) Raw() ([]byte, error) {
	r.space()
	start := r.pos
	if _, err := r.appendValue(nil, false); err != nil {
		return nil, err
	}
	return r.src[start:r.pos], nil
}

// Skip reads the next value.
func (r *Reader) Skip() error {
	_, err := r.appendValue(nil, false)
	return err
}

// End reports ErrSyntax unless only white space is left.
func (r *Reader) End() error {
	if r.space(); r.pos < len(r.src) {
		return ErrSyntax
	}
	return nil
}

// AppendPointerToken appends to a JSON pointer (RFC 6901) the member name
// or array index name, after its '/', with '~' and '/' escaped.
func AppendPointerToken(ptr, name []byte) []byte {
	ptr = append(ptr, '/')
	if bytes.IndexByte(name, '~') < 0 && bytes.IndexByte(name, '/') < 0 {
		return append(ptr, name...)
	}
	for _, c := range name {
		switch c {
		case '~':
			ptr = append(ptr, "~0"...)
		case '/':
			ptr = append(ptr, "~1"...)
		default:
			ptr = append(ptr, c)
		}
	}
	return ptr
}
