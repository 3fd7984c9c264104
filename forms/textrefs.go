package forms

import "strings"

// refText is a cell that is not an expression but may show answers:
// ${name} in a label, hint, message, media file name or choice label.
type refText struct {
	loc  Location
	text string
}

// noteRefText keeps a cell holding ${ for compile to check.
func (b *builder) noteRefText(loc Location, text string) {
	if strings.Contains(text, "${") {
		b.f.refTexts = append(b.f.refTexts, refText{loc, text})
	}
}

// exprColumns are the survey columns compile parses as expressions, with
// their references checked there.
var exprColumns = map[string]bool{
	"relevant": true, "constraint": true, "calculation": true, "required": true, "read_only": true,
	"default": true, "choice_filter": true, "repeat_count": true, "warning": true,
	"trigger": true, // its ${name}s are checked by resolveTriggers
}

// noteSurveyRefTexts keeps the cells of a survey row that may show answers:
// every column but type, name, the expression columns and the refused ones
// (pyxform checks the same cells).
func (r *surveyReader) noteSurveyRefTexts(row []string, idx int) {
	for _, c := range r.t.cols {
		if c.kind == colRefused || (c.kind == colUsed && (c.key == "type" || c.key == "name" || exprColumns[c.key])) {
			continue
		}
		r.b.noteRefText(r.b.loc(r.t.sh, idx, c.header), cell(row, c.index))
	}
}

// checkTextRefs checks each ${name} of the kept cells as an expression's
// references are checked, and its spelling as pyxform does: ${ closed by
// }, a question name inside. "${}" is left alone, as pyxform leaves it.
func checkTextRefs(f *Form) LoadErrors {
	var errs LoadErrors
	for _, rt := range f.refTexts {
		s := rt.text
		for {
			i := strings.Index(s, "${")
			if i < 0 {
				break
			}
			s = s[i+2:]
			j := strings.IndexByte(s, '}')
			if j < 0 {
				errs = append(errs, newLoadError(rt.loc, ldRefNotClosed, quote(clip(rt.text))))
				break
			}
			inner := s[:j]
			s = s[j+1:]
			if inner == "" {
				continue
			}
			name := strings.TrimPrefix(inner, "last-saved#")
			if !validName(name) {
				errs = append(errs, newLoadError(rt.loc, ldRefMalformed, quote("${"+inner+"}")))
				continue
			}
			if name == inner {
				errs = append(errs, f.checkAnswerRef(rt.loc, name)...)
			} else {
				errs = append(errs, f.checkRef(rt.loc, name, inner)...)
			}
		}
	}
	f.refTexts = nil
	return errs
}
