// Package forms holds the form model, the XLSForm loader, the expression
// engine's bindings and answer validation. It does no I/O beyond reading a
// form definition: no SQLite, no HTTP.
package forms

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/fieldbench/fieldbench/forms/expr"
	"github.com/fieldbench/fieldbench/forms/pinyin"
)

// Form is one loaded form definition: the questions in document order, the
// choice lists and the settings. A Form is immutable once Load returns it.
type Form struct {
	File            string // file name the form was read from, for messages
	ID              string // settings form_id (or id_string), else the file name without extension
	Title           string // settings form_title (or title), else ID
	Version         string
	DefaultLanguage string   // as written in settings, e.g. "English (en)"; "" if unset
	Languages       []string // languages used by label/hint/message columns, in first-seen order; "" is the untagged column
	InstanceName    *Expression
	PublicKey       string
	Settings        map[string]string // every settings column, lower-cased keys, raw values

	Root   *Field            // a synthetic group holding the top-level fields
	Fields []*Field          // every field (groups and repeats included) in document order
	byName map[string]*Field // filled by Load; nil for a name used more than once
	byKey  map[levelKey]*Field
	// levelKeys is byKey split by level (indexed as Instance.levelIndex):
	// filling a record looks every key up, and a string key hashes faster.
	levelKeys []map[string]*Field
	plan      *plan // built by compile
	// langMatch is MatchLanguage by interface language, filled by compile.
	langMatch map[string]string
	// refTexts are the cells outside expressions that hold ${...} (labels,
	// hints, messages, media, choice labels), kept by the builder for
	// compile to check their references; compile drops them.
	refTexts []refText

	jsonSize atomic.Int64 // the largest record MarshalJSON wrote, to size the next buffer

	// maskings is EntityMaskings, worked out on first use.
	maskingsOnce sync.Once
	maskings     map[string]EntityMasking

	// usesLastSaved and usesInstanceID say whether an expression reads
	// ${last-saved#...} or ${instanceID}, so callers fetch them only then.
	usesLastSaved, usesInstanceID bool

	Lists map[string]*ChoiceList

	// Attachments are the data files the form names, in the order the
	// survey first names them (see Attachment).
	Attachments []*Attachment
	fileLists   []*fileChoices
	// columnReads are the columns of secondary instances the form's
	// expressions read (EntityPropertiesRead).
	columnReads []expr.InstanceColumn
	// instances are what instance('name') and pulldata() read, by name:
	// the attached files and the choice lists so read.
	instances       map[string]expr.Instance
	allowDupChoices bool

	// entities are the entities sheet's declarations, in sheet order.
	entities []*entityDef

	// Warnings are load-time findings that do not stop the form from loading
	// (an unknown extra sheet, an ignored media column...).
	Warnings []*LoadError
}

// levelKey finds a field by its record key within a level.
type levelKey struct {
	level *Field
	key   string
}

// Field looks a field up by name; nil if there is none, or if the name is
// used by more than one question (XLSForm allows that in different groups).
func (f *Form) Field(name string) *Field { return f.byName[name] }

// Type is a question type.
type Type int

const (
	TypeInvalid Type = iota
	TypeText
	TypeInteger
	TypeDecimal
	TypeDate
	TypeTime
	TypeDateTime
	TypeSelectOne
	TypeSelectMultiple
	TypeNote
	TypeCalculate
	TypeAcknowledge
	TypeGroup
	TypeRepeat
	// Metadata: filled by the device, never asked.
	TypeStart
	TypeEnd
	TypeToday
	TypeDeviceID
	TypeUsername
	TypeGeopoint // kept as a "lat lon [alt acc]" text answer
	TypeBarcode  // a text answer
	// Attachments: the answer is the file name of a file kept beside the
	// record (XLSForm image/photo, audio, video, file). fieldbench stores the
	// name as text; it never interprets the file's content.
	TypeImage
	TypeAudio
	TypeVideo
	TypeFile
	// Device properties (metadata a phone would fill). A PC has no SIM or
	// phone number, so the engine fills these from the device profile when
	// it has one and leaves them blank otherwise.
	TypePhoneNumber
	TypeEmail
	TypeSimSerial
	TypeSubscriberID
	// Lines and areas on a map, kept as text: points "lat lon [alt acc]"
	// separated by ";"; a geoshape ends where it starts.
	TypeGeotrace
	TypeGeoshape
	// TypeRank orders every choice of its list: the answer is their names,
	// separated by spaces, the first ranked first.
	TypeRank
	// Locations a phone records by itself. A terminal has no GPS, so
	// fieldbench leaves them blank (see forms show).
	TypeStartGeopoint
	TypeBackgroundGeopoint
	// TypeAudit is ODK's log of how the record was filled. fieldbench's own
	// audit trail is that record's paradata; the question stays blank.
	TypeAudit
)

var typeNames = map[Type]string{
	TypeText: "text", TypeInteger: "integer", TypeDecimal: "decimal", TypeDate: "date",
	TypeTime: "time", TypeDateTime: "dateTime", TypeSelectOne: "select_one",
	TypeSelectMultiple: "select_multiple", TypeNote: "note", TypeCalculate: "calculate",
	TypeAcknowledge: "acknowledge", TypeGroup: "group", TypeRepeat: "repeat",
	TypeStart: "start", TypeEnd: "end", TypeToday: "today", TypeDeviceID: "deviceid",
	TypeUsername: "username", TypeGeopoint: "geopoint", TypeBarcode: "barcode",
	TypeImage: "image", TypeAudio: "audio", TypeVideo: "video", TypeFile: "file",
	TypePhoneNumber: "phonenumber", TypeEmail: "email", TypeSimSerial: "simserial",
	TypeSubscriberID: "subscriberid", TypeGeotrace: "geotrace", TypeGeoshape: "geoshape", TypeRank: "rank",
	TypeStartGeopoint: "start-geopoint", TypeBackgroundGeopoint: "background-geopoint", TypeAudit: "audit",
}

func (t Type) String() string {
	if s, ok := typeNames[t]; ok {
		return s
	}
	return "invalid"
}

// IsContainer reports whether fields of this type hold other fields.
func (t Type) IsContainer() bool { return t == TypeGroup || t == TypeRepeat }

// IsMeta reports whether the device fills the field without asking.
func (t Type) IsMeta() bool {
	switch t {
	case TypeStart, TypeEnd, TypeToday, TypeDeviceID, TypeUsername,
		TypePhoneNumber, TypeEmail, TypeSimSerial, TypeSubscriberID,
		TypeStartGeopoint, TypeBackgroundGeopoint, TypeAudit:
		return true
	}
	return false
}

// IsSelect reports whether answers name choices of a list: select_one,
// select_multiple and rank.
func (t Type) IsSelect() bool {
	return t == TypeSelectOne || t == TypeSelectMultiple || t == TypeRank
}

// ManyChoices reports whether an answer names several choices, separated
// by spaces: select_multiple, and rank, whose order counts.
func (t Type) ManyChoices() bool { return t == TypeSelectMultiple || t == TypeRank }

// IsAttachment reports whether the answer names an attached file.
func (t Type) IsAttachment() bool {
	switch t {
	case TypeImage, TypeAudio, TypeVideo, TypeFile:
		return true
	}
	return false
}

// HasAnswer reports whether a record carries a value for fields of this type.
func (t Type) HasAnswer() bool { return !t.IsContainer() && t != TypeNote }

// Field is one row of the survey sheet: a question, a calculation, a note,
// a metadata item, or a group or repeat with children.
type Field struct {
	Name string
	// Key is the field's key in a record: its name, or where another
	// question at the same level (the record, or one repeat) has the same
	// name, the path of groups down to it, e.g. "maize/I_maize/dola_price".
	Key      string
	Type     Type
	ListName string // for selects
	OrOther  bool   // `select_one x or_other`: the list gets an "other" choice
	// ChoicesFrom is, for `select_one ${name}`, the question whose answers
	// are the choices (ListName is then ""): each non-blank answer to it,
	// in the instances of its repeat, is a choice named and labelled by
	// that answer, as pyxform builds the list.
	ChoicesFrom string

	Label         Text
	Hint          Text
	ConstraintMsg Text
	RequiredMsg   Text
	WarningMsg    Text        // the warning column's message (fieldbench extension)
	Required      *Expression // nil: not required
	Relevant      *Expression
	Constraint    *Expression
	// Warning is a soft check (fieldbench extension): like Constraint, but
	// an answer that makes it false is kept and flagged for the collector to
	// confirm, never refused.
	Warning      *Expression
	Calculation  *Expression
	Default      *Expression // a literal is kept as an expression source quoted by the loader
	ChoiceFilter *Expression
	ReadOnly     *Expression
	RepeatCount  *Expression
	// Trigger names the questions (the trigger column's ${name}s) whose
	// change sets this one: to TriggerValue worked out then (the
	// calculation column), or blank. Such a question has no Calculation:
	// ODK recalculates it only when a trigger changes.
	Trigger      []string
	TriggerValue *Expression
	Appearance   string
	Validate     string            // go-playground/validator tags, e.g. "cn_id"
	Sensitive    string            // name, id_number, phone, address, bank_card or ""
	Parameters   map[string]string // the parameters column, parsed k=v
	// SaveTo is the entity property the answer is saved to (the save_to
	// column), without its "LIST#" prefix; SaveList is the list.
	SaveTo, SaveList string

	Parent   *Field   // enclosing group or repeat; Form.Root for top-level fields
	Children []*Field // for groups and repeats, in order
	Repeat   *Field   // nearest enclosing repeat, nil at the top level

	Loc Location // where the row is: file, sheet, row (column empty)

	idx int // position in Form.Fields, set by compile; indexes the evaluation plan
}

// Text is a translatable string: language (as written in the column header,
// e.g. "English (en)", or "" for an untagged column) to text.
type Text map[string]string

// In returns the text in lang, falling back to the untagged text, then to
// any language in a stable order.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	if s, ok := t[""]; ok && s != "" {
		return s
	}
	best := ""
	for k, s := range t {
		if s != "" && (best == "" || k < best) {
			best = k
		}
	}
	return t[best]
}

// ChoiceList is one list_name of the choices sheet (or a built-in list).
type ChoiceList struct {
	Name    string
	Choices []*Choice
	Columns []string // extra columns usable in choice_filter, in sheet order
	Loc     Location // first row of the list
	index   map[string]*Choice
	dups    bool // some name appears twice (settings allow_choice_duplicates)
	// fromFile marks a list read from an attached file: its labels are
	// shown as written, and its columns are the file's own.
	fromFile bool
}

// FromFile reports whether the list's choices come from an attached file.
func (l *ChoiceList) FromFile() bool { return l.fromFile }

// Choice is one option of a list.
type Choice struct {
	Name  string
	Label Text // nil in the built-in lists, whose one label is in label
	Loc   Location
	// Built-in lists hold tens of thousands of choices for the life of the
	// process: a label string and a slice of column values, not two maps
	// each, keep them a few MB that the collector scans cheaply.
	label string
	extra []string    // values of list.Columns, in order ("" where blank)
	list  *ChoiceList // the list this choice came from, for its Columns
}

// LabelIn is the choice's label in lang, falling back as Text.In does. A
// built-in division, whose one label is its Chinese name, is shown to an
// English reader in pinyin with the name after it: "Dazhi Jiedao (大智街道)".
func (c *Choice) LabelIn(lang string) string {
	if c.Label == nil {
		if c.list != nil && c.list.fromFile {
			return c.label
		}
		return DivisionName(c.label, lang)
	}
	return c.Label.In(lang)
}

// DivisionName is a built-in division's name as people read it in lang:
// in pinyin with the characters after it for English ("Dazhi Jiedao
// (大智街道)"), as it is otherwise. The built-in lists and the answers of
// cn_division questions both show names through it.
func DivisionName(name, lang string) string {
	if name != "" && isEnglish(lang) {
		return pinyin.Place(name) + " (" + name + ")"
	}
	return name
}

// Extra is the value of the list's extra column name (matched as written,
// then lower-cased); "" when the choice leaves it blank or there is none.
func (c *Choice) Extra(name string) string {
	if c.list == nil {
		return ""
	}
	for pass := 0; pass < 2; pass++ {
		for i, col := range c.list.Columns {
			if col == name && i < len(c.extra) {
				return c.extra[i]
			}
		}
		name = strings.ToLower(name)
	}
	return ""
}

// Lookup finds a choice by name.
func (l *ChoiceList) Lookup(name string) *Choice {
	if l.index != nil {
		return l.index[name]
	}
	for _, c := range l.Choices {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// buildIndex makes Lookup a map access. Called once when the form is
// compiled, before the list is shared, so lookups never write.
func (l *ChoiceList) buildIndex() {
	l.index = make(map[string]*Choice, len(l.Choices))
	for _, c := range l.Choices {
		if _, dup := l.index[c.Name]; dup {
			l.dups = true
			continue
		}
		l.index[c.Name] = c
	}
}

// lookupAll appends to buf every choice with that name: one, except in
// lists that allow duplicates, where a cascade may reuse a name under two
// parents (a county "king" in two states). Callers pass a buffer on their
// stack so that the common case allocates nothing.
func (l *ChoiceList) lookupAll(name string, buf []*Choice) []*Choice {
	if !l.dups {
		if c := l.Lookup(name); c != nil {
			return append(buf, c)
		}
		return buf
	}
	for _, c := range l.Choices {
		if c.Name == name {
			buf = append(buf, c)
		}
	}
	return buf
}

// Expression is the source of an expression column with where it came from.
// The engine compiles it once at load.
type Expression struct {
	Src      string
	Loc      Location
	compiled any // *expr.Expr once compiled; kept untyped here so the loader need not import expr
}

// Location points at a cell: FILE:SHEET:ROW:COLUMN, rows numbered as a
// spreadsheet shows them (1 is the header row).
type Location struct {
	File   string
	Sheet  string
	Row    int
	Column string
}

func (l Location) String() string {
	var b strings.Builder
	b.WriteString(l.File)
	if l.Sheet != "" {
		b.WriteString(":" + l.Sheet)
	}
	if l.Row > 0 {
		fmt.Fprintf(&b, ":%d", l.Row)
	}
	if l.Column != "" {
		b.WriteString(":" + l.Column)
	}
	return b.String()
}

// LoadError is one located problem in a form definition. Msg and Error
// are English, for logs and tests; Localized says it in the interface
// language.
type LoadError struct {
	Loc  Location
	Msg  string
	text loadText // the message by key, for Localized; zero for one made with Msg only
}

func (e *LoadError) Error() string { return e.Loc.String() + ": " + e.Msg }

// LoadErrors is every problem found while loading one form.
type LoadErrors []*LoadError

func (es LoadErrors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}
