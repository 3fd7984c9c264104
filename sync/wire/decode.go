package wire

import (
	"encoding/base64"
	"encoding/json"
	"unicode/utf8"
)

// DecodeBatch reads a batch in one pass, as json.Unmarshal would read it
// into a Batch: encoding/json scans the whole body once to check it, then
// again to decode it, and each record's data a third time to hand it to
// RecordData, which made decoding a tenth of the server's work per record.
//
// It takes only the plain shape encodeBatch writes: known keys once each,
// strings without escapes, data as a JSON object. On anything else it
// reports false and the caller decodes with encoding/json, so every body
// json.Unmarshal accepts still reads the same (FuzzDecodeBatch holds it
// to that). Records' data alias body, which must not change afterwards.
func DecodeBatch(body []byte, b *Batch) bool {
	d := batchDecoder{validator{data: body}}
	d.space()
	var seen uint
	ok := d.object(func(key []byte) bool {
		var bit uint
		switch string(key) {
		case "batch_id":
			bit = 1
			if !d.text(&b.BatchID) {
				return false
			}
		case "device_id":
			bit = 2
			if !d.text(&b.DeviceID) {
				return false
			}
		case "records":
			bit = 4
			if !d.records(&b.Records) {
				return false
			}
		case "keys":
			bit = 8
			if !d.keys(&b.Keys) {
				return false
			}
		default:
			return false
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		return true
	})
	return ok && d.pos == len(body)
}

type batchDecoder struct{ validator }

// list reads a bracketed list from open to close, calling item for each
// element (item reads it and the space after it), and the space after
// the list.
func (d *batchDecoder) list(open, close byte, item func() bool) bool {
	if d.pos >= len(d.data) || d.data[d.pos] != open {
		return false
	}
	d.pos++
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == close {
		d.pos++
		d.space()
		return true
	}
	for {
		if !item() || d.pos >= len(d.data) {
			return false
		}
		switch d.data[d.pos] {
		case close:
			d.pos++
			d.space()
			return true
		case ',':
			d.pos++
			d.space()
		default:
			return false
		}
	}
}

// object reads an object, calling member for each member's value (member
// reads the value and the space after it), and the space after the object.
func (d *batchDecoder) object(member func(key []byte) bool) bool {
	return d.list('{', '}', func() bool {
		key, ok := d.plain()
		if !ok || d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return false
		}
		d.pos++
		d.space()
		return member(key)
	})
}

// text reads a string without escapes or control characters, in valid
// UTF-8, and the space after it.
func (d *batchDecoder) text(dst *string) bool {
	s, ok := d.plain()
	if ok {
		*dst = string(s)
	}
	return ok
}

// plain reads a string as text does, returning its bytes in place.
func (d *batchDecoder) plain() ([]byte, bool) {
	if d.pos >= len(d.data) || d.data[d.pos] != '"' {
		return nil, false
	}
	start := d.pos + 1
	ascii := true
	for i := start; i < len(d.data); i++ {
		switch c := d.data[i]; {
		case c == '"':
			s := d.data[start:i]
			if !ascii && !utf8.Valid(s) {
				return nil, false
			}
			d.pos = i + 1
			d.space()
			return s, true
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, false
}

// records reads the array of records.
func (d *batchDecoder) records(dst *[]Record) bool {
	out := make([]Record, 0, len(d.data)/1024+1)
	ok := d.list('[', ']', func() bool {
		out = append(out, Record{})
		return d.record(&out[len(out)-1])
	})
	if ok {
		*dst = out
	}
	return ok
}

// record reads one record object.
func (d *batchDecoder) record(r *Record) bool {
	var seen uint
	return d.object(func(key []byte) bool {
		var field *string
		var bit uint
		switch string(key) {
		case "record_id":
			field, bit = &r.RecordID, 1
		case "version_id":
			field, bit = &r.VersionID, 2
		case "replaces":
			field, bit = &r.Replaces, 4
		case "form_id":
			field, bit = &r.FormID, 8
		case "form_version":
			field, bit = &r.FormVersion, 16
		case "sha256":
			field, bit = &r.SHA256, 32
		case "collector":
			field, bit = &r.Collector, 64
		case "created_at":
			field, bit = &r.CreatedAt, 128
		case "data":
			bit = 256
		case "sealed":
			bit = 512
		default:
			return false
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		if field != nil {
			return d.text(field)
		}
		if bit == 512 {
			return d.bytes(&r.Sealed)
		}
		// The data: an object, kept byte for byte from '{' to '}'.
		start := d.pos
		if start >= len(d.data) || d.data[start] != '{' || !d.members('}', 1, true) {
			return false
		}
		end := d.pos
		for d.data[end-1] != '}' {
			end--
		}
		r.Data = RecordData(d.data[start:end:end])
		return true
	})
}

// keys reads the batch's wrapped data keys.
func (d *batchDecoder) keys(dst *[]SealedKey) bool {
	out := []SealedKey{}
	ok := d.list('[', ']', func() bool {
		out = append(out, SealedKey{})
		k := &out[len(out)-1]
		var seen uint
		return d.object(func(key []byte) bool {
			var bit uint
			var ok bool
			switch string(key) {
			case "id":
				bit, ok = 1, d.text(&k.ID)
			case "catalogue_key":
				bit, ok = 2, d.text(&k.CatalogueKey)
			case "wrapped":
				bit, ok = 4, d.bytes(&k.Wrapped)
			}
			if !ok || seen&bit != 0 {
				return false
			}
			seen |= bit
			return true
		})
	})
	if ok {
		*dst = out
	}
	return ok
}

// bytes reads a base64 string as encoding/json reads a []byte.
func (d *batchDecoder) bytes(dst *[]byte) bool {
	s, ok := d.plain()
	if !ok {
		return false
	}
	b := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
	n, err := base64.StdEncoding.Decode(b, s)
	if err != nil {
		return false
	}
	*dst = b[:n]
	return true
}

// IsJSONObject reports whether data is one JSON object in valid UTF-8,
// space around it allowed: what json.Valid says of data that starts with
// '{', in a third of the time. The hand-written validator stops at a
// nesting depth of maxDepth; deeper data is left to json.Valid.
func IsJSONObject(data []byte) bool {
	if !utf8.Valid(data) {
		return false
	}
	v := validator{data: data}
	v.space()
	if v.pos >= len(data) || data[v.pos] != '{' {
		return false
	}
	if v.members('}', 0, true) && v.pos == len(data) {
		return true
	}
	return depthOver(data) && json.Valid(data)
}

// depthOver reports whether data nests deeper than maxDepth, by its
// brackets (a cheap upper bound: brackets inside strings count too).
func depthOver(data []byte) bool {
	d := 0
	for _, c := range data {
		switch c {
		case '{', '[':
			if d++; d > maxDepth {
				return true
			}
		case '}', ']':
			d--
		}
	}
	return false
}
