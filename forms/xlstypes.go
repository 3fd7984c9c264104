package forms

import (
	"path"
	"sort"
	"strconv"
	"strings"
)

// qtype is a parsed type cell of the survey sheet.
type qtype struct {
	typ        Type
	begin, end bool   // begin/end of a group or repeat (typ says which)
	loop       bool   // legacy "begin loop over LIST": expanded into one group per choice (loops.go)
	list       string // for selects, as written (list names are case-sensitive)
	external   bool   // select_one_external: the list is on the external_choices sheet
	orOther    bool
	isRange    bool
	implied    string // a constraint the legacy type carries ("phone number")
	answersOf  string // select_one ${name}: the choices are the answers to name
	fromFile   bool   // select_one_from_file: list is an attached file's name
	extFile    string // csv-external or xml-external: "csv" or "xml"
}

// Plain types by their lower-case spelling, including pyxform's legacy
// spellings (question_type_dictionary.py) still found in old forms.
var plainTypes = map[string]Type{
	"text": TypeText, "string": TypeText, "q string": TypeText, "add text prompt": TypeText,
	"integer": TypeInteger, "int": TypeInteger, "q int": TypeInteger, "add integer prompt": TypeInteger,
	"decimal": TypeDecimal, "q decimal": TypeDecimal, "add decimal prompt": TypeDecimal,
	"date": TypeDate, "q date": TypeDate, "add date prompt": TypeDate,
	"time": TypeTime, "q time": TypeTime, "add time prompt": TypeTime,
	"datetime": TypeDateTime, "date time": TypeDateTime, "q datetime": TypeDateTime,
	"q date time": TypeDateTime, "add datetime prompt": TypeDateTime, "add date time prompt": TypeDateTime,
	"note": TypeNote, "q note": TypeNote, "add note prompt": TypeNote,
	"calculate": TypeCalculate, "q calculate": TypeCalculate, "add calculate prompt": TypeCalculate,
	"hidden":      TypeCalculate,
	"acknowledge": TypeAcknowledge, "q acknowledge": TypeAcknowledge, "add acknowledge prompt": TypeAcknowledge,
	"trigger":  TypeAcknowledge,
	"geopoint": TypeGeopoint, "gps": TypeGeopoint, "location": TypeGeopoint, "q geopoint": TypeGeopoint,
	"q location": TypeGeopoint, "add location prompt": TypeGeopoint,
	"barcode": TypeBarcode, "q barcode": TypeBarcode, "add barcode prompt": TypeBarcode,
	"start": TypeStart, "start time": TypeStart, "get start time": TypeStart,
	"end": TypeEnd, "end time": TypeEnd, "get end time": TypeEnd,
	"today": TypeToday, "get today": TypeToday,
	"deviceid": TypeDeviceID, "imei": TypeDeviceID, "device id": TypeDeviceID, "get device id": TypeDeviceID,
	"uri:deviceid": TypeDeviceID,
	"username":     TypeUsername, "uri:username": TypeUsername,
	"phonenumber": TypePhoneNumber, "get phone number": TypePhoneNumber, "uri:phonenumber": TypePhoneNumber,
	"email": TypeEmail, "uri:email": TypeEmail,
	"simserial": TypeSimSerial, "sim id": TypeSimSerial, "get sim id": TypeSimSerial, "uri:simserial": TypeSimSerial,
	"subscriberid": TypeSubscriberID, "subscriber id": TypeSubscriberID, "get subscriber id": TypeSubscriberID,
	"uri:subscriberid": TypeSubscriberID,
	"image":            TypeImage, "photo": TypeImage, "q picture": TypeImage, "q image": TypeImage,
	"add image prompt": TypeImage, "add photo prompt": TypeImage,
	"audio": TypeAudio, "q audio": TypeAudio, "add audio prompt": TypeAudio,
	"video": TypeVideo, "q video": TypeVideo, "add video prompt": TypeVideo,
	"file": TypeFile, "add file prompt": TypeFile,
	"geotrace": TypeGeotrace, "q geotrace": TypeGeotrace, "geoshape": TypeGeoshape, "q geoshape": TypeGeoshape,
	"start-geopoint": TypeStartGeopoint, "background-geopoint": TypeBackgroundGeopoint, "audit": TypeAudit,
}

// pyxform's legacy whole-number types, with the largest answer each takes
// (question_type_dictionary.py gives them that constraint).
var boundedIntegers = map[string]string{
	"percentage":                        "100",
	"number of days in last month":      "31",
	"number of days in last six months": "183",
	"number of days in last year":       "365",
}

// typeAliases are legacy spellings read as the current type, whatever
// fieldbench does with that type.
var typeAliases = map[string]string{"q geotrace": "geotrace", "q geoshape": "geoshape"}

// Types fieldbench refuses, with what to tell the author.
var refusedTypes = map[string]loadKey{
	"background-audio": ldTypeBgAudio,
	"include":          ldTypeInclude,
}

type selectSpelling struct {
	words    []string
	typ      Type
	external bool
	fromFile bool
}

// Longer spellings first, so "select one from L" is not read as list "from".
var selectSpellings = func() []selectSpelling {
	one, multi := TypeSelectOne, TypeSelectMultiple
	raw := []struct {
		s       string
		t       Type
		ext, ff bool
	}{
		{"select_one_from_file", one, false, true}, {"select_multiple_from_file", multi, false, true},
		{"select one from file", one, false, true}, {"select multiple from file", multi, false, true},
		{"add select one prompt using", one, false, false}, {"add select multiple prompt using", multi, false, false},
		{"select all that apply from", multi, false, false}, {"select multiple from", multi, false, false},
		{"select one from", one, false, false}, {"select one using", one, false, false},
		{"select multiple using", multi, false, false},
		{"select_one_external", one, true, false}, {"select_multiple_external", multi, true, false},
		{"select all that apply", multi, false, false}, {"select_multiple", multi, false, false},
		{"select multiple", multi, false, false}, {"select_one", one, false, false},
		{"select one", one, false, false}, {"select1", one, false, false},
		{"rank", TypeRank, false, false},
	}
	out := make([]selectSpelling, len(raw))
	for i, r := range raw {
		out[i] = selectSpelling{strings.Fields(r.s), r.t, r.ext, r.ff}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].words) > len(out[j].words) })
	return out
}()

// parseType reads a type cell. On refusal it returns a message naming the
// feature and saying what to do instead.
func parseType(raw string) (qtype, loadText) {
	words := strings.Fields(raw)
	if len(words) == 0 {
		return qtype{}, loadMsg(ldTypeEmpty)
	}
	lw := make([]string, len(words))
	for i, w := range words {
		lw[i] = strings.ToLower(w)
	}
	lower := strings.Join(lw, " ")

	if q, msg, ok := parseControl(lw); ok {
		return q, msg
	}
	if canon, ok := typeAliases[lower]; ok {
		lower = canon
	}
	if t, ok := plainTypes[lower]; ok {
		return qtype{typ: t}, loadText{}
	}
	if most, ok := boundedIntegers[lower]; ok {
		return qtype{typ: TypeInteger, implied: ". >= 0 and . <= " + most}, loadText{}
	}
	switch lower {
	case "phone number":
		// pyxform's legacy type: digits only.
		return qtype{typ: TypeText, implied: `regex(., '^[0-9]*$')`}, loadText{}
	case "range":
		return qtype{typ: TypeInteger, isRange: true}, loadText{}
	}
	switch lower {
	case "csv-external", "xml-external":
		return qtype{extFile: lower[:3]}, loadText{}
	}
	if key, ok := refusedTypes[lower]; ok {
		return qtype{}, loadMsg(key)
	}
	for _, sp := range selectSpellings {
		if len(lw) <= len(sp.words) || !equalWords(lw[:len(sp.words)], sp.words) {
			continue
		}
		return parseSelect(sp, words[len(sp.words):], lw[len(sp.words):])
	}
	switch lw[0] {
	case "osm":
		// pyxform makes "osm" and "osm LIST" an upload of an OpenStreetMap
		// file, whose tags (the osm sheet) only a map app offers: here it
		// is a file question, its answer the attached file's name.
		if len(lw) <= 2 {
			return qtype{typ: TypeFile}, loadText{}
		}
	case "select_one", "select_multiple", "select_one_external", "select_multiple_external", "rank":
		return qtype{}, loadMsg(ldTypeNeedsList, lw[0], lw[0])
	}
	return qtype{}, loadMsg(ldTypeUnknown, quote(raw), didYouMeanText(closest(lower, typeSpellings())))
}

// parseControl reads begin/end group, repeat and loop.
func parseControl(lw []string) (q qtype, msg loadText, ok bool) {
	verb, rest := lw[0], lw[1:]
	switch {
	case strings.HasPrefix(verb, "begin_") || strings.HasPrefix(verb, "end_"):
		i := strings.IndexByte(verb, '_')
		rest = append([]string{verb[i+1:]}, rest...)
		verb = verb[:i]
	case verb == "begin" || verb == "end":
	default:
		return q, loadText{}, false
	}
	if len(rest) == 0 {
		if verb == "end" {
			return q, loadText{}, false // the metadata type end
		}
		return q, loadMsg(ldBeginNeedsKind), true
	}
	kind := rest[0]
	if len(rest) >= 2 && rest[0] == "looped" && rest[1] == "group" {
		kind, rest = "repeat", rest[1:]
	}
	switch kind {
	case "group":
		q.typ = TypeGroup
	case "repeat", "lgroup":
		q.typ = TypeRepeat
	case "loop":
		q.typ, q.loop = TypeGroup, true
	default:
		return q, loadText{}, false
	}
	q.begin, q.end = verb == "begin", verb == "end"
	if q.loop {
		if q.begin && (len(rest) != 3 || rest[1] != "over") {
			msg = loadMsg(ldLoopSyntax)
		}
		return q, msg, true
	}
	if len(rest) > 1 {
		if q.begin {
			return q, loadMsg(ldAfterBegin, quote(strings.Join(rest[1:], " ")), kind), true
		}
		return q, loadMsg(ldAfterEnd, quote(strings.Join(rest[1:], " ")), kind), true
	}
	return q, loadText{}, true
}

func parseSelect(sp selectSpelling, rest, lrest []string) (qtype, loadText) {
	q := qtype{typ: sp.typ, external: sp.external, list: rest[0]}
	q.fromFile = sp.fromFile || isFileName(q.list)
	if sp.fromFile && !isFileName(q.list) {
		return q, loadMsg(ldFromFileExtension, q.list)
	}
	if strings.Contains(q.list, "${") {
		name, ok := strings.CutPrefix(q.list, "${")
		name, closed := strings.CutSuffix(name, "}")
		if !ok || !closed || !validName(name) || len(rest) > 1 {
			return q, loadMsg(ldSelectFromAnswers, quote(strings.Join(rest, " ")))
		}
		q.answersOf, q.list = name, ""
		return q, loadText{}
	}
	switch tail := strings.Join(lrest[1:], " "); tail {
	case "":
	case "or_other", "or other", "or specify other":
		q.orOther = true
	default:
		return q, loadMsg(ldAfterList, quote(strings.Join(rest[1:], " ")), q.list, q.list)
	}
	return q, loadText{}
}

func isFileName(list string) bool {
	switch strings.ToLower(path.Ext(list)) {
	case ".csv", ".xml", ".geojson":
		return true
	}
	return false
}

func equalWords(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// typeSpellings lists the current spellings a misspelled type is compared
// with (not the legacy ones, which nobody means to type).
func typeSpellings() []string {
	return []string{"text", "integer", "decimal", "date", "time", "datetime", "note", "calculate",
		"acknowledge", "geopoint", "barcode", "start", "end", "today", "deviceid", "username",
		"image", "audio", "video", "file", "range", "hidden", "begin group", "end group",
		"begin repeat", "end repeat", "select_one", "select_multiple"}
}

// quote shows a cell value in a message. strconv.Quote escapes control
// characters, so nothing from a form definition can drive a terminal, and
// keeps printable Chinese as it is.
func quote(s string) string { return strconv.Quote(s) }
