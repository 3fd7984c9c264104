package canonjson

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
)

// encodingJSON is what this package must agree with: the Encoder with
// HTML escaping off, without its newline.
func encodingJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

var stringSeeds = []string{"", "王建国", `a"b\c`, "\x00\x1f\b\f\n\r\t\x7f", "<&>", "\u2028\u2029", "\xff\xfe bad", "cut\xc3", "门牌, \"旧\" <3", "😀\ufffd"}

// FuzzString: both string writers write exactly what encoding/json does,
// for any bytes, valid UTF-8 or not.
func FuzzString(f *testing.F) {
	for _, s := range stringSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := encodingJSON(s)
		if got := AppendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("AppendString(%q) = %s, want %s", s, got, want)
		}
		wantHTML, _ := json.Marshal(s)
		if got := AppendStringHTML(nil, s); !bytes.Equal(got, wantHTML) {
			t.Fatalf("AppendStringHTML(%q) = %s, want %s", s, got, wantHTML)
		}
		// As a key and a value of entity properties.
		m := map[string]string{s: "v", "k": s, "王": s + s}
		wantMap, _ := encodingJSON(m)
		if got, err := Marshal(m); err != nil || !bytes.Equal(got, wantMap) {
			t.Fatalf("Marshal(%q) = %s, %v, want %s", m, got, err, wantMap)
		}
	})
}

var documentSeeds = []string{
	`null`, `true`, `"<b>&</b>"`, `[]`, `{}`, `[1,2.5e-3,-0,1E+2,1e21,1e-7,0.000001,123456789012345678901234567890]`,
	`{"z":1,"a":{"y":[],"b":null,"王":"\u2028"},"M":"x","":"empty"}`,
	`{"members":[{"m_name":"张宇航","m_birth":"2010-06-08"},{"m_name":"李秀梅"}],"hh_size":"4","income":186000.5}`,
	`{"s":"quote \" backslash \\ slash \/ \b\f\n\r\t \u00e9 \uD83D\uDE00 \u003c \ud800"}`,
	`{"a":1,"a":2}`,
}

// FuzzDocument holds the writer to its promises on any JSON document,
// decoded as json.Unmarshal decodes it (float64 numbers) and with
// UseNumber (json.Number, as the project's records are read):
//   - the output is valid JSON and what encoding/json writes of the value;
//   - decoding the output and writing it again gives the same bytes;
//   - maps equal in content give equal bytes, however they were built.
func FuzzDocument(f *testing.F) {
	for _, s := range documentSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if !json.Valid(doc) {
			return
		}
		for _, useNumber := range []bool{false, true} {
			v, err := decode(doc, useNumber)
			if err != nil {
				continue // a number too large for a float64
			}
			got, err := Marshal(v)
			want, wantErr := encodingJSON(v)
			if (err != nil) != (wantErr != nil) || !bytes.Equal(got, want) {
				t.Fatalf("%s (UseNumber %v):\n got %s, %v\nwant %s, %v", doc, useNumber, got, err, want, wantErr)
			}
			if !json.Valid(got) {
				t.Fatalf("%s: wrote invalid JSON %s", doc, got)
			}
			w, err := decode(got, useNumber)
			if err != nil {
				t.Fatalf("%s: wrote %s, which does not decode: %v", doc, got, err)
			}
			again, err := Marshal(w)
			if err != nil || !bytes.Equal(again, got) {
				t.Fatalf("%s: not a fixed point:\n once %s\ntwice %s, %v", doc, got, again, err)
			}
			rebuilt, err := Marshal(rebuild(v))
			if err != nil || !bytes.Equal(rebuilt, got) {
				t.Fatalf("%s: the same maps built in another order give\n%s, %v\nnot %s", doc, rebuilt, err, got)
			}
		}
	})
}

func decode(doc []byte, useNumber bool) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if useNumber {
		dec.UseNumber()
	}
	var v any
	err := dec.Decode(&v)
	return v, err
}

// rebuild copies v with every map filled in the reverse of its sorted key
// order, and with room for more, so no order of insertion or size of
// table shows through.
func rebuild(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = rebuild(item)
		}
		return out
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out := make(map[string]any, 2*len(x)+8)
		for _, k := range slices.Backward(keys) {
			out[k] = rebuild(x[k])
		}
		return out
	}
	return v
}

// FuzzNumber: a json.Number is written as it stands exactly when
// encoding/json would write it so, and refused otherwise.
func FuzzNumber(f *testing.F) {
	for _, s := range []string{"0", "-0", "1.50", "1e400", "-12.5E+07", "01", "1.", ".5", "+1", "1e", "", "-", "0x1", " 1", "NaN"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Marshal(json.Number(s))
		want, wantErr := encodingJSON(json.Number(s))
		if (err != nil) != (wantErr != nil) || !bytes.Equal(got, want) {
			t.Fatalf("json.Number(%q): got %s, %v; encoding/json %s, %v", s, got, err, want, wantErr)
		}
	})
}
