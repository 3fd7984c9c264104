package tui

import (
	"errors"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/fieldbench/fieldbench/forms"
)

// The rules of the first-run setup and of Settings, one source for the
// full screen, the plain prompts and --collector alike.

// collectorMaxRunes bounds the collector's name: it is written on every
// record and audit row, and must fit a column of the review screens.
const collectorMaxRunes = 40

var (
	ErrCollectorEmpty   = errors.New("the collector's name is empty")
	ErrCollectorTooLong = errors.New("the collector's name is longer than 40 characters")
	errURLInvalid       = errors.New("not an http or https address")
	errCodeMissing      = errors.New("an address without an enrolment code")
	errURLMissing       = errors.New("an enrolment code without an address")
)

// CollectorName is the name as it is stored: escape and control
// sequences stripped (a pasted name must not carry terminal commands into
// every record), runs of spaces made one, ends trimmed. A name that is
// empty after that, or too long, is refused.
func CollectorName(s string) (string, error) {
	s = strings.Join(strings.Fields(forms.Sanitize(s, false)), " ")
	if s == "" {
		return "", ErrCollectorEmpty
	}
	if utf8.RuneCountInString(s) > collectorMaxRunes {
		return "", ErrCollectorTooLong
	}
	return s, nil
}

// catalogueURL checks an optional catalogue address: empty, or http(s)
// with a host.
func catalogueURL(s string) (string, error) {
	s = strings.TrimSpace(forms.Sanitize(s, false))
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return s, errURLInvalid
	}
	return s, nil
}

// enrolmentCode is an optional code as typed, trimmed.
func enrolmentCode(s string) string { return strings.TrimSpace(forms.Sanitize(s, false)) }

// enrolPair checks that an address and a code come together: one without
// the other cannot enrol, and dropping it silently would lose what was
// typed.
func enrolPair(address, code string) error {
	switch {
	case address != "" && code == "":
		return errCodeMissing
	case address == "" && code != "":
		return errURLMissing
	}
	return nil
}

// enrolPairKeeping is enrolPair for a laptop that may be enrolled
// already (Settings): keeping the stored address needs no code, a new one
// does. With nothing stored (the first run) it is enrolPair.
func enrolPairKeeping(stored, address, code string) error {
	if address == stored && code == "" {
		return nil
	}
	return enrolPair(address, code)
}

// enrolment is the collector's name and the catalogue's address and
// enrolment code as they are stored.
type enrolment struct{ name, address, code string }

// checkEnrolment applies the rules of the first run and of Settings to
// what was typed, in the order their forms ask: the name, the address,
// then the address and code together (stored is the address already
// stored, "" on the first run). The error joins every rule refused, for
// ruleText to say the first.
func checkEnrolment(name, address, code, stored string) (enrolment, error) {
	var e enrolment
	var nameErr, addressErr error
	e.name, nameErr = CollectorName(name)
	e.address, addressErr = catalogueURL(address)
	e.code = enrolmentCode(code)
	return e, errors.Join(nameErr, addressErr, enrolPairKeeping(stored, e.address, e.code))
}

// RuleText is a refused setup answer (or --collector) in the interface
// language.
func RuleText(lang string, err error) string { return ruleText(lang, err) }

func ruleText(lang string, err error) string {
	switch {
	case errors.Is(err, ErrCollectorEmpty):
		return t(lang, "setup_name_empty")
	case errors.Is(err, ErrCollectorTooLong):
		return t(lang, "setup_name_long")
	case errors.Is(err, errURLInvalid):
		return t(lang, "setup_url_bad")
	case errors.Is(err, errCodeMissing):
		return t(lang, "setup_code_missing")
	case errors.Is(err, errURLMissing):
		return t(lang, "setup_url_missing")
	}
	return t(lang, "error") + ": " + clean(err.Error())
}
