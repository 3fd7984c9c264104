package seal

import "github.com/fieldbench/fieldbench/forms"

// A PersonalAnswer is an answer its question makes personal (a name, an
// ID number, a phone...; forms.MaskClass) and masking hides: the laptop
// keeps its blind index (DataKey.Index) beside the sealed record, so
// duplicates and an exact search work without opening the sealed part.
type PersonalAnswer struct {
	Pointer string // forms.AnswerAt.Pointer: "/head_id", "/members/0/m_id"
	Kind    string // the question's class, the Index kind
	Value   string // clear
}

// PersonalAnswers lists the relevant answers of in that masking changes
// by their question's class, in document order. Numbers masked inside
// free text are not among them: an index of a whole note would only say
// that two notes are equal.
func PersonalAnswers(in *forms.Instance) []PersonalAnswer {
	var out []PersonalAnswer
	in.EachAnswerAt(func(fd *forms.Field, at forms.AnswerAt, value string, relevant bool) {
		if value == "" || !relevant {
			return
		}
		kind := forms.MaskClass(fd)
		if kind == "" || forms.MaskAnswer(fd, value) == value {
			return
		}
		out = append(out, PersonalAnswer{Pointer: at.Pointer(), Kind: kind, Value: value})
	})
	return out
}

// IndexKinds are the kinds PersonalAnswers gives, for a search that
// tries a typed value as each of them.
var IndexKinds = []string{forms.SensitiveName, forms.SensitiveIDNumber, forms.SensitivePhone,
	forms.SensitiveBankCard, forms.SensitiveAddress}
