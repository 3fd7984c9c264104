package forms

import (
	"strings"
	"unicode/utf8"
)

// Typed answers (Instance.Set, the way the workbench's screens store what
// a person typed) accept more than stored ones: a date may be written the
// ways people write dates in China. Records read from JSONL or CSV
// (Fill, ValidateRecord, validate) stay strict: a machine that writes
// 1978/3/12 has a bug worth a report, and a file read twice must mean
// the same thing both times.

// typedAnswer is what a typed answer to fd is stored as, before
// normalize: a date in any of the accepted ways becomes YYYY-MM-DD;
// anything else is left for the type check to refuse or accept.
func typedAnswer(fd *Field, s string) string {
	if fd.Type == TypeDate {
		if d, ok := NormalizeDate(s); ok {
			return d
		}
	}
	return s
}

// NormalizeDate reads a date typed as 1978-03-12, 1978-3-12, 1978.3.12,
// 1978/3/12, 19780312 or 1978年3月12日, in ASCII or full-width digits and
// separators, and returns it as YYYY-MM-DD. ok is false for anything
// else, and for a day that does not exist (1978-2-30).
func NormalizeDate(s string) (string, bool) {
	s = strings.TrimSpace(halfWidth(s))
	var parts [3]string
	switch {
	case len(s) == 8 && digitsTo(s, 0) == 8:
		parts = [3]string{s[:4], s[4:6], s[6:]}
	case strings.Contains(s, "年"):
		y, rest, _ := strings.Cut(s, "年")
		m, rest, ok := strings.Cut(rest, "月")
		if !ok {
			return "", false
		}
		d := strings.TrimSuffix(strings.TrimSuffix(rest, "日"), "号")
		parts = [3]string{strings.TrimSpace(y), strings.TrimSpace(m), strings.TrimSpace(d)}
	default:
		i := strings.IndexAny(s, "-./")
		if i < 0 {
			return "", false
		}
		sep := s[i]
		p := strings.Split(s, string(sep))
		if len(p) != 3 {
			return "", false
		}
		parts = [3]string{p[0], p[1], p[2]}
	}
	y, m, d := parts[0], parts[1], parts[2]
	if len(y) != 4 || !allDigits(y) || !shortNumber(m) || !shortNumber(d) {
		return "", false
	}
	out := y + "-" + pad2(m) + "-" + pad2(d)
	return out, isDate(out)
}

func allDigits(s string) bool { return s != "" && digitsTo(s, 0) == len(s) }

func shortNumber(s string) bool { return (len(s) == 1 || len(s) == 2) && allDigits(s) }

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// halfWidth turns full-width digits and date separators (as Chinese input
// methods type them) into ASCII; other text is left as it is.
func halfWidth(s string) string {
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r == '－' || r == '／' || r == '．' || r == '。':
			r = map[rune]rune{'－': '-', '／': '/', '．': '.', '。': '.'}[r]
		case r == '\u3000':
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Offer is what the default of the blank question at path gives now, for
// the screens to offer (Enter takes it) rather than store. Defaults are
// stored once, when the record or repeat instance is created, the way ODK
// does; one that reads answers given later (a birth date from the
// resident ID typed just before) was blank then, and is offered here once
// those answers give it a value. A default the collector cleared is
// offered again the same way. It is "" when there is nothing to offer or
// the offer would not be a well-formed answer.
func (in *Instance) Offer(path string) string {
	n, fd, err := in.resolve(path)
	if err != nil || n.level == fd || !in.defaults || fd.Calculation != nil || !fd.Type.HasAnswer() || fd.Type == TypeRepeat {
		return ""
	}
	x := exprOf(fd.Default)
	if x == nil || n.answer[in.slot(fd)] != "" {
		return ""
	}
	v := normalize(fd, typedAnswer(fd, x.EvalStored(in.at(n, fd))))
	if v == "" {
		return ""
	}
	if _, ok := in.typeOK(fd, v); !ok {
		return ""
	}
	return v
}
