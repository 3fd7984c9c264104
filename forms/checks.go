package forms

import (
	"strings"

	"github.com/fieldbench/fieldbench/forms/cnid"
)

// Glue to the validate column's rules (package cnid): standard
// go-playground/validator tags plus the Chinese identifier tags.

type tagProblem = cnid.Problem

// checkTags reports a validate column that can never work, at load time.
func checkTags(tags string) error { return cnid.CheckTags(tags) }

// checkValue applies the rules to a non-blank answer.
func checkValue(tags, value, lang string) []tagProblem {
	_, probs := cnid.Default().Check(tags, value, lang)
	return probs
}

// tagsCanWarn reports whether a validate rule string can raise a warning
// rather than an error: only the division check can (a well-formed code
// missing from the bundled edition).
func tagsCanWarn(tags string) bool {
	return strings.Contains(tags, cnid.KindDivision.Tag())
}

// normalizeByTags stores an answer as its rules normalise it: a resident
// ID's x as X, a mobile number without +86. An answer the rules refuse is
// kept as typed, so the collector sees what they entered.
func normalizeByTags(tags, s string) string {
	if strings.ContainsRune(s, '*') {
		// A masked answer (a sealed record measured without its key): no
		// cn_* rule takes a '*', so none would change it, and failing
		// each would only write messages no one reads.
		return s
	}
	norm, _ := cnid.Default().Check(tags, s, LangEn)
	return norm
}
