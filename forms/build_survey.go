package forms

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// openGroup is a begin group/repeat row waiting for its end row.
type openGroup struct {
	field *Field
	idx   int // row index of the begin row
	loop  bool
	list  string // for a loop: the list it loops over
	first int    // for a loop: index in Form.Fields of its first body row
}

// surveyReader holds the state of one pass over the survey sheet.
type surveyReader struct {
	b     *builder
	t     *table
	stack []*openGroup
}

func (b *builder) readSurvey(sh *sheet) {
	root := &Field{Name: b.rootName, Type: TypeGroup, Loc: Location{File: b.wb.File, Sheet: sh.Name}}
	b.f.Root = root
	t := b.parseTable(sh, classifySurveyHeader)
	if t == nil {
		b.errorAt(Location{File: b.wb.File, Sheet: sh.Name, Row: 1}, ldSurveyEmpty)
		return
	}
	if t.col("type") == nil || t.col("name") == nil {
		missing := "type"
		if t.col("type") != nil {
			missing = "name"
		}
		b.errorAt(b.loc(sh, t.header, ""), ldSurveyNoColumn, missing, t.header+1)
		return
	}
	for _, c := range t.cols {
		switch {
		case c.kind == colUsed && translatable[c.key]:
			b.langCands = append(b.langCands, langCand{c.lang, c.tagged})
		case c.kind == colExtra:
			b.warnAt(b.loc(sh, t.header, c.header), ldUnknownColumn, quote(c.header), didYouMeanText(closest(c.key, knownSurveyNames())))
		}
	}
	b.warnIgnored(t)
	r := &surveyReader{b: b, t: t, stack: []*openGroup{{field: root}}}
	for i := t.header + 1; i < len(sh.Rows); i++ {
		if !blankRow(sh.Rows[i]) {
			r.row(i)
		}
	}
	r.checkEmptyGroups()
	for j := len(r.stack) - 1; j > 0; j-- {
		g := r.stack[j]
		kind := containerWord(g.loop, g.field.Type)
		b.errorAt(b.loc(sh, g.idx, t.col("type").header), ldNoEnd,
			kind, quote(g.field.Name), kind, kind)
	}
}

func (r *surveyReader) row(idx int) {
	b, t, sh := r.b, r.t, r.t.sh
	row := sh.Rows[idx]
	typ, typeHdr := t.value(row, "type")
	name, nameHdr := t.value(row, "name")
	at := func(col string) Location { return b.loc(sh, idx, col) }

	if d, hdr := t.value(row, "disabled"); d != "" {
		if on, _ := yesNo(d); on {
			b.warnAt(at(hdr), ldRowDisabled, quote(d))
			return
		}
	}
	if typ == "" {
		if name == "" && t.text(row, "label") == nil {
			b.warnAt(at(typeHdr), ldRowEmpty)
			return
		}
		b.errorAt(at(typeHdr), ldNoType)
		return
	}
	q, msg := parseType(typ)
	if msg.key != "" {
		b.errorAt(at(typeHdr), ldBadType, quote(typ), msg)
		if !q.loop {
			return
		}
	}
	saveTo, saveHdr := t.value(row, "save_to")
	if q.end {
		if saveTo != "" {
			b.errorAt(at(saveHdr), ldSaveToContainer)
		}
		r.end(idx, q, typ, typeHdr)
		return
	}
	if q.extFile != "" {
		r.externalFile(q, name, idx, nameHdr, typeHdr)
		return
	}
	b.refuseCells(t, row, idx)
	r.checkLegacyPlaceholders(row, idx)
	r.noteSurveyRefTexts(row, idx)

	fd := &Field{Type: q.typ, Loc: at("")}
	if q.typ == TypeAudit {
		// ODK keeps the audit as meta/audit, whatever the row says.
		if name != "" && name != "audit" {
			b.errorAt(at(nameHdr), ldAuditName)
		}
		name = "audit"
	}
	fd.Name = r.fieldName(name, q, idx, nameHdr)
	fd.Label = t.text(row, "label")
	fd.Hint = t.text(row, "hint")
	fd.ConstraintMsg = t.text(row, "constraint_message")
	fd.RequiredMsg = t.text(row, "required_message")
	fd.WarningMsg = t.text(row, "warning_message")
	if fd.Label[""] != "" || fd.Hint[""] != "" {
		b.untagged = true
	}
	fd.Relevant = r.expr(row, idx, "relevant")
	fd.Constraint = r.expr(row, idx, "constraint")
	fd.Warning = r.expr(row, idx, "warning")
	fd.Calculation = r.expr(row, idx, "calculation")
	fd.ChoiceFilter = r.expr(row, idx, "choice_filter")
	fd.RepeatCount = r.expr(row, idx, "repeat_count")
	fd.Required = r.flag(row, idx, "required")
	fd.ReadOnly = r.flag(row, idx, "read_only")
	fd.Default = r.defaultValue(row, idx)
	var appHdr string
	fd.Appearance, appHdr = t.value(row, "appearance")
	if strings.HasPrefix(fd.Appearance, "ex:") {
		b.warnAt(at(appHdr), ldExAppearance, quote(fd.Appearance))
	}
	if strings.Contains(fd.Appearance, "search(") {
		b.errorAt(at(appHdr), ldSearchAppearance)
	}
	fd.Parameters = r.parameters(row, idx)
	r.extensions(fd, row, idx)
	r.checkColumnsForType(fd, q, typ, idx)
	r.trigger(fd, row, idx)
	r.checkLabel(fd, row, idx)
	r.checkParameters(fd, q, typ, idx)
	if saveTo != "" {
		b.noteSaveTo(fd, saveTo, at(saveHdr))
	}
	if q.implied != "" && fd.Constraint == nil {
		fd.Constraint = &Expression{Src: q.implied, Loc: at(typeHdr)}
	}

	parent := r.stack[len(r.stack)-1].field
	r.attach(fd, parent)
	if q.begin {
		g := &openGroup{field: fd, idx: idx, loop: q.loop, first: len(b.f.Fields)}
		if q.loop {
			words := strings.Fields(typ)
			g.list = words[len(words)-1]
		}
		r.stack = append(r.stack, g)
		return
	}
	if q.answersOf != "" {
		fd.ChoicesFrom = q.answersOf // resolved by compile, once every name is known
	} else if fd.Type.IsSelect() {
		r.selectList(fd, q, idx, typeHdr)
	}
}

// attach links a new field into the tree and the form's indexes.
func (r *surveyReader) attach(fd, parent *Field) {
	fd.Parent = parent
	for p := parent; p != nil; p = p.Parent {
		if p.Type == TypeRepeat {
			fd.Repeat = p
			break
		}
	}
	parent.Children = append(parent.Children, fd)
	r.b.f.Fields = append(r.b.f.Fields, fd)
	if fd.Name != "" {
		if _, dup := r.b.f.byName[fd.Name]; !dup {
			r.b.f.byName[fd.Name] = fd
		}
	}
}

func (r *surveyReader) end(idx int, q qtype, typ, typeHdr string) {
	b := r.b
	loc := b.loc(r.t.sh, idx, typeHdr)
	word := containerWord(q.loop, q.typ)
	if len(r.stack) == 1 {
		b.errorAt(loc, ldNoBegin, quote(typ), word, word)
		return
	}
	top := r.stack[len(r.stack)-1]
	r.stack = r.stack[:len(r.stack)-1]
	if top.loop != q.loop || top.field.Type != q.typ {
		open := containerWord(top.loop, top.field.Type)
		b.errorAt(loc, ldWrongEnd,
			quote(typ), quote(top.field.Name), open, top.idx+1, open)
		return
	}
	if top.loop {
		r.expandLoop(top, loc)
	}
}

// containerWord names a container kind the way the type column spells it.
func containerWord(loop bool, t Type) string {
	switch {
	case loop:
		return "loop"
	case t == TypeRepeat:
		return "repeat"
	}
	return "group"
}

// validName applies XLSForm's rule for names: a letter or _ first, then
// letters, digits, -, _ and . (letters and digits of any script, and the
// combining marks some scripts need).
func validName(s string) bool {
	for i, r := range s {
		switch {
		case unicode.IsLetter(r) || r == '_':
		case i > 0 && (unicode.IsDigit(r) || unicode.IsMark(r) || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return s != ""
}

func (r *surveyReader) fieldName(name string, q qtype, idx int, hdr string) string {
	b := r.b
	loc := b.loc(r.t.sh, idx, hdr)
	if name == "" {
		switch {
		case q.typ == TypeNote:
			// pyxform names unnamed notes the same way; a note holds no answer.
			name = fmt.Sprintf("generated_note_name_%d", idx+1)
		case q.typ == TypeGroup:
			// A group only shows or hides questions; no answer is stored
			// under its name, so one can be made up.
			name = fmt.Sprintf("generated_group_name_%d", idx+1)
		default:
			b.errorAt(loc, ldNoName)
			return ""
		}
	} else if !validName(name) {
		b.errorAt(loc, ldBadName, quote(name))
		return name
	} else if name == "meta" {
		// ODK keeps the form's metadata (instanceID) in a group of that
		// name; pyxform refuses the name at every level.
		b.errorAt(loc, ldNameMeta)
		return name
	} else if reservedName(name) {
		// A record keeps fieldbench's own data under such keys
		// (__warnings), so a question may never be stored there.
		b.errorAt(loc, ldReservedName,
			quote(name), ReservedPrefix, WarningsKey)
		return name
	}
	r.claimName(r.stack[len(r.stack)-1].field, name, idx, loc)
	return name
}

// claimName enforces unique names among the questions of one group: they
// share a level of the record, where each name is a key. The same name in
// different groups is allowed, as in XLSForm; compile gives such fields
// their group path as the key and refuses ambiguous ${name} references.
func (r *surveyReader) claimName(parent *Field, name string, idx int, loc Location) {
	b := r.b
	k := scopedName{parent, name}
	if prev, dup := b.names[k]; dup {
		b.errorAt(loc, ldNameTaken,
			quote(name), prev, scopeWord(parent, b.f.Root))
		return
	}
	lk := scopedName{parent, strings.ToLower(name)}
	if prev, dup := b.lowerNames[lk]; dup {
		b.warnAt(loc, ldNameCase, quote(name), quote(prev.name), prev.row)
	}
	b.names[k] = idx + 1
	b.lowerNames[lk] = namedRow{name, idx + 1}
}

// scopedName is a name within one group (parent) of the survey.
type scopedName struct {
	parent *Field
	name   string
}

type namedRow struct {
	name string
	row  int
}

func scopeWord(parent, root *Field) loadText {
	switch {
	case parent == root:
		return loadMsg(ldScopeForm)
	case parent.Type == TypeRepeat:
		return loadMsg(ldScopeRepeat, quote(parent.Name))
	}
	return loadMsg(ldScopeGroup, quote(parent.Name))
}

// expr reads an expression column; typographic quotes become ASCII ones.
func (r *surveyReader) expr(row []string, idx int, key string) *Expression {
	v, hdr := r.t.value(row, key)
	if v == "" {
		return nil
	}
	return &Expression{Src: plainQuotes(v), Loc: r.b.loc(r.t.sh, idx, hdr)}
}

// flag reads required and read_only: yes/true → true(), no/false/blank →
// nil, anything else is an expression.
func (r *surveyReader) flag(row []string, idx int, key string) *Expression {
	v, hdr := r.t.value(row, key)
	switch strings.ToLower(v) {
	case "", "no", "false", "false()":
		return nil
	case "yes", "true", "true()":
		return &Expression{Src: "true()", Loc: r.b.loc(r.t.sh, idx, hdr)}
	}
	return &Expression{Src: plainQuotes(v), Loc: r.b.loc(r.t.sh, idx, hdr)}
}

// funcCallRE finds a function call such as today() or concat(: a name
// directly followed by "(". "Yes (default)" is text, not a call.
var funcCallRE = regexp.MustCompile(`[\p{L}_][\p{L}\p{N}_.:-]*\(`)

// defaultValue keeps a dynamic default (a ${ref} or a function call) as an
// expression and turns a literal into a quoted XPath string.
func (r *surveyReader) defaultValue(row []string, idx int) *Expression {
	v, hdr := r.t.value(row, "default")
	if v == "" {
		return nil
	}
	loc := r.b.loc(r.t.sh, idx, hdr)
	if strings.Contains(v, "${") || funcCallRE.MatchString(v) {
		return &Expression{Src: plainQuotes(v), Loc: loc}
	}
	return &Expression{Src: xpathLiteral(v), Loc: loc}
}

// xpathLiteral quotes s as an XPath 1.0 string. XPath has no escapes: a
// string with both quote kinds is built with concat().
func xpathLiteral(s string) string {
	if !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	parts := strings.Split(s, "'")
	args := make([]string, 0, 2*len(parts))
	for i, p := range parts {
		if i > 0 {
			args = append(args, `"'"`)
		}
		if p != "" {
			args = append(args, "'"+p+"'")
		}
	}
	return "concat(" + strings.Join(args, ", ") + ")"
}

var sensitiveKinds = map[string]bool{"name": true, "id_number": true, "phone": true, "address": true, "bank_card": true}

// extensions reads fieldbench's own validate and sensitive columns.
func (r *surveyReader) extensions(fd *Field, row []string, idx int) {
	b := r.b
	v, hdr := r.t.value(row, "validate")
	if v != "" {
		if !fd.Type.HasAnswer() {
			b.errorAt(b.loc(r.t.sh, idx, hdr), ldValidateNoAnswer, fd.Type)
		}
		fd.Validate = v
	}
	s, shdr := r.t.value(row, "sensitive")
	if s == "" {
		return
	}
	low := strings.ToLower(s)
	switch {
	case !sensitiveKinds[low]:
		b.errorAt(b.loc(r.t.sh, idx, shdr), ldSensitiveBad, quote(s))
	case !fd.Type.HasAnswer():
		b.errorAt(b.loc(r.t.sh, idx, shdr), ldSensitiveNoAnswer, fd.Type)
	default:
		fd.Sensitive = low
	}
}

// legacyPlaceholderRE finds pyxform's old loop placeholders %(label)s.
var legacyPlaceholderRE = regexp.MustCompile(`%\((label|name)\)s`)

func (r *surveyReader) checkLegacyPlaceholders(row []string, idx int) {
	for _, g := range r.stack {
		if g.loop {
			return // inside a loop, placeholders are filled per choice
		}
	}
	for _, c := range r.t.cols {
		if v := cell(row, c.index); strings.Contains(v, "%(") && legacyPlaceholderRE.MatchString(v) {
			r.b.errorAt(r.b.loc(r.t.sh, idx, c.header), ldPlaceholder, legacyPlaceholderRE.FindString(v))
		}
	}
}

// checkColumnsForType refuses columns that would have no effect on this
// type, where the author clearly expects one.
func (r *surveyReader) checkColumnsForType(fd *Field, q qtype, typ string, idx int) {
	b, t := r.b, r.t
	isSelect := fd.Type.IsSelect()
	if fd.ChoiceFilter != nil && !isSelect {
		// pyxform ignores it too; a warning keeps real forms loading
		// (subdistrict_profiling_tool has a relevance typed here).
		b.warnAt(fd.ChoiceFilter.Loc, ldChoiceFilterNoSelect, quote(typ))
		fd.ChoiceFilter = nil
	}
	if fd.ChoiceFilter != nil && q.orOther {
		b.errorAt(fd.ChoiceFilter.Loc, ldChoiceFilterOrOther, fd.Name)
	}
	if fd.RepeatCount != nil && fd.Type != TypeRepeat {
		b.warnAt(fd.RepeatCount.Loc, ldRepeatCountIgnored)
		fd.RepeatCount = nil
	}
	if fd.Type.IsContainer() {
		for _, e := range []struct {
			key string
			x   *Expression
		}{{"calculation", fd.Calculation}, {"constraint", fd.Constraint}, {"required", fd.Required}, {"default", fd.Default}} {
			if e.x != nil {
				b.warnAt(e.x.Loc, ldNoEffectOnContainer, e.key, fd.Type)
			}
		}
		fd.Calculation, fd.Constraint, fd.Required, fd.Default = nil, nil, nil, nil
	}
	r.checkWarning(fd, idx)
	if fd.Type == TypeCalculate && fd.Calculation == nil && fd.Default == nil && strings.ToLower(typ) != "hidden" {
		b.errorAt(b.loc(t.sh, idx, t.col("type").header), ldCalculateEmpty)
	}
}

// trigger reads the trigger column: ${name}s separated by commas, as
// pyxform takes them. The calculation becomes what a trigger sets; a
// background-geopoint must have a trigger and no calculation.
func (r *surveyReader) trigger(fd *Field, row []string, idx int) {
	b := r.b
	v, hdr := r.t.value(row, "trigger")
	if fd.Type == TypeBackgroundGeopoint {
		if fd.Calculation != nil {
			b.errorAt(fd.Calculation.Loc, ldBgGeopointCalculation)
		}
		if v == "" {
			col := r.t.col("type").header
			if c := r.t.col("trigger"); c != nil {
				col = c.header
			}
			b.errorAt(b.loc(r.t.sh, idx, col), ldBgGeopointTrigger)
			return
		}
	}
	if v == "" {
		return
	}
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue // pyxform allows a trailing or doubled comma
		}
		name, ok := strings.CutPrefix(part, "${")
		name, closed := strings.CutSuffix(name, "}")
		if !ok || !closed || !validName(name) {
			b.errorAt(b.loc(r.t.sh, idx, hdr), ldTriggerRefs, quote(v))
			return
		}
		fd.Trigger = append(fd.Trigger, name)
	}
	fd.TriggerValue, fd.Calculation = fd.Calculation, nil
}

// checkWarning refuses a soft check where no collector gives an answer to
// confirm: a group, a repeat, a note, a calculation or metadata. Silently
// never checking it would let the author believe it works.
func (r *surveyReader) checkWarning(fd *Field, idx int) {
	b := r.b
	if fd.Warning == nil {
		if len(fd.WarningMsg) > 0 {
			hdr := r.t.cols[r.t.texts["warning_message"][0]].header
			b.warnAt(b.loc(r.t.sh, idx, hdr), ldWarningMessageAlone)
		}
		return
	}
	var what loadText
	switch {
	case fd.Type.IsContainer() || fd.Type == TypeNote:
		what = loadMsg(ldWhatType, fd.Type.String())
	case fd.Type.IsMeta():
		what = loadMsg(ldWhatMeta, fd.Type.String())
	case fd.Calculation != nil && !r.triggered(idx):
		// A triggered question's calculation is only what its trigger
		// sets: the collector answers it, and confirms its soft check.
		what = loadMsg(ldWhatCalculated)
	}
	if what.key != "" {
		b.errorAt(fd.Warning.Loc, ldWarningNoAnswer, what)
		fd.Warning = nil
	}
}

// triggered reports whether the row at idx has a trigger.
func (r *surveyReader) triggered(idx int) bool {
	v, _ := r.t.value(r.t.sh.Rows[idx], "trigger")
	return v != ""
}

// reservedName reports whether a question name is in fieldbench's reserved
// space: it starts with ReservedPrefix. KoboToolbox writes a calculate
// named __version__ into the forms it exports, so names that also end with
// "__" stay allowed; fieldbench's own keys never end that way.
func reservedName(name string) bool {
	return strings.HasPrefix(name, ReservedPrefix) && !(len(name) > 4 && strings.HasSuffix(name, "__"))
}
