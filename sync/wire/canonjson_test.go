package wire

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms/canonjson"
)

// Before canonjson, the batch writer copied a string of plain ASCII as it
// was and left any other to json.Marshal, which escapes <, > and &: the
// same "<" went out raw or as \u003c by what else its string held. Now
// every string is canonical, which changes only those escapes. That is
// safe: the catalogue stores and hashes no batch's bytes (it decodes the
// body; Fingerprint and the records' hashes are of decoded strings and of
// the data, which goes verbatim, not through the string writer), and a
// laptop's outbox resends the body it wrote first, so a batch written
// before an upgrade goes out as it was. This pins what the old writer
// wrote where it differed from canonjson and around that (every other
// string canonjson pins was written alike), and that the new bytes differ
// from it by those escapes alone and decode to the same strings.
func TestBatchStringsAsBeforeCanonjson(t *testing.T) {
	before := []struct{ in, old string }{
		{"王建国", "\"王建国\""},
		{"<a href=\"x\">&amp;</a>", "\"\\u003ca href=\\\"x\\\"\\u003e\\u0026amp;\\u003c/a\\u003e\""},
		{"<&>", "\"<&>\""},
		{"ascii <only> & fine", "\"ascii <only> & fine\""},
		{"line\u2028sep\u2029end", "\"line\\u2028sep\\u2029end\""},
		{"\xff\xfe bad", "\"\\ufffd\\ufffd bad\""},
		{"门牌 <3 & \"旧\"", "\"门牌 \\u003c3 \\u0026 \\\"旧\\\"\""},
		{"王\x01<", "\"王\\u0001\\u003c\""},
	}
	unescapeHTML := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&")
	for _, c := range before {
		got := string(canonjson.AppendString(nil, c.in))
		if want := unescapeHTML.Replace(c.old); got != want {
			t.Errorf("%q is written %s, want %s (was %s)", c.in, got, want, c.old)
		}
		var now, then string
		if err := json.Unmarshal([]byte(got), &now); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(c.old), &then); err != nil {
			t.Fatal(err)
		}
		if now != then {
			t.Errorf("%q decodes to %q, and decoded to %q", c.in, now, then)
		}
	}
}
