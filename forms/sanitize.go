package forms

import (
	"strings"
	"unicode"
)

// Sanitize strips escape sequences and control characters from text that
// came from a form or a record before it reaches a terminal, so a crafted
// label cannot move the cursor, retitle the window or hide what follows.
// Newlines and tabs survive when keepLines is true.
func Sanitize(s string, keepLines bool) string {
	clean := true
	for _, r := range s {
		if r == 0x1b || unicode.IsControl(r) || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' || r == 0xfffd {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == 0x1b || r == 0x9b:
			i = skipEscape(rs, i)
		case (r == '\n' || r == '\t') && keepLines:
			b.WriteRune(r)
		case r == '\n' || r == '\t' || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case unicode.IsControl(r) || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0xfffd:
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// skipEscape returns the index of the last rune of the escape sequence that
// starts at i (ESC or CSI), covering CSI, OSC, DCS and two-byte forms.
func skipEscape(rs []rune, i int) int {
	if rs[i] == 0x9b {
		return skipCSI(rs, i+1)
	}
	if i+1 >= len(rs) {
		return i
	}
	switch rs[i+1] {
	case '[':
		return skipCSI(rs, i+2)
	case ']', 'P', '_', '^', 'X':
		// String sequences end with BEL or ESC \.
		for j := i + 2; j < len(rs); j++ {
			if rs[j] == 0x07 {
				return j
			}
			if rs[j] == 0x1b && j+1 < len(rs) && rs[j+1] == '\\' {
				return j + 1
			}
		}
		return len(rs) - 1
	}
	return i + 1
}

func skipCSI(rs []rune, j int) int {
	for ; j < len(rs); j++ {
		if rs[j] >= 0x40 && rs[j] <= 0x7e {
			return j
		}
	}
	return len(rs) - 1
}
