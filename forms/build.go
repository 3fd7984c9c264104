package forms

import (
	"encoding/base64"
	"path/filepath"
	"sort"
	"strings"
)

// maxLoadErrors caps the problems reported for one form: past a few hundred
// the author has a systematic mistake, and a 5,000-row list with a bad
// column should not produce 5,000 messages.
const maxLoadErrors = 200

// The sheets XLSForm defines; anything else is reported and ignored.
var knownSheets = []string{"survey", "choices", "settings", "external_choices", "entities"}

// builder interprets one workbook. Sheets are read in dependency order:
// settings (allow_choice_duplicates), the choice lists, then the survey,
// whose selects are checked against the lists.
type builder struct {
	wb   *workbook
	f    *Form
	errs LoadErrors

	allowDupChoices bool
	idSet           bool // settings gave a form_id (else it comes from the file name)
	rootName        string
	defaultLangLoc  Location

	choiceLists   map[string]*ChoiceList // from the choices sheet
	externalLists map[string]*ChoiceList // from the external_choices sheet
	externalUsed  map[string]bool        // lists referenced by select_*_external
	usedBuiltins  map[string]bool        // lists that came from builtinList
	spaceChecked  map[*ChoiceList]bool   // lists already checked for select_multiple use
	geometryRefs  []refText              // reference-geometry parameters, checked once the survey is read
	labelsChecked map[*ChoiceList]bool   // lists whose choice labels were checked (checkChoiceLabels)
	saveTos       []savedAnswer          // the survey's save_to cells, read with the entities sheet

	names      map[scopedName]int      // row of each name within its group
	lowerNames map[scopedName]namedRow // the same, lower-cased, for the case-only warning

	moreWarnings int // warnings past maxLoadErrors, counted, not kept

	langCands   []langCand // survey translatable columns in first-seen order
	choiceLangs []langCand // choices label columns, which count after the survey's
	untagged    bool       // an untagged label or hint column has content
}

type langCand struct {
	lang   string
	tagged bool
}

func (b *builder) errorAt(loc Location, key loadKey, args ...any) {
	b.errs = append(b.errs, newLoadError(loc, key, args...))
}

func (b *builder) warnAt(loc Location, key loadKey, args ...any) {
	if len(b.f.Warnings) >= maxLoadErrors {
		b.moreWarnings++
		return
	}
	b.f.Warnings = append(b.f.Warnings, newLoadError(loc, key, args...))
}

// loc points at a cell: idx is the index into sheet.Rows (row idx+1).
func (b *builder) loc(sh *sheet, idx int, col string) Location {
	return Location{File: b.wb.File, Sheet: sh.Name, Row: idx + 1, Column: col}
}

// buildForm interprets the sheets of a workbook into a Form. Every problem
// found is returned, located; the Form is nil when there is any.
//
// What it does with the parts of XLSForm fieldbench does not implement
// follows one rule: whatever would make the form behave differently from
// what its author wrote is refused with a located error (select_one_from_file,
// loops, rank, geotrace/geoshape, osm, audit, background recording, trigger,
// entities, choice_filter on a non-select...); whatever only changes how a
// question looks (media columns, guidance_hint, unknown display attributes)
// is ignored with one warning per column. Photo, audio, video and file
// questions are kept, as text answers naming the attached file, and the
// device properties a phone would fill (phonenumber, email, simserial,
// subscriberid) are metadata the engine fills when it can.
//
// Names are unique within a group; compile keys same-named questions of
// different groups by their group path.
func buildForm(wb *workbook) (*Form, LoadErrors) {
	base := filepath.Base(wb.File)
	id := strings.TrimSuffix(base, filepath.Ext(base))
	b := &builder{
		wb: wb,
		f: &Form{
			File: wb.File, ID: id, Settings: map[string]string{},
			Lists: map[string]*ChoiceList{}, byName: map[string]*Field{},
		},
		externalUsed: map[string]bool{}, usedBuiltins: map[string]bool{},
		spaceChecked: map[*ChoiceList]bool{},
		names:        map[scopedName]int{}, lowerNames: map[scopedName]namedRow{},
	}
	survey := b.pickSurvey()
	if survey == nil {
		return nil, b.errs
	}
	b.readSettings(wb.Sheets["settings"])
	if !b.idSet {
		if msg := formIDProblem(b.f.ID); msg.key != "" {
			b.errorAt(Location{File: wb.File}, ldFileNameNotFormID,
				quote(b.f.ID), msg, suggestFormID(b.f.ID))
		}
	}
	if b.f.Title == "" {
		b.f.Title = b.f.ID
	}
	if b.rootName == "" {
		b.rootName = b.f.ID
	}
	if sh := wb.Sheets["choices"]; sh != nil {
		b.choiceLists = b.readChoices(sh)
	}
	if sh := wb.Sheets["external_choices"]; sh != nil {
		b.externalLists = b.readChoices(sh)
	}
	b.collectLists()
	b.readSurvey(survey)
	b.checkGeometryRefs()
	b.finishLists()
	b.finishLanguages()
	b.readEntities(wb.Sheets["entities"])
	b.warnUnknownSheets(survey)
	if b.moreWarnings > 0 {
		last := b.f.Warnings[len(b.f.Warnings)-1]
		b.f.Warnings = append(b.f.Warnings, newLoadError(last.Loc, ldMoreWarnings, b.moreWarnings))
	}
	if len(b.errs) > 0 {
		return nil, b.sortedErrors()
	}
	b.f.allowDupChoices = b.allowDupChoices
	return b.f, nil
}

// pickSurvey finds the survey sheet. A workbook with one sheet of another
// name is read as the survey, as pyxform does.
func (b *builder) pickSurvey() *sheet {
	if sh := b.wb.Sheets["survey"]; sh != nil {
		return sh
	}
	if len(b.wb.Order) == 1 {
		return b.wb.Sheets[b.wb.Order[0]]
	}
	loc := Location{File: b.wb.File}
	var names []string
	var meant string
	for _, k := range b.wb.Order {
		names = append(names, b.wb.Sheets[k].Name)
		if closest(k, []string{"survey"}) != "" {
			loc.Sheet, loc.Row = b.wb.Sheets[k].Name, 1
			meant = b.wb.Sheets[k].Name
		}
	}
	switch {
	case len(names) == 0:
		b.errorAt(loc, ldNoSheets)
	case meant != "":
		b.errorAt(loc, ldNoSurveyDidYouMean, quote(meant))
	default:
		loc.Sheet, loc.Row = names[0], 1
		b.errorAt(loc, ldNoSurveySheets, strings.Join(names, ", "))
	}
	return nil
}

// readSettings reads the header row and the row of values below it.
func (b *builder) readSettings(sh *sheet) {
	if sh == nil {
		return
	}
	hdr := nextFilledRow(sh, 0)
	if hdr < 0 {
		return
	}
	val := nextFilledRow(sh, hdr+1)
	var vals []string
	valRow := hdr + 1
	if val >= 0 {
		vals, valRow = sh.Rows[val], val
		if extra := nextFilledRow(sh, val+1); extra >= 0 {
			b.warnAt(b.loc(sh, extra, ""), ldSettingsOneRow, val+1)
		}
	}
	seen := map[string]string{} // canonical name → header that set it
	for j, h := range sh.Rows[hdr] {
		h = strings.TrimSpace(h)
		v := strings.TrimSpace(cell(vals, j))
		loc := b.loc(sh, valRow, h)
		if h == "" {
			if v != "" {
				b.warnAt(loc, ldSettingNoHeader, quote(v), hdr+1)
			}
			continue
		}
		key := strings.ToLower(strings.Join(strings.Fields(h), "_")) // pyxform's snake_case
		canon := key
		if a, ok := settingsAliases[key]; ok {
			canon = a
		}
		prev, dup := seen[canon]
		if dup && strings.EqualFold(strings.Join(strings.Fields(prev), "_"), key) {
			b.errorAt(b.loc(sh, hdr, h), ldSettingTwice, quote(h))
			continue
		}
		b.f.Settings[key] = v
		if canon != "instance_name" { // an expression, checked by compile
			b.noteRefText(loc, v)
		}
		if dup {
			// An old name (id_string, title) beside the current one: the
			// current one wins, wherever it stands.
			b.warnAt(loc, ldSettingBoth, quote(prev), quote(h), canon)
			if key != canon {
				continue
			}
		}
		seen[canon] = h
		if canon == "default_language" {
			b.defaultLangLoc = loc
		}
		b.applySetting(canon, v, loc)
	}
}

func (b *builder) applySetting(key, v string, loc Location) {
	switch key {
	case "form_id":
		if v != "" {
			if msg := formIDProblem(v); msg.key != "" {
				b.errorAt(loc, ldBadFormID, quote(v), msg, suggestFormID(v))
			}
			b.f.ID, b.idSet = v, true
		}
	case "form_title":
		b.f.Title = v
	case "version":
		b.f.Version = v
	case "default_language":
		b.f.DefaultLanguage = v
	case "instance_name":
		if v != "" {
			b.f.InstanceName = &Expression{Src: plainQuotes(v), Loc: loc}
		}
	case "name":
		if v != "" && !validName(v) {
			// The name of the record's root element: ODK's paths start
			// with it (/name/question).
			b.errorAt(loc, ldBadRootName, quote(v))
		}
		b.rootName = v
	case "public_key":
		key := stripPEM(v)
		if key == "" {
			return
		}
		if _, err := base64.StdEncoding.DecodeString(key); err != nil {
			b.errorAt(loc, ldPublicKey)
			return
		}
		b.f.PublicKey = key
	case "allow_choice_duplicates":
		on, ok := yesNo(v)
		if !ok {
			b.errorAt(loc, ldAllowDupChoices, quote(v))
		}
		b.allowDupChoices = on
	case "add_none_option":
		if on, _ := yesNo(v); on {
			b.errorAt(loc, ldAddNoneOption)
		}
	case "omit_instanceid":
		if on, _ := yesNo(v); on {
			b.warnAt(loc, ldOmitInstanceID)
		}
	}
}

// stripPEM removes PEM armour and all whitespace: keys are often pasted with
// line breaks.
func stripPEM(v string) string {
	var b strings.Builder
	for _, line := range strings.Split(v, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "-----") {
			continue
		}
		for _, r := range line {
			if r != ' ' && r != '\t' && r != '\r' {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// yesNo reads pyxform's yes/no spellings. ok is false for anything else.
func yesNo(v string) (on, ok bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "true", "true()", "1":
		return true, true
	case "no", "false", "false()", "0", "":
		return false, true
	}
	return false, false
}

// collectLists fills Form.Lists from both choice sheets. A list defined on
// both is taken from choices; using it with select_one_external is an error
// reported at the question.
func (b *builder) collectLists() {
	for n, l := range b.choiceLists {
		b.f.Lists[n] = l
	}
	for n, l := range b.externalLists {
		if _, dup := b.f.Lists[n]; !dup {
			b.f.Lists[n] = l
		}
	}
}

// finishLists reports external lists that a choices list of the same name
// hides and no question uses.
func (b *builder) finishLists() {
	var names []string
	for n := range b.externalLists {
		if b.choiceLists[n] != nil && !b.externalUsed[n] {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		b.warnAt(b.externalLists[n].Loc, ldExternalAlsoChoices, quote(n), n)
	}
}

// finishLanguages orders the languages as their columns first appear. The
// untagged language counts only when an untagged label or hint has text.
func (b *builder) finishLanguages() {
	seen := map[string]bool{}
	for _, c := range append(b.langCands, b.choiceLangs...) {
		l := c.lang
		if !c.tagged {
			if !b.untagged {
				continue
			}
			l = ""
		}
		if !seen[l] {
			seen[l] = true
			b.f.Languages = append(b.f.Languages, l)
		}
	}
	if d := b.f.DefaultLanguage; d != "" && len(b.f.Languages) > 0 && !seen[d] {
		var tagged []string
		for _, l := range b.f.Languages {
			if l != "" {
				tagged = append(tagged, l)
			}
		}
		if len(tagged) > 0 {
			b.warnAt(b.defaultLangLoc, ldDefaultLanguage, quote(d), strings.Join(tagged, ", "))
		}
	}
}

func (b *builder) warnUnknownSheets(survey *sheet) {
	for _, k := range b.wb.Order {
		sh := b.wb.Sheets[k]
		if sh == survey {
			continue
		}
		known := false
		for _, n := range knownSheets {
			known = known || n == k
		}
		if known {
			continue
		}
		loc := Location{File: b.wb.File, Sheet: sh.Name}
		switch {
		case k == "osm":
			b.warnAt(loc, ldOSMSheet, quote(sh.Name))
		default:
			b.warnAt(loc, ldUnknownSheet, quote(sh.Name), didYouMeanText(closest(k, knownSheets)))
		}
	}
}

// sortedErrors puts problems in reading order (survey, choices, external
// choices, settings; then by row) and caps their number.
func (b *builder) sortedErrors() LoadErrors {
	rank := func(e *LoadError) int {
		switch strings.ToLower(e.Loc.Sheet) {
		case "":
			return 0
		case b.sheetKeyOfSurvey():
			return 1
		case "choices":
			return 2
		case "external_choices":
			return 3
		case "settings":
			return 4
		}
		return 5
	}
	errs := b.errs
	sort.SliceStable(errs, func(i, j int) bool {
		ri, rj := rank(errs[i]), rank(errs[j])
		if ri != rj {
			return ri < rj
		}
		return errs[i].Loc.Row < errs[j].Loc.Row
	})
	if len(errs) > maxLoadErrors {
		n := len(errs) - maxLoadErrors
		errs = append(errs[:maxLoadErrors:maxLoadErrors], newLoadError(errs[maxLoadErrors].Loc, ldMoreProblems, n))
	}
	return errs
}

func (b *builder) sheetKeyOfSurvey() string {
	if _, ok := b.wb.Sheets["survey"]; ok || len(b.wb.Order) != 1 {
		return "survey"
	}
	return b.wb.Order[0]
}

// nextFilledRow returns the index of the first row at or after from with a
// non-blank cell, or -1.
func nextFilledRow(sh *sheet, from int) int {
	for i := from; i < len(sh.Rows); i++ {
		if !blankRow(sh.Rows[i]) {
			return i
		}
	}
	return -1
}

func blankRow(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func cell(row []string, i int) string {
	if i >= 0 && i < len(row) {
		return row[i]
	}
	return ""
}

// plainQuotes turns typographic quotes into ASCII ones in an expression, as
// pyxform does: word processors put ‘other’ where 'other' was meant, and
// XPath only knows the ASCII kind.
func plainQuotes(s string) string {
	if !strings.ContainsAny(s, "‘’“”") {
		return s
	}
	return strings.NewReplacer("‘", "'", "’", "'", "“", `"`, "”", `"`).Replace(s)
}
