// Package export writes stored records out of fieldbench: JSONL in the
// import shape, CSV in the ODK Central shape (one file per level) and XLSX
// (one sheet per level). Records arrive as a stream and are written as they
// come, so memory does not grow with the number of records.
package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/canonjson"
)

// Records is a stream of records: it calls yield once per record, in the
// order they are to be written, with the record id and its data (a JSON
// object in the exchange shape, as store.Record returns it), and stops with
// yield's error when yield fails. A source reading a database returns its
// own errors the same way.
type Records func(yield func(id string, data []byte) error) error

// Options choose how answers are written.
type Options struct {
	// Masked passes every answer of a field marked sensitive through
	// forms.Mask, for exports that leave the office.
	Masked bool
	// Earlier are other versions of the form whose records are in the
	// stream. A question they have and the form does not still gets a
	// column (after the form's own, at its level), so no answer of an
	// older record is left out of a CSV or XLSX export.
	Earlier []*forms.Form
	// Pseudonyms, when set, adds after every ID-number field
	// (forms.HoldsIDNumber) a column KEY_pseudonym (a JSONL key next to
	// it) with the pseudonym of the clear answer, masked or not: Of is
	// given the answer as the record holds it (a *forms.Pseudonymizer
	// for clear records; the catalogue's stored pseudonyms for records
	// whose answers are sealed).
	Pseudonyms Pseudonyms
	// Labels writes CSV and XLSX for people rather than machines: the
	// question labels as headers, choice labels and division names as
	// values, in the form language that best matches Language (an
	// interface language: zh-Hans, zh-Hant or en). JSONL keeps codes.
	Labels   bool
	Language string
}

// Pseudonyms give an ID number's pseudonym.
type Pseudonyms interface{ Of(value string) string }

// level is the record's root or one repeat: what one CSV file or one sheet
// holds.
type level struct {
	repeat  *forms.Field   // nil for the root
	members []*forms.Field // answer fields and child repeats, in form order, as the record's keys go
	cols    []*forms.Field // the answer fields: one column each
	kids    []*level       // one per child repeat, in form order
	name    string         // file name without ".csv", or sheet name

	// pseudonym names the pseudonym column of each ID-number field.
	pseudonym map[*forms.Field]string
	// owner is the version each column's field comes from, for its
	// labels and choice list.
	owner map[*forms.Field]*forms.Form
}

// levels lays out the form: the root level first, then every repeat depth
// first, so the files and sheets come in form order. The fields of earlier
// versions that f lacks are added after f's own, level by level.
func levels(f *forms.Form, earlier ...*forms.Form) []*level {
	root := layout(f)
	for _, e := range earlier {
		root.merge(layout(e))
	}
	var all []*level
	var walk func(lv *level)
	walk = func(lv *level) {
		lv.namePseudonyms()
		all = append(all, lv)
		for _, k := range lv.kids {
			walk(k)
		}
	}
	walk(root)
	return all
}

// merge adds to lv what other has and lv lacks, matching fields and
// repeats by record key.
func (lv *level) merge(other *level) {
	have := make(map[string]*forms.Field, len(lv.members))
	for _, fd := range lv.members {
		have[fd.Key] = fd
	}
	kidOf := make(map[*forms.Field]*level, len(lv.kids))
	for _, k := range lv.kids {
		kidOf[k.repeat] = k
	}
	for _, k := range other.kids {
		kidOf[k.repeat] = k
	}
	for _, fd := range other.members {
		mine := have[fd.Key]
		switch {
		case mine == nil:
			lv.members = append(lv.members, fd)
			if kid := kidOf[fd]; kid != nil {
				lv.kids = append(lv.kids, kid)
			} else {
				lv.cols = append(lv.cols, fd)
				lv.owner[fd] = other.owner[fd]
			}
		case kidOf[mine] != nil && kidOf[fd] != nil:
			kidOf[mine].merge(kidOf[fd])
		}
		// A key that is an answer in one version and a repeat in the
		// other keeps the newer meaning; the JSONL export has it whole.
	}
}

// layout is one version's tree of levels.
func layout(f *forms.Form) *level {
	root := &level{owner: map[*forms.Field]*forms.Form{}}
	var build func(lv *level, fields []*forms.Field)
	build = func(lv *level, fields []*forms.Field) {
		for _, fd := range fields {
			switch {
			case fd.Type == forms.TypeRepeat:
				kid := &level{repeat: fd, owner: map[*forms.Field]*forms.Form{}}
				lv.members = append(lv.members, fd)
				lv.kids = append(lv.kids, kid)
				build(kid, fd.Children)
			case fd.Type == forms.TypeGroup:
				// Groups do not nest in a record: their answers sit at the
				// enclosing level.
				build(lv, fd.Children)
			case fd.Type.HasAnswer():
				lv.members = append(lv.members, fd)
				lv.cols = append(lv.cols, fd)
				lv.owner[fd] = f
			}
		}
	}
	build(root, f.Root.Children)
	return root
}

// namePseudonyms names the pseudonym column of each ID-number answer of
// the level: its key and "_pseudonym", with more underscores in the rare
// form that already has a question of that name at that level.
func (lv *level) namePseudonyms() {
	taken := make(map[string]bool, len(lv.members))
	for _, fd := range lv.members {
		taken[fd.Key] = true
	}
	for _, fd := range lv.cols {
		if !forms.HoldsIDNumber(fd) {
			continue
		}
		if lv.pseudonym == nil {
			lv.pseudonym = map[*forms.Field]string{}
		}
		lv.pseudonym[fd] = PseudonymColumn(fd.Key, taken)
	}
}

// PseudonymColumn names the pseudonym column beside the ID-number column
// key: key and "_pseudonym", with more underscores while taken has the
// name, which it then takes. Entity exports name theirs by it too, so one
// person's pseudonym has one column name wherever it goes.
func PseudonymColumn(key string, taken map[string]bool) string {
	name := key + "_pseudonym"
	for taken[name] {
		name += "_"
	}
	taken[name] = true
	return name
}

// header is a level's column names: ODK Central's join columns, then the
// field keys, each ID number followed by its pseudonym when asked.
func (lv *level) header(opts Options) []string {
	var h []string
	if lv.repeat != nil {
		h = append(h, "PARENT_KEY")
	}
	h = append(h, "KEY")
	for _, fd := range lv.cols {
		h = append(h, lv.title(fd, opts))
		if p := lv.pseudonym[fd]; p != "" && opts.Pseudonyms != nil {
			h = append(h, p)
		}
	}
	return h
}

// rowSink receives the rows of one record, level by level.
type rowSink func(lv *level, cells []string) error

// flatten turns one record into rows: the root row, then for every repeat
// item a row keyed ODK style (parent KEY + "/members[2]"), depth first.
func flatten(root *level, id string, data []byte, opts Options, sink rowSink) error {
	obj, err := forms.DecodeStoredRecord(data)
	if err != nil {
		return fmt.Errorf("record %s: %w", id, err)
	}
	return flattenLevel(root, obj, id, "", opts, sink)
}

func flattenLevel(lv *level, obj map[string]any, key, parentKey string, opts Options, sink rowSink) error {
	cells := make([]string, 0, len(lv.cols)+2)
	if lv.repeat != nil {
		cells = append(cells, parentKey)
	}
	cells = append(cells, key)
	for _, fd := range lv.cols {
		cells = append(cells, lv.cell(fd, obj[fd.Key], opts))
		if opts.Pseudonyms != nil && lv.pseudonym[fd] != "" {
			cells = append(cells, opts.Pseudonyms.Of(text(obj[fd.Key])))
		}
	}
	if err := sink(lv, cells); err != nil {
		return err
	}
	for _, kid := range lv.kids {
		items, _ := obj[kid.repeat.Key].([]any)
		for i, item := range items {
			// A malformed item still takes its number, so the keys of the
			// items after it match the record's own numbering.
			sub, _ := item.(map[string]any)
			k := key + "/" + kid.repeat.Key + "[" + strconv.Itoa(i+1) + "]"
			if err := flattenLevel(kid, sub, k, key, opts, sink); err != nil {
				return err
			}
		}
	}
	return nil
}

// answer is one cell: the answer as text (a select_multiple is already its
// space-separated string), masked when asked (forms.MaskAnswer: by the
// field's class, and in any other answer every ID and mobile number typed
// into it).
func answer(fd *forms.Field, v any, opts Options) string {
	s := text(v)
	if !opts.Masked {
		return s
	}
	return forms.MaskAnswer(fd, s)
}

// text renders a decoded JSON value as an answer. Stored records hold
// strings only; numbers keep their digits. Anything else is kept as JSON
// rather than dropped, so no data silently disappears.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// recordJSON re-encodes a record, keys in form order as the store writes
// them, with its sensitive answers masked when asked (and ID numbers typed
// into other answers) and each ID number followed by its pseudonym when
// asked. Keys the form does not know follow in sorted order; nothing marks
// them sensitive, so masking only hides the ID numbers in them.
func recordJSON(b *bytes.Buffer, lv *level, obj map[string]any, opts Options) {
	b.WriteByte('{')
	first := true
	key := func(k string) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeString(b, k)
		b.WriteByte(':')
	}
	seen := make(map[string]bool, len(lv.members))
	kidOf := make(map[*forms.Field]*level, len(lv.kids))
	for _, k := range lv.kids {
		kidOf[k.repeat] = k
	}
	for _, fd := range lv.members {
		v, ok := obj[fd.Key]
		if !ok {
			continue
		}
		seen[fd.Key] = true
		key(fd.Key)
		if kid := kidOf[fd]; kid != nil {
			items, isList := v.([]any)
			if !isList {
				writeValue(b, maskValue(v, opts))
				continue
			}
			b.WriteByte('[')
			for i, item := range items {
				if i > 0 {
					b.WriteByte(',')
				}
				if sub, isObj := item.(map[string]any); isObj {
					recordJSON(b, kid, sub, opts)
				} else {
					writeValue(b, maskValue(item, opts))
				}
			}
			b.WriteByte(']')
			continue
		}
		writeAnswer(b, fd, v, opts)
		if p := lv.pseudonym[fd]; p != "" && opts.Pseudonyms != nil {
			key(p)
			writeString(b, opts.Pseudonyms.Of(text(v)))
		}
	}
	var rest []string
	for k := range obj {
		// A record's entity changes are worked out from its answers
		// whenever it is stored (an import works them out again, with
		// the ids of the records it makes), and they repeat answers,
		// names among them, outside the questions masking goes by: an
		// export of records leaves them out; entity lists are exported
		// as lists.
		if !seen[k] && k != forms.EntitiesKey {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	if opts.Masked {
		for _, k := range rest {
			seen[k] = true
		}
	}
	for _, k := range rest {
		v := obj[k]
		if opts.Masked {
			// The key is the record's, not the form's: it is text that
			// may hold a number like any answer.
			if mk := forms.MaskEmbeddedIDs(k); mk != k {
				k = freeKey(seen, mk)
			}
		}
		key(k)
		writeValue(b, maskValue(v, opts))
	}
	b.WriteByte('}')
}

// writeAnswer writes the answer v to fd, masked when asked as the CSV and
// XLSX cells are (forms.MaskAnswer). A number stays a JSON number unless
// masking changes it; a list or object (which no form answer is) has its
// strings masked.
func writeAnswer(b *bytes.Buffer, fd *forms.Field, v any, opts Options) {
	if !opts.Masked {
		writeValue(b, v)
		return
	}
	switch x := v.(type) {
	case string:
		writeString(b, forms.MaskAnswer(fd, x))
		return
	case json.Number:
		if m := forms.MaskAnswer(fd, string(x)); m != string(x) {
			writeString(b, m)
		} else {
			writeValue(b, x)
		}
		return
	}
	if forms.MaskClass(fd) != "" {
		writeString(b, forms.MaskAnswer(fd, text(v)))
		return
	}
	writeValue(b, maskValue(v, opts))
}

// freeKey is k, or k with underscores added until no key in taken has it,
// and marks the result taken: a key that masking makes equal to another
// must not hide it.
func freeKey(taken map[string]bool, k string) string {
	for taken[k] {
		k += "_"
	}
	taken[k] = true
	return k
}

// maskValue is v with every ID and mobile number in its strings (and the
// keys of its objects) masked, at any depth, when the export is masked; v
// itself otherwise.
func maskValue(v any, opts Options) any {
	if !opts.Masked {
		return v
	}
	switch x := v.(type) {
	case string:
		return forms.MaskEmbeddedIDs(x)
	case json.Number: // an 18-digit number in a decimal question, say
		if m := forms.MaskEmbeddedIDs(string(x)); m != string(x) {
			return m
		}
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = maskValue(item, opts)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		keys := make([]string, 0, len(x))
		taken := make(map[string]bool, len(x))
		for k := range x {
			keys = append(keys, k)
			taken[k] = true
		}
		sort.Strings(keys) // which of two keys masked alike gets the '_' must not vary
		for _, k := range keys {
			mk := forms.MaskEmbeddedIDs(k)
			if mk != k {
				mk = freeKey(taken, mk)
			}
			out[mk] = maskValue(x[k], opts)
		}
		return out
	}
	return v
}

// writeString writes s as a canonical JSON string, as the store writes
// records: Chinese text and <, >, & stay readable.
func writeString(b *bytes.Buffer, s string) {
	b.Write(canonjson.AppendString(b.AvailableBuffer(), s))
}

// writeValue writes a decoded JSON value as canonical JSON. A json.Number
// keeps its digits.
func writeValue(b *bytes.Buffer, v any) {
	out, err := canonjson.Append(b.AvailableBuffer(), v)
	if err != nil {
		b.WriteString("null") // unreachable for decoded JSON values
		return
	}
	b.Write(out)
}

// uniqueName returns name, or name with a "-2", "-3"... suffix when taken
// (compared case-insensitively, as Windows file names and Excel sheet names
// are), and marks the result taken.
func uniqueName(taken map[string]bool, name string, max int) string {
	try := truncate(name, max)
	for n := 2; taken[strings.ToLower(try)]; n++ {
		suffix := "-" + strconv.Itoa(n)
		try = truncate(name, max-len([]rune(suffix))) + suffix
	}
	taken[strings.ToLower(try)] = true
	return try
}

// truncate cuts s to at most max runes; max <= 0 means no limit.
func truncate(s string, max int) string {
	if max <= 0 {
		return s
	}
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max])
}
