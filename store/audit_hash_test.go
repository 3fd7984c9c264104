package store

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// The hashes of rows holding every kind of escape, as the trail computed
// them before its JSON was written by canonjson: stored trails verify only
// while they stay the same.
func TestAuditHashPinned(t *testing.T) {
	pinned := []struct{ field, hash string }{
		{"", "91f14518dc4f324c2e01305fc73a113c56eec88bae0d6abb6cefa3bdb3bac994"},
		{"plain ascii", "886779198f9c884b6f012f847a7d65cc47d8d7e7578c748ecedead4fc733b7fb"},
		{"王建国", "3250dde43ce4ec32920074f78d04c95ec38684ae0dfb6119914c4041091adee0"},
		{"a\"b\\c", "06347381c80aba53560210fa2462c054dba18d1ca9ccfd8e13d025fc22cb83a3"},
		{"\x00\x01\x1f\b\f\n\r\t\x7f", "42c4d2efa46bfcef6653889d0f1636592bc4945944eb5b21401fd644674c8bc8"},
		{"<a href=\"x\">&amp;</a>", "c4d9e23dbadf491421dfee859cebeab598859828d8c42786fb2197eeb8fe9974"},
		{"<&>", "285edcce193880b9156c2bf36ce7f0c1a90c94eaf4a4f1d54f020802439cc4e8"},
		{"ascii <only> & fine", "ab25a5985ee0dcf9a03a2c8ff48084f97866ed592bcf0052b3d7def2abece5aa"},
		{"\u2028\u2029", "11bcd70738963d91e39a818a3a8abca899349b56ac157026b42cdac29c95040d"},
		{"line\u2028sep\u2029end", "0725561f2f05e304509181ab6872578ffef595021b4262f0150f20f8c269db94"},
		{"\xff\xfe bad", "e42fccfef61c99a9cb641d4f77fe9ca969deef2a79727f71fbd0ca4d390af835"},
		{"cut\xc3", "b823324f0d016ab4bb86ab871fbb32d038bd2e3ce0cccd6237c1464fb8099700"},
		{"emoji 😀", "18237d76fe2c5a0a7644817b22b69bac41624fe9e75b1dc28b742fb89eeee8b3"},
		{"�", "40dc24f50d0922150cd5e2c668ad17797d88ddc8228ac608cb759d037ef14686"},
		{"门牌 <3 & \"旧\"", "7199e9e289b15353662d17239650d13b0209a8708bc0b74cff4128915b2a3a5e"},
		{"王\x01<", "81af095a5af88c2cf0613cf7c2b5b87729a1be6aaa44c3e29334ac0b5da6a17c"},
		{"tab\there", "2aad379a726200a73af71b4c3e6e4598447e892e3631acf0a943541e240435dc"},
		{"/slash/", "ff05f7d3843c5dea45a3406d84245efdf3350ce78448e947661ed4c47979f19e"},
	}
	for i, c := range pinned {
		r := pinRow(int64(i)+1, c.field)
		if got := r.computeHash(); got != c.hash {
			t.Errorf("row with %q hashes to %s, was %s", c.field, got, c.hash)
		}
	}
}

func pinRow(seq int64, field string) AuditRow {
	return AuditRow{Seq: seq, stamp: "2026-01-02T03:04:05Z", Collector: field, DeviceID: "dev", Event: "e", RecordID: field, Detail: "{}", PrevHash: "p"}
}

// FuzzAuditHash: the hash is of json.Marshal's array of the row's fields,
// a field that is not valid UTF-8 as {"b64": its bytes}.
func FuzzAuditHash(f *testing.F) {
	for _, s := range []string{"", "王建国", "<&>", "门牌 <3 & \"旧\"", "\x00\x1f\u2028", "\xff bad", "😀"} {
		f.Add(int64(7), s, "{\"a\":\"<b>\"}")
	}
	f.Fuzz(func(t *testing.T, seq int64, field, detail string) {
		r := pinRow(seq, field)
		r.Detail = detail
		fields := []any{r.Seq}
		for _, s := range []string{r.stamp, r.Collector, r.DeviceID, string(r.Event), r.RecordID, r.Detail, r.PrevHash} {
			if utf8.ValidString(s) {
				fields = append(fields, s)
			} else {
				fields = append(fields, map[string]string{"b64": base64.StdEncoding.EncodeToString([]byte(s))})
			}
		}
		b, err := json.Marshal(fields)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if want := hex.EncodeToString(sum[:]); r.computeHash() != want {
			t.Fatalf("%q, %q: hash %s, json.Marshal's %s", field, detail, r.computeHash(), want)
		}
	})
}
