package catalogue

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
)

// storedPseudonyms are an export's pseudonyms (export.Options.Pseudonyms).
// A sealed record's ID numbers are masked in its stored data, and the
// pseudonym of a masked number would be the pseudonym of nothing: a
// masked export gives the pseudonyms kept at ingest instead, found by the
// masked answer the writer hands over, without opening the record. Any
// other answer (a clear export, a record stored before sealing) gets the
// pseudonym of its value, as always.
type storedPseudonyms struct {
	of *forms.Pseudonymizer
	// byMasked maps the record at hand's masked ID numbers to their
	// stored pseudonyms; "" where two different numbers of the record
	// mask alike (the column is then left empty rather than wrong).
	byMasked map[string]string
}

// next readies the pseudonyms of the record about to be written.
func (p *storedPseudonyms) next(v sealedVersion, data []byte, masked bool) error {
	clear(p.byMasked)
	if !masked || len(v.sealed) == 0 || v.pseudonyms == "" {
		return nil
	}
	var tags map[string]string
	if err := json.Unmarshal([]byte(v.pseudonyms), &tags); err != nil {
		return fmt.Errorf("record %s: the stored pseudonyms do not read: %w", v.recordID, err)
	}
	obj, err := forms.DecodeStoredRecord(data)
	if err != nil {
		return fmt.Errorf("record %s is not a JSON object: %w", v.recordID, err)
	}
	if p.byMasked == nil {
		p.byMasked = map[string]string{}
	}
	for ptr, tag := range tags {
		s, ok := valueAt(obj, ptr).(string)
		if !ok {
			continue
		}
		if old, seen := p.byMasked[s]; seen && old != tag {
			tag = ""
		}
		p.byMasked[s] = tag
	}
	return nil
}

// Of is the pseudonym of an answer as the record holds it.
func (p *storedPseudonyms) Of(value string) string {
	if tag, ok := p.byMasked[value]; ok {
		return tag
	}
	return p.of.Of(value)
}

// valueAt is the value at an RFC 6901 JSON pointer of a decoded record,
// nil when there is none.
func valueAt(obj map[string]any, ptr string) any {
	var cur any = obj
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			cur = c[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}
