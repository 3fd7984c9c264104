package expr

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tEOF tokKind = iota
	tNumber
	tString
	tRef       // ${name}; val is the name
	tLastSaved // ${last-saved#name}; val is the name
	tName      // NCName or QName used as a path step
	tFunc      // a name followed by '(' (the '(' is a separate token)
	tDot       // .
	tDotDot    // ..
	tSlash
	tSlashSlash
	tPipe
	tPlus
	tMinus
	tMul // * in operator position
	tStar
	tEq
	tNeq
	tLt
	tLe
	tGt
	tGe
	tLParen
	tRParen
	tLBracket
	tRBracket
	tComma
	tAnd
	tOr
	tDiv
	tMod
)

var tokNames = [...]string{
	tEOF: "end of expression", tNumber: "number", tString: "string", tRef: "reference",
	tLastSaved: "reference", tName: "name", tFunc: "function", tDot: "'.'", tDotDot: "'..'", tSlash: "'/'",
	tSlashSlash: "'//'", tPipe: "'|'", tPlus: "'+'", tMinus: "'-'", tMul: "'*'", tStar: "'*'",
	tEq: "'='", tNeq: "'!='", tLt: "'<'", tLe: "'<='", tGt: "'>'", tGe: "'>='",
	tLParen: "'('", tRParen: "')'", tLBracket: "'['", tRBracket: "']'", tComma: "','",
	tAnd: "'and'", tOr: "'or'", tDiv: "'div'", tMod: "'mod'",
}

type token struct {
	kind tokKind
	pos  int // byte offset in the source
	end  int
	val  string
	num  float64
}

// describe names a token in a message, in the three languages.
func (t token) describe() text3 {
	switch t.kind {
	case tNumber, tName, tFunc:
		return same3("'" + t.val + "'")
	case tString:
		q := strconv.Quote(t.val)
		return text3{"字符串 " + q, "字串 " + q, "string " + q}
	case tRef:
		return same3("${" + t.val + "}")
	case tLastSaved:
		return same3("${" + lastSavedPrefix + t.val + "}")
	case tEOF:
		return text3{"表达式结尾", "運算式結尾", tokNames[tEOF]}
	}
	return same3(tokNames[t.kind])
}

type lexer struct {
	src       string
	pos       int
	toks      []token
	refs      []string
	lastSaved []string
}

// lex tokenises the whole source up front: Parse runs once per expression,
// so simplicity beats streaming here.
func lex(src string) (toks []token, refs, lastSaved []string, err *SyntaxError) {
	lx := &lexer{src: src}
	for {
		t, err := lx.next()
		if err != nil {
			return nil, nil, nil, err
		}
		lx.toks = append(lx.toks, t)
		if t.kind == tEOF {
			return lx.toks, lx.refs, lx.lastSaved, nil
		}
	}
}

func (lx *lexer) errAt(pos int, key msgKey, args ...any) *SyntaxError {
	return newSyntaxError(lx.src, pos, key, args...)
}

// operatorPosition applies the XPath lexical rule: after an operand, a name
// such as "div" is an operator and "*" multiplies; elsewhere they are names.
func (lx *lexer) operatorPosition() bool {
	if len(lx.toks) == 0 {
		return false
	}
	switch lx.toks[len(lx.toks)-1].kind {
	case tNumber, tString, tRef, tLastSaved, tName, tDot, tDotDot, tRParen, tRBracket, tStar:
		return true
	}
	return false
}

func isSpaceRune(r rune) bool {
	// Zero-width space and BOM are not unicode.IsSpace but arrive in cells
	// pasted from word processors.
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}

func isNameStart(r rune) bool {
	return r == '_' || unicode.IsLetter(r)
}

func isNameChar(r rune) bool {
	return r == '_' || r == '-' || r == '.' || r == '\u00b7' || unicode.IsLetter(r) ||
		unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

// quoteFamily groups the quotes that open and close a literal alike: pyxform
// turns ‘ ’ into ' and “ ” into ", so any member of a family closes it.
func quoteFamily(r rune) int {
	switch r {
	case '\'', '‘', '’':
		return 1
	case '"', '“', '”':
		return 2
	}
	return 0
}

func (lx *lexer) scanName(start int) int {
	i := start
	for i < len(lx.src) {
		r, n := utf8.DecodeRuneInString(lx.src[i:])
		if !isNameChar(r) {
			break
		}
		i += n
	}
	return i
}

func (lx *lexer) next() (token, *SyntaxError) {
	src := lx.src
	for lx.pos < len(src) {
		r, n := utf8.DecodeRuneInString(src[lx.pos:])
		if !isSpaceRune(r) {
			break
		}
		lx.pos += n
	}
	start := lx.pos
	if start >= len(src) {
		return token{kind: tEOF, pos: start, end: start}, nil
	}
	tok := func(k tokKind, width int) (token, *SyntaxError) {
		lx.pos = start + width
		return token{kind: k, pos: start, end: lx.pos}, nil
	}
	c := src[start]
	switch c {
	case '(':
		return tok(tLParen, 1)
	case ')':
		return tok(tRParen, 1)
	case '[':
		return tok(tLBracket, 1)
	case ']':
		return tok(tRBracket, 1)
	case ',':
		return tok(tComma, 1)
	case '|':
		if start+1 < len(src) && src[start+1] == '|' {
			return token{}, lx.errAt(start, msgOrOperator)
		}
		return tok(tPipe, 1)
	case '&':
		if start+1 < len(src) && src[start+1] == '&' {
			return token{}, lx.errAt(start, msgAndOperator)
		}
	case '+':
		return tok(tPlus, 1)
	case '-':
		return tok(tMinus, 1)
	case '=':
		if start+1 < len(src) && src[start+1] == '=' {
			return token{}, lx.errAt(start, msgDoubleEquals)
		}
		return tok(tEq, 1)
	case '*':
		if lx.operatorPosition() {
			return tok(tMul, 1)
		}
		return tok(tStar, 1)
	case '!':
		if start+1 < len(src) && src[start+1] == '=' {
			return tok(tNeq, 2)
		}
		return token{}, lx.errAt(start, msgBang)
	case '<':
		if start+1 < len(src) && src[start+1] == '=' {
			return tok(tLe, 2)
		}
		return tok(tLt, 1)
	case '>':
		if start+1 < len(src) && src[start+1] == '=' {
			return tok(tGe, 2)
		}
		return tok(tGt, 1)
	case '/':
		if start+1 < len(src) && src[start+1] == '/' {
			return tok(tSlashSlash, 2)
		}
		return tok(tSlash, 1)
	case '.':
		if start+1 < len(src) && src[start+1] == '.' {
			return tok(tDotDot, 2)
		}
		if start+1 < len(src) && src[start+1] >= '0' && src[start+1] <= '9' {
			return lx.number(start)
		}
		return tok(tDot, 1)
	case '$':
		return lx.ref(start)
	case ':':
		if start+1 < len(src) && src[start+1] == ':' {
			return token{}, lx.errAt(start, msgAxes)
		}
	case '@':
		return token{}, lx.errAt(start, msgAttributes)
	}
	if c >= '0' && c <= '9' {
		return lx.number(start)
	}
	r, n := utf8.DecodeRuneInString(src[start:])
	if fam := quoteFamily(r); fam != 0 {
		return lx.literal(start, n, fam)
	}
	if isNameStart(r) {
		return lx.name(start)
	}
	if r == utf8.RuneError && n == 1 {
		return token{}, lx.errAt(start, msgInvalidUTF8)
	}
	return token{}, lx.errAt(start, msgUnexpectedChar, quoteRune(r))
}

func (lx *lexer) number(start int) (token, *SyntaxError) {
	src := lx.src
	i := start
	for i < len(src) && src[i] >= '0' && src[i] <= '9' {
		i++
	}
	if i < len(src) && src[i] == '.' && !(i+1 < len(src) && src[i+1] == '.') {
		i++
		for i < len(src) && src[i] >= '0' && src[i] <= '9' {
			i++
		}
	}
	// The grammar above only leaves range errors possible, for which
	// ParseFloat already returns ±Inf: the XPath value of such a literal.
	f, _ := strconv.ParseFloat(src[start:i], 64)
	lx.pos = i
	return token{kind: tNumber, pos: start, end: i, val: src[start:i], num: f}, nil
}

func (lx *lexer) literal(start, openWidth, fam int) (token, *SyntaxError) {
	src := lx.src
	i := start + openWidth
	for i < len(src) {
		r, n := utf8.DecodeRuneInString(src[i:])
		if quoteFamily(r) == fam {
			val := src[start+openWidth : i]
			lx.scanLiteralRefs(val)
			lx.pos = i + n
			return token{kind: tString, pos: start, end: lx.pos, val: val}, nil
		}
		i += n
	}
	return token{}, lx.errAt(start, msgUnterminatedString)
}

// scanLiteralRefs records ${name} inside a string literal: pyxform
// substitutes those too, so the form's dependency graph must see them.
func (lx *lexer) scanLiteralRefs(s string) {
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '$' || s[i+1] != '{' {
			continue
		}
		end := i + 2
		for end < len(s) && s[end] != '}' {
			end++
		}
		if end == len(s) {
			return
		}
		if name := s[i+2 : end]; validRefName(name) {
			lx.addRef(name)
		}
		i = end
	}
}

func validRefName(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		if i == 0 && !isNameStart(r) || i > 0 && !isNameChar(r) {
			return false
		}
	}
	return true
}

func (lx *lexer) addRef(name string) {
	for _, r := range lx.refs {
		if r == name {
			return
		}
	}
	lx.refs = append(lx.refs, name)
}

// lastSavedPrefix marks ${last-saved#name}: the answer to name in the last
// record of the form saved on this device.
const lastSavedPrefix = "last-saved#"

func (lx *lexer) ref(start int) (token, *SyntaxError) {
	src := lx.src
	if start+1 >= len(src) || src[start+1] != '{' {
		return token{}, lx.errAt(start, msgDollar)
	}
	end := start + 2
	for end < len(src) && src[end] != '}' {
		end++
	}
	if end == len(src) {
		return token{}, lx.errAt(start, msgUnterminatedRef)
	}
	name := src[start+2 : end]
	kind := tRef
	if strings.HasPrefix(name, lastSavedPrefix) {
		kind, name = tLastSaved, name[len(lastSavedPrefix):]
	}
	if !validRefName(name) {
		return token{}, lx.errAt(start, msgInvalidRef, src[start+2:end])
	}
	if kind == tRef {
		lx.addRef(name)
	} else if !slices.Contains(lx.lastSaved, name) {
		lx.lastSaved = append(lx.lastSaved, name)
	}
	lx.pos = end + 1
	return token{kind: kind, pos: start, end: lx.pos, val: name}, nil
}

func (lx *lexer) name(start int) (token, *SyntaxError) {
	src := lx.src
	i := lx.scanName(start)
	// A QName prefix such as jr: in jr:choice-name; "::" is an axis.
	if i+1 < len(src) && src[i] == ':' && src[i+1] != ':' {
		r, _ := utf8.DecodeRuneInString(src[i+1:])
		if isNameStart(r) {
			i = lx.scanName(i + 1)
		}
	}
	val := src[start:i]
	lx.pos = i
	if lx.operatorPosition() {
		switch val {
		case "and":
			return token{kind: tAnd, pos: start, end: i, val: val}, nil
		case "or":
			return token{kind: tOr, pos: start, end: i, val: val}, nil
		case "div":
			return token{kind: tDiv, pos: start, end: i, val: val}, nil
		case "mod":
			return token{kind: tMod, pos: start, end: i, val: val}, nil
		}
	}
	// A name directly followed (after optional space) by '(' is a function.
	j := i
	for j < len(src) {
		r, n := utf8.DecodeRuneInString(src[j:])
		if !isSpaceRune(r) {
			break
		}
		j += n
	}
	if j < len(src) && src[j] == '(' {
		return token{kind: tFunc, pos: start, end: i, val: val}, nil
	}
	if j+1 < len(src) && src[j] == ':' && src[j+1] == ':' {
		return token{}, lx.errAt(j, msgAxes)
	}
	return token{kind: tName, pos: start, end: i, val: val}, nil
}
