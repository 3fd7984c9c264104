package forms

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The parameters column holds key=value pairs whose keys depend on the
// question type. The keys and the checks on their values are pyxform's
// (constants.Parameters* and xls2json.py): an unknown key or a bad value
// is a located error there, so it is here. A type not listed takes any
// parameters, as in pyxform (they do nothing).
var parameterKeys = map[Type][]string{
	TypeSelectOne:      {"randomize", "seed"},
	TypeSelectMultiple: {"randomize", "seed"},
	TypeText:           {"rows"},
	TypeImage:          {"app", "max-pixels"},
	TypeAudio:          {"quality"},
	TypeGeopoint:       {"allow-mock-accuracy", "capture-accuracy", "reference-geometry", "warning-accuracy"},
	TypeGeotrace:       {"allow-mock-accuracy", "incremental", "reference-geometry"},
	TypeGeoshape:       {"allow-mock-accuracy", "incremental", "reference-geometry"},
	TypeAudit:          {"identify-user", "location-max-age", "location-min-interval", "location-priority", "track-changes", "track-changes-reasons"},
}

// A select from a file also names the file's columns that hold the
// choice's name and label.
var fromFileParameterKeys = []string{"label", "randomize", "seed", "value"}

var rangeParameterKeys = []string{"end", "placeholder", "start", "step", "tick_interval", "tick_labelset"}

var paramEqRE = regexp.MustCompile(`\s*=\s*`)

// parameters reads "k=v" pairs separated by spaces, commas or semicolons.
// Keys are lower-cased; values keep their case (label= and value= name
// columns of a file), and checks compare them lower-cased as pyxform does.
func (r *surveyReader) parameters(row []string, idx int) map[string]string {
	v, hdr := r.t.value(row, "parameters")
	if v == "" {
		return nil
	}
	s := paramEqRE.ReplaceAllString(strings.NewReplacer(",", " ", ";", " ").Replace(v), "=")
	out := map[string]string{}
	for _, kv := range strings.Fields(s) {
		k, val, ok := strings.Cut(kv, "=")
		if !ok || k == "" || val == "" || strings.Contains(val, "=") {
			r.b.errorAt(r.b.loc(r.t.sh, idx, hdr), ldParameters, quote(kv))
			continue
		}
		out[strings.ToLower(k)] = val
	}
	return out
}

// paramsLoc is where a parameter problem is reported: the parameters
// cell, or the type cell when the form has no parameters column (a range
// with its defaults).
func (r *surveyReader) paramsLoc(idx int) Location {
	col := "type"
	if r.t.col("parameters") != nil {
		col = "parameters"
	}
	return r.b.loc(r.t.sh, idx, r.t.col(col).header)
}

// checkParameters checks the keys and values of fd's parameters for its
// type, and turns a range's into its constraint and number type.
func (r *surveyReader) checkParameters(fd *Field, q qtype, typ string, idx int) {
	keys, ok := parameterKeys[fd.Type]
	switch {
	case q.isRange:
		keys, ok = rangeParameterKeys, true
	case q.fromFile:
		keys = fromFileParameterKeys
	}
	if !ok {
		return
	}
	loc := r.paramsLoc(idx)
	var unknown []string
	for k := range fd.Parameters {
		if !slices.Contains(keys, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		r.b.errorAt(loc, ldParamKeys, quote(strings.Fields(typ)[0]), strings.Join(keys, ", "), strings.Join(unknown, ", "))
		return
	}
	p := fd.Parameters
	lower := func(k string) string { return strings.ToLower(p[k]) }
	oneOf := func(k string, allowed ...string) {
		if _, set := p[k]; set && !slices.Contains(allowed, lower(k)) {
			r.b.errorAt(loc, ldParamOneOf, k, strings.Join(allowed, ", "), quote(p[k]))
		}
	}
	number := func(k string, whole bool) {
		v, set := p[k]
		if !set {
			return
		}
		if whole {
			if _, err := strconv.Atoi(strings.TrimPrefix(v, "+")); err != nil {
				r.b.errorAt(loc, ldParamWhole, k, quote(v))
			}
		} else if !decimalRE.MatchString(v) {
			r.b.errorAt(loc, ldParamNumber, k, quote(v))
		}
	}
	switch {
	case q.isRange:
		r.checkRange(fd, idx, loc)
	case fd.Type == TypeSelectOne || fd.Type == TypeSelectMultiple:
		oneOf("randomize", "true", "false")
		for _, k := range []string{"value", "label"} {
			if v, set := p[k]; set && !validName(v) {
				r.b.errorAt(loc, ldParamColumn, k, quote(v))
			}
		}
		if seed, set := p["seed"]; set {
			if _, rnd := p["randomize"]; !rnd {
				r.b.errorAt(loc, ldParamSeedAlone)
			} else if !decimalRE.MatchString(seed) && !wholeRefRE.MatchString(seed) {
				r.b.errorAt(loc, ldParamSeed, quote(seed))
			}
		}
	case fd.Type == TypeText:
		number("rows", true)
	case fd.Type == TypeImage:
		number("max-pixels", true)
		if app, set := p["app"]; set && (fd.Appearance == "" || fd.Appearance == "annotate") && !androidPackageName(app) {
			r.b.errorAt(loc, ldParamApp, quote(app))
		}
	case fd.Type == TypeAudio:
		oneOf("quality", "voice-only", "low", "normal", "external")
	case fd.Type == TypeGeopoint || fd.Type == TypeGeotrace || fd.Type == TypeGeoshape:
		oneOf("allow-mock-accuracy", "true", "false")
		oneOf("incremental", "true", "yes", "true()")
		number("capture-accuracy", false)
		number("warning-accuracy", false)
		if g, set := p["reference-geometry"]; set {
			r.b.geometryRefs = append(r.b.geometryRefs, refText{loc, g})
		}
	case fd.Type == TypeAudit:
		oneOf("track-changes", "true", "false")
		oneOf("identify-user", "true", "false")
		oneOf("track-changes-reasons", "on-form-edit")
		r.checkAuditLocation(p, loc, oneOf)
	}
}

// checkAuditLocation applies pyxform's rules to the location an audit
// records (ODK Collect's location tracking): the three parameters
// together, a priority Collect knows, and 0 <= location-min-interval <=
// location-max-age, in whole seconds. fieldbench records no location, but
// a form that ODK would refuse is refused here too.
func (r *surveyReader) checkAuditLocation(p map[string]string, loc Location, oneOf func(string, ...string)) {
	_, priority := p["location-priority"]
	minText, hasMin := p["location-min-interval"]
	maxText, hasMax := p["location-max-age"]
	if !priority && !hasMin && !hasMax {
		return
	}
	if !priority || !hasMin || !hasMax {
		r.b.errorAt(loc, ldAuditLocationAll)
		return
	}
	oneOf("location-priority", "no-power", "low-power", "balanced", "high-accuracy")
	minInterval, err := strconv.Atoi(minText)
	if err != nil {
		r.b.errorAt(loc, ldParamWhole, "location-min-interval", quote(minText))
		return
	}
	maxAge, err := strconv.Atoi(maxText)
	switch {
	case err != nil:
		r.b.errorAt(loc, ldParamWhole, "location-max-age", quote(maxText))
	case minInterval < 0:
		r.b.errorAt(loc, ldAuditMinInterval, minInterval)
	case maxAge < minInterval:
		r.b.errorAt(loc, ldAuditMaxAge, maxAge, minInterval)
	}
}

// decimalRE is a number as a parameter may give it (no hex, no fraction).
var decimalRE = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)

// wholeRefRE is a cell that is one ${name} and nothing else.
var wholeRefRE = regexp.MustCompile(`^\$\{[\p{L}_][\p{L}\p{N}\p{M}_.-]*\}$`)

// androidPackageName applies Android's rule for application ids, which an
// image question's app= names: two or more dot-separated parts of ASCII
// letters, digits and _, none empty or starting with a digit or _.
func androidPackageName(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" || p[0] == '_' || (p[0] >= '0' && p[0] <= '9') {
			return false
		}
		for _, c := range p {
			if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				return false
			}
		}
	}
	return true
}

// checkGeometryRefs checks each reference-geometry parameter once the
// survey is read: it names a list of the choices sheet or an attached file
// the survey declares (not a pulldata() file, nor an external_choices
// list), or is ${name} of a repeat, as pyxform requires (ODK reads the
// shapes from there).
func (b *builder) checkGeometryRefs() {
	for _, g := range b.geometryRefs {
		if b.choiceLists[g.text] != nil || b.f.attachmentFor(g.text) != nil {
			continue
		}
		if wholeRefRE.MatchString(g.text) {
			name := g.text[2 : len(g.text)-1]
			if slices.ContainsFunc(b.f.Fields, func(fd *Field) bool { return fd.Type == TypeRepeat && fd.Name == name }) {
				continue
			}
		}
		b.errorAt(g.loc, ldParamGeometry, quote(g.text))
	}
}
