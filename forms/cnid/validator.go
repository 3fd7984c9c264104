package cnid

import (
	"errors"
	"reflect"
	"time"

	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
)

// check is one cn_* tag: the pure function behind it, with the clock passed
// in so that Checker tests can pin "today".
type check struct {
	tag  string
	kind Kind
	fn   func(s string, now time.Time) (string, error)
	// clock says fn reads now: Checker.Check skips reading the clock,
	// which is slow on some virtual machines, for rules that do not.
	clock bool
}

var checks = []*check{
	{KindResidentID.Tag(), KindResidentID, residentID, true},
	{KindCreditCode.Tag(), KindCreditCode, ignoreNow(CreditCode), false},
	{KindMobile.Tag(), KindMobile, ignoreNow(Mobile), false},
	{KindPostcode.Tag(), KindPostcode, ignoreNow(Postcode), false},
	{KindDivision.Tag(), KindDivision, ignoreNow(Division), false},
}

var checkByTag = func() map[string]*check {
	m := make(map[string]*check, len(checks))
	for _, c := range checks {
		m[c.tag] = c
	}
	return m
}()

func ignoreNow(f func(string) (string, error)) func(string, time.Time) (string, error) {
	return func(s string, _ time.Time) (string, error) { return f(s) }
}

// passes says whether a check result lets the tag pass: warnings do, since
// an unknown division code may just be newer than the bundled list.
func passes(err error) bool {
	return err == nil || IsWarning(err)
}

// Register adds the tags cn_id, cn_uscc, cn_mobile, cn_postcode and
// cn_division to v. They apply to string fields (any other kind fails).
// As with validator's own tags, an empty string fails; add omitempty for
// optional fields. cn_division fails only on malformed codes: an unknown
// code passes, and callers who want the warning call Division themselves.
func Register(v *validator.Validate) error {
	for _, c := range checks {
		err := v.RegisterValidation(c.tag, func(fl validator.FieldLevel) bool {
			f := fl.Field()
			if f.Kind() != reflect.String {
				return false
			}
			_, err := c.fn(f.String(), time.Now())
			return passes(err)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// reasons lists every Reason, plus "" for the generic message, in the order
// translation keys are registered.
var reasons = []Reason{"", ReasonEmpty, ReasonLength, ReasonChars, ReasonChecksum, ReasonOld15,
	ReasonBirthDate, ReasonBirthFuture, ReasonBirthEarly, ReasonPrefix, ReasonUnknown}

// TranslationKey is the universal-translator key under which
// RegisterTranslations stores the message for a tag and reason, e.g.
// "cn_id.checksum". Add your own text under that key before calling
// RegisterTranslations to replace ours.
func TranslationKey(k Kind, r Reason) string {
	return k.Tag() + "." + string(r)
}

// RegisterTranslations registers messages for the cn_* tags with trans, in
// lang (zh-Hans, zh-Hant or en; see NormLang), so that FieldError.Translate
// works for them. The message is as specific as the pure functions: the
// failing value is checked again to find the reason. A struct field's name
// is put in front ("Applicant：身份证号码校验位不正确").
func RegisterTranslations(v *validator.Validate, trans ut.Translator, lang string) error {
	li := langIndex(NormLang(lang))
	for _, c := range checks {
		register := func(t ut.Translator) error {
			for _, r := range reasons {
				e := &Error{Kind: c.kind, Reason: r}
				// Keep {0} and {1} for ut; only the name is fixed here.
				text := fill(lookupMessage(c.kind, r)[li], e.name(li), "{0}", "{1}")
				err := t.Add(TranslationKey(c.kind, r), text, false)
				var conflict *ut.ErrConflictingTranslation
				if err != nil && !errors.As(err, &conflict) {
					return err
				}
			}
			return nil
		}
		translate := func(t ut.Translator, fe validator.FieldError) string {
			r := Reason("")
			p0, p1 := "", ""
			if s, ok := fe.Value().(string); ok {
				var e *Error
				if _, err := c.fn(s, time.Now()); errors.As(err, &e) {
					r = e.Reason
					p0, p1 = e.params()
				}
			}
			msg, err := t.T(TranslationKey(c.kind, r), p0, p1)
			if err != nil {
				msg = (&Error{Kind: c.kind}).Message(lang)
			}
			if f := fe.Field(); f != "" {
				msg = f + [3]string{"：", "：", ": "}[li] + msg
			}
			return msg
		}
		if err := v.RegisterTranslation(c.tag, trans, register, translate); err != nil {
			return err
		}
	}
	return nil
}

// lookupMessage finds the texts for a kind and reason, falling back to the
// generic reason text and then to the generic "not valid".
func lookupMessage(k Kind, r Reason) [3]string {
	if m, ok := messages[msgKey{k, r}]; ok {
		return m
	}
	if m, ok := messages[msgKey{"", r}]; ok {
		return m
	}
	return messages[msgKey{"", ""}]
}
