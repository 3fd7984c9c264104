package forms

import (
	"strings"
	"unicode/utf8"
)

// colKind says what the loader does with a column.
type colKind int

const (
	colUsed    colKind = iota // interpreted (key names the canonical column)
	colExtra                  // choices: a column for choice_filter; survey: unknown
	colIgnored                // presentation only: a warning if it has content
	colRefused                // behaviour fieldbench does not implement: an error per filled cell
)

// column is one parsed header cell.
type column struct {
	index  int
	header string // trimmed, as written: what locations show
	key    string // canonical name, lower case
	lang   string // language suffix as written, "" when untagged
	tagged bool   // the header carried a language suffix
	kind   colKind
	why    loadText // for ignored and refused columns: the reason, for the message
}

// Canonical survey columns and their aliases (pyxform's aliases.survey_header
// plus the spellings seen in real forms). Keys are lower case, in
// snake_case as splitHeader leaves them.
var surveyAliases = map[string]string{
	"type": "type", "command": "type",
	"name": "name", "tag": "name", "value": "name",
	"label": "label", "caption": "label",
	"hint":             "hint",
	"required":         "required",
	"required_message": "required_message",
	"requiredmsg":      "required_message", "jr:requiredmsg": "required_message",
	"constraint":           "constraint",
	"constraint_message":   "constraint_message",
	"constraining_message": "constraint_message",
	"constraintmsg":        "constraint_message", "jr:constraintmsg": "constraint_message",
	"relevant": "relevant", "relevance": "relevant",
	"calculation": "calculation", "calculate": "calculation",
	"default":       "default",
	"choice_filter": "choice_filter",
	"appearance":    "appearance",
	"read_only":     "read_only", "readonly": "read_only",
	"repeat_count": "repeat_count", "count": "repeat_count", "jr:count": "repeat_count",
	"parameters":      "parameters",
	"validate":        "validate",
	"sensitive":       "sensitive",
	"warning":         "warning",
	"warning_message": "warning_message",
	"disabled":        "disabled",
	"trigger":         "trigger",
	"save_to":         "save_to",
}

// translatable survey columns: the ones whose language suffix counts.
var translatable = map[string]bool{
	"label": true, "hint": true, "constraint_message": true, "required_message": true,
	"warning_message": true,
}

// Media columns show a picture or play a sound next to a label. fieldbench
// runs in a terminal, so they are presentation it cannot offer.
var mediaColumns = map[string]bool{"image": true, "big-image": true, "audio": true, "video": true}

// Survey columns read and deliberately not used, with the reason shown.
var ignoredSurveyColumns = map[string]loadKey{
	"guidance_hint":       ldWhyGuidanceHint,
	"autoplay":            ldWhyAutoplay,
	"rows":                ldWhyRows,
	"buttontext":          ldWhyButtonText,
	"noapperrorstring":    ldWhyNoAppError,
	"no_app_error_string": ldWhyNoAppError,
	"list_name":           ldWhyListName,
	"media":               ldWhyMedia,
	"intent":              ldWhyIntent,
}

// Survey columns whose behaviour fieldbench does not implement: a filled cell
// refuses the form rather than silently behaving differently.
var refusedSurveyColumns = map[string]loadKey{}

// bind:: and body:: attributes are XForms details an author copies from
// another tool: those without a fieldbench meaning are ignored with the
// reason shown, never refused (a form that ODK runs must load).
var ignoredBindColumns = map[string]loadKey{
	"jr:preload":       ldWhyPreload,
	"jr:preloadparams": ldWhyPreload,
	"type":             ldWhyBindType,
}

var ignoredControlColumns = map[string]loadKey{
	"accuracythreshold":             ldWhyGPSAccuracy,
	"unacceptableaccuracythreshold": ldWhyGPSAccuracy,
	"intent":                        ldWhyIntent,
}

// Attributes under bind:: that fieldbench maps onto its own columns.
var bindColumns = map[string]string{
	"relevant": "relevant", "constraint": "constraint", "required": "required",
	"calculate": "calculation", "readonly": "read_only",
	"jr:constraintmsg": "constraint_message", "jr:requiredmsg": "required_message",
}

// Attributes under control:: or body:: that fieldbench maps.
var controlColumns = map[string]string{"appearance": "appearance", "jr:count": "repeat_count"}

// Choices columns and aliases (pyxform's aliases.list_header).
var choiceAliases = map[string]string{
	"list_name": "list_name", "listname": "list_name",
	"name": "name", "value": "name",
	"label": "label", "caption": "label",
}

// settings columns with an older name.
var settingsAliases = map[string]string{
	"id_string": "form_id", "set_form_id": "form_id",
	"title": "form_title", "set_form_title": "form_title",
}

// splitHeader takes a header apart: an optional namespace (bind, control,
// body, media, instance), the column name and an optional language after
// "::" or, in old forms, ":". The "jr:" prefix of jr:count and friends is part
// of the name, not a language separator.
func splitHeader(h string) (ns, base, lang string, tagged bool) {
	rest := h
	lower := strings.ToLower(h)
	for _, p := range []string{"bind", "control", "body", "media", "instance"} {
		if strings.HasPrefix(lower, p+"::") {
			ns, rest = p, h[len(p)+2:]
			break
		}
		if strings.HasPrefix(lower, p+":") {
			ns, rest = p, h[len(p)+1:]
			break
		}
	}
	if i := strings.Index(rest, "::"); i >= 0 {
		base, lang, tagged = rest[:i], rest[i+2:], true
	} else if low := strings.ToLower(rest); !strings.HasPrefix(low, "jr:") && !strings.HasPrefix(low, "odk:") &&
		!strings.HasPrefix(low, "orx:") && !strings.HasPrefix(low, "entities:") && strings.Contains(rest, ":") {
		i := strings.Index(rest, ":")
		base, lang, tagged = rest[:i], rest[i+1:], true
	} else {
		base = rest
	}
	// pyxform reads headers in snake_case: "Repeat Count" is repeat_count.
	base = strings.ToLower(strings.Join(strings.Fields(base), "_"))
	lang = strings.TrimSpace(lang)
	if lang == "" {
		tagged = false
	}
	return ns, base, lang, tagged
}

// classifySurveyHeader decides what the survey sheet does with a header.
func classifySurveyHeader(h string) column {
	ns, base, lang, tagged := splitHeader(h)
	c := column{header: h, lang: lang, tagged: tagged}
	switch ns {
	case "media":
		c.kind, c.why, c.key = colIgnored, loadMsg(ldWhyMedia), base
		return c
	case "instance":
		c.kind, c.why = colIgnored, loadMsg(ldWhyInstance)
		return c
	case "bind":
		if k, ok := bindColumns[base]; ok {
			c.key = k
			return finishSurveyColumn(c)
		}
		if base == "entities:saveto" {
			c.key = "save_to" // what pyxform writes for the save_to column
			return finishSurveyColumn(c)
		}
		c.kind, c.why = colIgnored, loadMsg(ldWhyBindAttr)
		if why, ok := ignoredBindColumns[base]; ok {
			c.why = loadMsg(why)
		}
		return c
	case "control", "body":
		if k, ok := controlColumns[base]; ok {
			c.key = k
			return finishSurveyColumn(c)
		}
		c.kind, c.why = colIgnored, loadMsg(ldWhyDisplayAttr)
		if why, ok := ignoredControlColumns[base]; ok {
			c.why = loadMsg(why)
		}
		return c
	}
	if mediaColumns[base] {
		c.kind, c.why, c.key = colIgnored, loadMsg(ldWhyMedia), base
		return c
	}
	if why, ok := ignoredSurveyColumns[base]; ok {
		c.kind, c.why, c.key = colIgnored, loadMsg(why), base
		return c
	}
	if why, ok := refusedSurveyColumns[base]; ok {
		c.kind, c.why = colRefused, loadMsg(why)
		return c
	}
	if k, ok := surveyAliases[base]; ok {
		c.key = k
		return finishSurveyColumn(c)
	}
	c.kind, c.key = colExtra, base
	return c
}

// finishSurveyColumn refuses a language suffix on a column that has no
// translations: "relevant::English" would otherwise be dropped unnoticed.
func finishSurveyColumn(c column) column {
	if c.tagged && !translatable[c.key] {
		c.kind, c.why = colRefused, loadMsg(ldWhyLangSuffix, c.lang)
	}
	return c
}

// classifyChoicesHeader decides what a choices or external_choices sheet
// does with a header. Unknown columns become filter columns.
func classifyChoicesHeader(h string) column {
	ns, base, lang, tagged := splitHeader(h)
	c := column{header: h, lang: lang, tagged: tagged}
	if ns == "media" || mediaColumns[base] {
		c.kind, c.why = colIgnored, loadMsg(ldWhyMedia)
		return c
	}
	if ns == "" {
		if k, ok := choiceAliases[base]; ok {
			c.key = k
			if tagged && k != "label" {
				c.kind, c.why = colRefused, loadMsg(ldWhyChoiceLang, lang)
			}
			return c
		}
	}
	c.kind, c.key = colExtra, strings.ToLower(strings.TrimSpace(h))
	return c
}

// knownSurveyNames lists the spellings a misspelled header is compared with.
func knownSurveyNames() []string {
	names := make([]string, 0, len(surveyAliases))
	for k := range surveyAliases {
		names = append(names, k)
	}
	return names
}

// closest returns the candidate a misspelling of s most likely meant, or "".
func closest(s string, candidates []string) string {
	s = strings.ToLower(s)
	limit := 2
	if utf8.RuneCountInString(s) < 5 {
		limit = 1
	}
	best, bestD := "", limit+1
	for _, c := range candidates {
		d := editDistance(s, strings.ToLower(c))
		if d == 0 {
			return ""
		}
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance over runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 || len(ra)-len(rb) > 2 || len(rb)-len(ra) > 2 {
		return 99 // too far apart to be a misspelling; callers want distance ≤ 2
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
