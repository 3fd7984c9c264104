package forms

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestInputEncoding(t *testing.T) {
	for in, want := range map[string]string{"": EncodingUTF8, "UTF-8": EncodingUTF8, "utf8": EncodingUTF8,
		"gbk": EncodingGB18030, "GB18030": EncodingGB18030, "gb2312": EncodingGB18030, "CP936": EncodingGB18030} {
		if got, ok := InputEncoding(in); !ok || got != want {
			t.Errorf("%q: %q %v", in, got, ok)
		}
	}
	if _, ok := InputEncoding("latin1"); ok {
		t.Error("latin1 taken")
	}
	if got := BadEncodingMessage("latin1", LangHans); got != `不认识的编码 "latin1"：可用 utf-8、gbk 或 gb18030` {
		t.Error(got)
	}
}

// TextReader drops a leading BOM only, in either encoding, and converts
// GBK; CheckLine finds what is not text with the hint that fits.
func TestTextReader(t *testing.T) {
	read := func(data []byte, enc string) string {
		b, err := io.ReadAll(TextReader(bytes.NewReader(data), enc))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for in, want := range map[string]string{"": "", "\ufeff": "", "\ufeff{}\ufeff": "{}\ufeff", "{}": "{}", "a": "a", "\xef\xbb": "\xef\xbb"} {
		if got := read([]byte(in), EncodingUTF8); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte("\ufeff王建国,110105"))
	if err != nil || !bytes.HasPrefix(gbk, []byte("\x84\x31\x95\x33")) {
		t.Fatalf("%x %v", gbk, err)
	}
	if got := read(gbk, EncodingGB18030); got != "王建国,110105" {
		t.Errorf("GBK: %q", got)
	}
	for _, c := range []struct {
		line   []byte
		enc    string
		looks  bool
		refuse bool
	}{
		{[]byte("王建国"), EncodingUTF8, false, false},
		{gbk[4:], EncodingUTF8, true, true},              // GBK read as UTF-8
		{[]byte("\xff\xfe"), EncodingUTF8, false, true},  // no encoding at all
		{[]byte("a\ufffdb"), EncodingUTF8, false, false}, // a real U+FFFD in UTF-8 is text
		{[]byte("a\ufffdb"), EncodingGB18030, false, true},
	} {
		err := CheckLine("f.jsonl", 3, c.line, c.enc, LangEn)
		var ee *EncodingError
		if (err != nil) != c.refuse || err != nil && (!errorAs(err, &ee) || ee.LooksGBK != c.looks || !strings.HasPrefix(err.Error(), "f.jsonl:3: ")) {
			t.Errorf("%q in %s: %v", c.line, c.enc, err)
		}
	}
}

func errorAs(err error, target **EncodingError) bool {
	e, ok := err.(*EncodingError)
	*target = e
	return ok
}

// FuzzTextReader: read as UTF-8, a file comes out byte for byte but for
// one leading BOM, and CheckLine refuses exactly the lines that are not
// UTF-8; read as GB18030, what comes out is always UTF-8, and a line
// CheckLine lets through has no U+FFFD.
func FuzzTextReader(f *testing.F) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(`{"name":"王建国"}` + "\n"))
	for _, s := range []string{"", "\ufeff", "\ufeff{}\n", `{"a":"1"}`, "\xef\xbb", "\xff\xfe\n\n", string(gbk), "\x84\x31\x95\x33abc"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := io.ReadAll(TextReader(bytes.NewReader(data), EncodingUTF8))
		if err != nil {
			t.Fatal(err)
		}
		if want := bytes.TrimPrefix(data, []byte("\ufeff")); !bytes.Equal(out, want) {
			t.Fatalf("%q: read %q", data, out)
		}
		for i, line := range bytes.SplitAfter(out, []byte("\n")) {
			if err := CheckLine("f", i+1, line, EncodingUTF8, LangEn); (err == nil) != utf8.Valid(line) {
				t.Fatalf("%q: %v", line, err)
			}
		}
		conv, err := io.ReadAll(TextReader(bytes.NewReader(data), EncodingGB18030))
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(conv) || bytes.HasPrefix(conv, []byte("\ufeff")) {
			t.Fatalf("%q: converted to %q", data, conv)
		}
		for i, line := range bytes.SplitAfter(conv, []byte("\n")) {
			if err := CheckLine("f", i+1, line, EncodingGB18030, LangEn); (err == nil) == bytes.ContainsRune(line, utf8.RuneError) {
				t.Fatalf("%q: %v", line, err)
			}
		}
	})
}
