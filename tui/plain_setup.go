package tui

import (
	"context"
	"errors"
	"fmt"
)

// setup asks the first-run questions as line prompts: the same questions
// and rules as the full-screen setup, for TERM=dumb, ACCESSIBLE and input
// that is not a terminal. huh's accessible mode is not used: it reads
// each answer through a scanner of its own, which loses piped lines read
// ahead, and prints fixed English prompts.
func (p *plainRun) setup(enrol EnrolFunc, readSecret func(string) (string, error)) error {
	if err := p.setupNameAndCatalogue(enrol); err != nil {
		return err
	}
	return p.offerPassphrase(readSecret)
}

// offerPassphrase is the setup's optional passphrase, asked without echo
// twice; an empty one skips it.
func (p *plainRun) offerPassphrase(readSecret func(string) (string, error)) error {
	if readSecret == nil {
		return nil
	}
	p.say("\n" + t(p.lang, "pass_title"))
	p.say(t(p.lang, "pass_gain"))
	p.say(t(p.lang, "pass_cost"))
	for {
		pass, err := readSecret(p.t("pass_new"))
		if err != nil || pass == "" {
			return nil // no terminal after all, or skipped: as both left empty
		}
		again, err := readSecret(p.t("pass_again"))
		if err != nil {
			return nil
		}
		if again != pass {
			p.say(t(p.lang, "pass_mismatch"))
			continue
		}
		if err := p.db.SetPassphrase(p.ctx, pass); err != nil {
			return err
		}
		p.say(t(p.lang, "pass_set_done"))
		return nil
	}
}

func (p *plainRun) setupNameAndCatalogue(enrol EnrolFunc) error {
	p.say("\n" + t(p.lang, "setup_title"))
	p.say(t(p.lang, "setup_intro"))
	var name string
	for name == "" {
		line, err := p.line(p.t("setup_name"))
		if err != nil {
			return err
		}
		if plainFold(line) == "!q" {
			return errPlainQuit
		}
		if name, err = CollectorName(line); err != nil {
			p.say(ruleText(p.lang, err))
		}
	}
	if err := p.db.SetCollector(p.ctx, name); err != nil {
		return err
	}
	p.say(p.t("collector") + name)
	for {
		address, code, err := p.askEnrolment()
		if err != nil || address == "" {
			return err
		}
		p.say(t(p.lang, "setup_enrolling"))
		err = errors.New("enrolment is not available here")
		var township string
		if enrol != nil {
			ctx, cancel := context.WithTimeout(p.ctx, enrolTimeout)
			township, err = enrol(ctx, address, code)
			cancel()
		}
		if err == nil {
			p.say(fmt.Sprintf(t(p.lang, "setup_enrolled"), clean(township)))
			return nil
		}
		p.say(enrolFailure(p.lang, p.db.DeviceID(), err))
		again, _, err := p.confirm(p.t("setup_retry"))
		if err != nil || !again {
			p.say(t(p.lang, "setup_enrol_later"))
			return err
		}
	}
}

// askEnrolment asks for the catalogue's address and, when one is given,
// the code. An empty address skips enrolment; so does an empty code,
// said aloud, since the address alone cannot enrol.
func (p *plainRun) askEnrolment() (address, code string, err error) {
	for {
		line, err := p.line(p.t("setup_url"))
		if err != nil {
			return "", "", err
		}
		if address, err = catalogueURL(line); err != nil {
			p.say(ruleText(p.lang, err))
			continue
		}
		if address == "" {
			p.say(t(p.lang, "setup_enrol_later"))
			return "", "", nil
		}
		break
	}
	line, err := p.line(p.t("setup_code"))
	if err != nil {
		return "", "", err
	}
	if code = enrolmentCode(line); enrolPair(address, code) != nil {
		p.say(t(p.lang, "setup_enrol_later"))
		return "", "", nil
	}
	return address, code, nil
}
