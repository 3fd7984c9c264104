package forms

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Records arrive as text files, and on Chinese Windows Excel and Notepad
// save them as GBK (code page 936) unless told otherwise. Read as UTF-8,
// such a file used to be stored as U+FFFD garbage; now every line must be
// UTF-8, or the file's encoding is named and the text converted.

// The encodings a record file may be read in: UTF-8 (the default) and
// GB18030, which is a superset of GBK and GB2312 (one decoder serves all).
const (
	EncodingUTF8    = "utf-8"
	EncodingGB18030 = "gb18030"
)

// InputEncoding maps what a person types for --encoding to EncodingUTF8
// or EncodingGB18030; ok is false for anything else.
func InputEncoding(name string) (enc string, ok bool) {
	switch strings.ToLower(strings.ReplaceAll(name, "_", "-")) {
	case "", "utf-8", "utf8":
		return EncodingUTF8, true
	case "gbk", "gb18030", "gb2312", "cp936":
		return EncodingGB18030, true
	}
	return "", false
}

// TextReader reads r, in encoding enc (see InputEncoding), as UTF-8
// text, without the byte order mark a file may start with (Notepad and
// Excel's "CSV UTF-8" write one).
func TextReader(r io.Reader, enc string) io.Reader {
	if enc == EncodingGB18030 {
		r = transform.NewReader(r, simplifiedchinese.GB18030.NewDecoder())
	}
	return &bomSkipper{r: r}
}

// bomSkipper drops U+FEFF at the very start of its reader.
type bomSkipper struct {
	r     io.Reader
	ahead []byte // read past the start while looking for the mark
	done  bool
}

func (b *bomSkipper) Read(p []byte) (int, error) {
	if !b.done {
		b.done = true
		head := make([]byte, 3)
		n, err := io.ReadFull(b.r, head)
		head = head[:n]
		if bytes.Equal(head, []byte("\ufeff")) {
			head = nil
		}
		b.ahead = head
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return 0, err
		}
	}
	if len(b.ahead) > 0 {
		n := copy(p, b.ahead)
		b.ahead = b.ahead[n:]
		return n, nil
	}
	return b.r.Read(p)
}

// EncodingError is a line of a record file that is not text in the
// encoding it was read in. Its message, in the interface language, says
// what to do.
type EncodingError struct {
	Name string // the file, as the person named it
	Line int
	// Encoding is the one the line was read in; LooksGBK says that, read
	// as UTF-8, the line is valid GBK with Chinese in it.
	Encoding string
	LooksGBK bool
	lang     string
}

func (e *EncodingError) Error() string {
	key := msgNotGB18030
	switch {
	case e.Encoding == EncodingGB18030:
	case e.LooksGBK:
		key = msgLooksGBK
	default:
		key = msgNotUTF8
	}
	return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, message(e.lang, key))
}

// CheckLine checks one line of a record file read through TextReader in
// encoding enc: in UTF-8 it must be valid UTF-8; converted from GB18030 it
// must hold no U+FFFD, which is what the decoder leaves of bytes that are
// no GB18030. lang is the interface language of the error.
func CheckLine(name string, n int, line []byte, enc, lang string) error {
	if enc == EncodingGB18030 {
		if bytes.ContainsRune(line, utf8.RuneError) {
			return &EncodingError{Name: name, Line: n, Encoding: enc, lang: uiLanguage(lang)}
		}
		return nil
	}
	if utf8.Valid(line) {
		return nil
	}
	return &EncodingError{Name: name, Line: n, Encoding: EncodingUTF8, LooksGBK: looksGBK(line), lang: uiLanguage(lang)}
}

// looksGBK reports whether line decodes cleanly as GB18030 to text with
// Chinese in it: then the hint can name the encoding.
func looksGBK(line []byte) bool {
	text, _, err := transform.Bytes(simplifiedchinese.GB18030.NewDecoder(), line)
	if err != nil || bytes.ContainsRune(text, utf8.RuneError) {
		return false
	}
	return bytes.ContainsFunc(text, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// BadEncodingMessage says, in the interface language, that name is no
// encoding InputEncoding knows.
func BadEncodingMessage(name, lang string) string {
	return message(uiLanguage(lang), msgBadEncoding, name)
}
