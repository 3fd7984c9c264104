package cnid

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/zh"
	"github.com/go-playground/locales/zh_Hant_TW"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	en_translations "github.com/go-playground/validator/v10/translations/en"
	zh_translations "github.com/go-playground/validator/v10/translations/zh"
	zh_tw_translations "github.com/go-playground/validator/v10/translations/zh_tw"
)

// Problem is one finding about an answer.
type Problem struct {
	Tag     string // the rule that failed: "cn_id", "min", an alternatives group such as "cn_mobile|email", or the bad rule for TagError
	Message string // in the language asked for
	Warning bool   // show it, but accept the answer
}

// Checker validates form answers against the rule strings that form authors
// write in the validate column: validator's standard tags plus the cn_* tags.
// Build one with NewChecker and share it; it is safe for concurrent use.
type Checker struct {
	v     *validator.Validate
	trans [3]ut.Translator // indexed by langIndex
	now   func() time.Time

	plans  sync.Map // tags string -> *plan
	nplans atomic.Int64
}

// maxPlans bounds the compiled-rule cache. Forms use a few dozen distinct
// rule strings; the bound only matters if rules come from somewhere hostile.
const maxPlans = 4096

// Subjects put in place of the empty field name that validator's messages
// start with when validating a lone value ("{0}为必填字段" → "此项为必填字段").
var subjects = [3]string{"此项", "此項", "This answer"}

// labelled fills an empty first parameter with a subject; validator's
// translations pass the field name there, and Var has none.
type labelled struct {
	ut.Translator
	subject string
}

func (t *labelled) T(key interface{}, params ...string) (string, error) {
	if len(params) > 0 && params[0] == "" {
		p := make([]string, len(params))
		copy(p, params)
		p[0] = t.subject
		params = p
	}
	return t.Translator.T(key, params...)
}

// NewChecker builds a Checker with the cn_* tags and messages in zh-Hans,
// zh-Hant and English. It is fairly costly (it registers a few hundred
// translations), so build one per process.
func NewChecker() *Checker {
	c := &Checker{v: validator.New(), now: time.Now}
	if err := Register(c.v); err != nil {
		panic("cnid: " + err.Error()) // fixed tag names; cannot fail unless the code is wrong
	}
	enLoc := en.New()
	uni := ut.New(enLoc, enLoc, zh.New(), zh_Hant_TW.New())
	setups := []struct {
		lang, locale string
		defaults     func(*validator.Validate, ut.Translator) error
	}{
		{LangHans, "zh", zh_translations.RegisterDefaultTranslations},
		{LangHant, "zh_Hant_TW", zh_tw_translations.RegisterDefaultTranslations},
		{LangEn, "en", en_translations.RegisterDefaultTranslations},
	}
	for _, s := range setups {
		base, _ := uni.GetTranslator(s.locale)
		li := langIndex(s.lang)
		t := &labelled{Translator: base, subject: subjects[li]}
		if err := s.defaults(c.v, t); err != nil {
			panic("cnid: " + s.lang + " translations: " + err.Error())
		}
		if err := RegisterTranslations(c.v, t, s.lang); err != nil {
			panic("cnid: " + s.lang + " translations: " + err.Error())
		}
		c.trans[li] = t
	}
	return c
}

var defaultChecker = sync.OnceValue(NewChecker)

// Default returns a process-wide Checker, built on first use.
func Default() *Checker { return defaultChecker() }

// CheckTags reports whether a rule string is usable, using Default.
func CheckTags(tags string) error { return Default().CheckTags(tags) }

// TagError reports an unusable rule string.
type TagError struct {
	Tags string // the whole rule string
	Tag  string // the offending rule
	Why  string
}

func (e *TagError) Error() string {
	if e.Tag == strings.TrimSpace(e.Tags) {
		return fmt.Sprintf("validate rule %q: %s", e.Tag, e.Why)
	}
	return fmt.Sprintf("validate rule %q in %q: %s", e.Tag, e.Tags, e.Why)
}

// CheckTags reports whether a rule string is usable, so that a form loader
// can reject a bad validate column at load time instead of failing on the
// first answer. validator panics on unknown tags and unparsable parameters;
// those panics come back here as a *TagError. Rules that compare with other
// struct fields, and dive, are rejected because an answer is a lone string.
func (c *Checker) CheckTags(tags string) error {
	return c.plan(tags).err
}

// Check validates one answer against a rule string and returns the value to
// store (normalised by the cn_* rules: X upper-cased, +86 removed, white
// space removed) and the problems found, in the language asked for (see
// NormLang). A blank answer is not checked at all: whether an answer is
// required is the form's business, not the rule's. cn_* rules run first,
// in order, each on the value normalised so far; alternatives groups
// ("a|b") next; validator's standard tags last, on the normalised value.
func (c *Checker) Check(tags, value, lang string) (string, []Problem) {
	if strings.TrimSpace(value) == "" {
		return value, nil
	}
	li := langIndex(NormLang(lang))
	p := c.plan(tags)
	if p.err != nil {
		te := p.err.(*TagError)
		return value, []Problem{{Tag: te.Tag, Message: fill(badRule[li], "", te.Tag, te.Why)}}
	}
	var now time.Time // zero for rules that do not read it
	if p.clock {
		now = c.now()
	}
	norm := value
	var probs []Problem
	for _, ck := range p.cn {
		n, err := ck.fn(norm, now)
		if passes(err) {
			norm = n
		}
		if err != nil {
			probs = append(probs, Problem{Tag: ck.tag, Message: Message(err, langTags[li]), Warning: passes(err)})
		}
	}
	for _, g := range p.or {
		var pr []Problem
		norm, pr = c.checkGroup(g, norm, now, li)
		probs = append(probs, pr...)
	}
	if p.std != "" {
		probs = append(probs, c.runStd(norm, p.std, li)...)
	}
	return norm, probs
}

// checkGroup passes if any alternative passes; otherwise one problem lists
// why each failed.
func (c *Checker) checkGroup(g orGroup, norm string, now time.Time, li int) (string, []Problem) {
	msgs := make([]string, 0, len(g.alts))
	for _, a := range g.alts {
		if a.cn != nil {
			n, err := a.cn.fn(norm, now)
			if err == nil {
				return n, nil
			}
			if passes(err) {
				return n, []Problem{{Tag: a.cn.tag, Message: Message(err, langTags[li]), Warning: true}}
			}
			msgs = append(msgs, Message(err, langTags[li]))
			continue
		}
		ps := c.runStd(norm, a.std, li)
		if len(ps) == 0 {
			return norm, nil
		}
		msgs = append(msgs, ps[0].Message)
	}
	if li == langIndex(LangEn) {
		for i := 1; i < len(msgs); i++ {
			msgs[i] = lowerFirst(msgs[i])
		}
	}
	return norm, []Problem{{Tag: g.text, Message: strings.Join(msgs, orJoin[li])}}
}

// lowerFirst lower-cases a sentence's capital for use after "; or ", but
// leaves acronyms such as "URL" alone.
func lowerFirst(s string) string {
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z' {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}

var (
	langTags = [3]string{LangHans, LangHant, LangEn}
	orJoin   = [3]string{"；或者", "；或者", "; or "}
	badRule  = [3]string{"校验规则“{0}”无效：{1}", "校驗規則「{0}」無效：{1}", "The validation rule “{0}” is invalid: {1}"}
	noMsg    = [3]string{"此项不符合校验规则“{0}”", "此項不符合校驗規則「{0}」", "This answer does not satisfy the rule “{0}”"}
)

// runStd runs validator's standard tags and translates what fails.
func (c *Checker) runStd(val, tags string, li int) []Problem {
	err := safeVar(c.v, val, tags)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return []Problem{{Tag: tags, Message: fill(badRule[li], "", tags, err.Error())}}
	}
	out := make([]Problem, 0, len(ves))
	for _, fe := range ves {
		out = append(out, Problem{Tag: fe.Tag(), Message: c.translate(fe, li)})
	}
	return out
}

func (c *Checker) translate(fe validator.FieldError, li int) (msg string) {
	rule := fe.Tag()
	if fe.Param() != "" {
		rule += "=" + fe.Param()
	}
	defer func() {
		// Translation functions parse parameters too; never let a message
		// take the process down.
		if recover() != nil {
			msg = fill(noMsg[li], "", rule, "")
		}
	}()
	msg = fe.Translate(c.trans[li])
	if msg == fe.Error() { // validator's way of saying "no translation"
		msg = fill(noMsg[li], "", rule, "")
	}
	return msg
}

// safeVar runs v.Var, turning a panic (unknown tag, bad parameter) into an
// error.
func safeVar(v *validator.Validate, val, tags string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return v.Var(val, tags)
}

// plan is a rule string compiled once: which parts are ours, which go to
// validator.
type plan struct {
	err error // *TagError
	cn  []*check
	or  []orGroup
	std string // standard tags, comma-joined, for one Var call
	// clock says a cn_* rule of the plan reads the time.
	clock bool
}

type orGroup struct {
	text string // as written, for Problem.Tag
	alts []alt
}

type alt struct {
	cn  *check // one of ours, or
	std string // one standard tag
}

func (c *Checker) plan(tags string) *plan {
	if p, ok := c.plans.Load(tags); ok {
		return p.(*plan)
	}
	p := c.compile(tags)
	if c.nplans.Add(1) <= maxPlans {
		c.plans.Store(tags, p)
	}
	return p
}

// crossField lists tags that compare with other struct fields or descend
// into collections; a lone answer has neither, so they could only fail or
// panic at run time.
var crossField = map[string]bool{
	"dive": true, "keys": true, "endkeys": true, "structonly": true, "nostructlevel": true,
	"eqfield": true, "nefield": true, "gtfield": true, "gtefield": true, "ltfield": true, "ltefield": true,
	"eqcsfield": true, "necsfield": true, "gtcsfield": true, "gtecsfield": true, "ltcsfield": true, "ltecsfield": true,
	"fieldcontains": true, "fieldexcludes": true,
	"required_if": true, "required_unless": true, "required_with": true, "required_with_all": true,
	"required_without": true, "required_without_all": true,
	"excluded_if": true, "excluded_unless": true, "excluded_with": true, "excluded_with_all": true,
	"excluded_without": true, "excluded_without_all": true, "skip_unless": true,
}

// compile splits a rule string the way validator does (commas between
// rules, | between alternatives; literal commas and bars are written 0x2C
// and 0x7C) and tries every standard rule once on a sample value, which is
// when validator panics about unknown tags and bad parameters. Space around
// rules is dropped and empty rules are skipped, since authors type
// "cn_id, required" and trailing commas.
func (c *Checker) compile(tags string) *plan {
	p := &plan{}
	var std []string
	fail := func(tag, why string) *plan {
		return &plan{err: &TagError{Tags: tags, Tag: tag, Why: why}}
	}
	for _, item := range strings.Split(tags, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if !strings.Contains(item, "|") {
			a, why := c.compileOne(item)
			if why != "" {
				return fail(item, why)
			}
			if a.cn != nil {
				p.cn = append(p.cn, a.cn)
				p.clock = p.clock || a.cn.clock
			} else {
				std = append(std, a.std)
			}
			continue
		}
		g := orGroup{text: item}
		for _, s := range strings.Split(item, "|") {
			s = strings.TrimSpace(s)
			if strings.HasPrefix(s, "omit") {
				// Alternatives are tried one by one, so an omit* keyword
				// there would make the whole group pass.
				return fail(s, "cannot be an alternative")
			}
			a, why := c.compileOne(s)
			if why != "" {
				return fail(s, why)
			}
			g.alts = append(g.alts, a)
			p.clock = p.clock || a.cn != nil && a.cn.clock
		}
		p.or = append(p.or, g)
	}
	p.std = strings.Join(std, ",")
	return p
}

func (c *Checker) compileOne(tag string) (alt, string) {
	if tag == "" {
		return alt{}, "empty alternative"
	}
	name, _, hasParam := strings.Cut(tag, "=")
	if ck, ok := checkByTag[name]; ok {
		if hasParam {
			return alt{}, "takes no parameter"
		}
		return alt{cn: ck}, ""
	}
	if crossField[name] {
		return alt{}, "refers to other fields or elements, which a single answer does not have"
	}
	if err := safeVar(c.v, "x", tag); err != nil {
		var ves validator.ValidationErrors
		if !errors.As(err, &ves) {
			why := strings.TrimSuffix(err.Error(), " on field ''")
			switch {
			case strings.HasPrefix(why, "Undefined validation function"):
				why = "unknown rule"
			case strings.HasPrefix(why, "strconv."):
				why = "missing or bad parameter (" + why + ")"
			}
			return alt{}, why
		}
	}
	return alt{std: tag}, ""
}
