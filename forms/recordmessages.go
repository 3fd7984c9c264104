package forms

import (
	"errors"
	"strconv"
)

// RecordError is a line of a record file (JSONL or CSV) that cannot be read
// as a record. Error is the English; Localized says it in the interface
// language, for the per-line messages of validate and import.
type RecordError struct {
	text loadText
}

func (e *RecordError) Error() string { return e.text.in(LangEn) }

// Localized is the message in lang (zh-Hans, zh-Hant, en).
func (e *RecordError) Localized(lang string) string { return e.text.in(lang) }

// Key names the message, whatever the language.
func (e *RecordError) Key() string {
	t := e.text
	// The location frames wrap the message that says what is wrong.
	for (t.key == ldRecordAtOffset || t.key == ldRecordAtLine) && len(t.args) == 2 {
		inner, ok := t.args[1].(loadText)
		if !ok {
			break
		}
		t = inner
	}
	return string(t.key)
}

func recordError(key loadKey, args ...any) *RecordError {
	return &RecordError{text: loadMsg(key, args...)}
}

// recordErrorAtLine puts "line N: " before a CSV problem.
func recordErrorAtLine(line int, key loadKey, args ...any) *RecordError {
	return &RecordError{text: loadMsg(ldRecordAtLine, line, loadMsg(key, args...))}
}

// LocalizedError is err in lang when it is one of this package's errors
// that knows its words (LoadErrors, *LoadError, *RecordError, wrapped or
// not), else err's own message.
func LocalizedError(err error, lang string) string {
	var les LoadErrors
	if errors.As(err, &les) {
		return les.Localized(lang)
	}
	var le *LoadError
	if errors.As(err, &le) {
		return le.Localized(lang)
	}
	var re *RecordError
	if errors.As(err, &re) {
		return re.Localized(lang)
	}
	return err.Error()
}

// RecordLineError is the message for line n of the record file name that
// is not a record, in lang: "NAME:N: malformed JSON: ...".
func RecordLineError(name string, n int, err error, lang string) error {
	return errors.New(name + ":" + strconv.Itoa(n) + ": " + loadMsg(ldRecordMalformed, LocalizedError(err, lang)).in(lang))
}

const (
	ldRecordAtOffset     loadKey = "record_at_offset"
	ldRecordAtLine       loadKey = "record_at_line"
	ldRecordMalformed    loadKey = "record_malformed"
	ldRecordEnd          loadKey = "record_end"
	ldRecordNull         loadKey = "record_null"
	ldRecordNotObject    loadKey = "record_not_object"
	ldRecordTwoValues    loadKey = "record_two_values"
	ldRecordTooDeep      loadKey = "record_too_deep"
	ldRecordBadChar      loadKey = "record_bad_char"
	ldRecordNameTwice    loadKey = "record_name_twice"
	ldRecordNameTwiceAny loadKey = "record_name_twice_any"
	ldRecordNotUTF8      loadKey = "record_not_utf8"
	ldEndOfLine          loadKey = "end_of_line"
	ldWhereValue         loadKey = "where_value"
	ldWhereName          loadKey = "where_name"
	ldWhereAfterName     loadKey = "where_after_name"
	ldWhereInObject      loadKey = "where_in_object"
	ldWhereInList        loadKey = "where_in_list"
	ldWhereLiteral       loadKey = "where_literal"
	ldWhereNumber        loadKey = "where_number"
	ldWhereString        loadKey = "where_string"
	ldWhereEscape        loadKey = "where_escape"
	ldWhereHexEscape     loadKey = "where_hex_escape"
	ldCSVRepeat          loadKey = "csv_repeat"
	ldCSVEmpty           loadKey = "csv_empty"
	ldCSVBlankHeader     loadKey = "csv_blank_header"
	ldCSVSameHeader      loadKey = "csv_same_header"
	ldCSVRowLength       loadKey = "csv_row_length"
	ldCSVBareQuote       loadKey = "csv_bare_quote"
	ldCSVQuote           loadKey = "csv_quote"
	ldCSVOther           loadKey = "csv_other"
)

// recordMessages are the record readers' messages, as loadMessages.
var recordMessages = map[loadKey][3]string{
	ldRecordAtOffset:  {"第 %d 字节处：%s", "第 %d 位元組處：%s", "offset %d: %s"},
	ldRecordAtLine:    {"第 %d 行：%s", "第 %d 行：%s", "line %d: %s"},
	ldRecordMalformed: {"不是有效的 JSON 记录：%s", "不是有效的 JSON 記錄：%s", "malformed JSON: %s"},
	ldRecordEnd:       {"JSON 意外结束（这一行不完整）", "JSON 意外結束（這一行不完整）", "unexpected end of JSON input"},
	ldRecordNull:      {"应为一个 JSON 对象，却是 null", "應為一個 JSON 物件，卻是 null", "expected a JSON object, got null"},
	ldRecordNotObject: {"应为一个 JSON 对象，却遇到 %s", "應為一個 JSON 物件，卻遇到 %s", "expected a JSON object, found %s"},
	ldRecordTwoValues: {"这一行有不止一个 JSON 值", "這一行有不止一個 JSON 值", "more than one JSON value on the line"},
	ldRecordTooDeep:   {"嵌套太深", "巢狀太深", "nested too deeply"},
	ldRecordBadChar:   {"%[2]s遇到无效字符 %[1]s", "%[2]s遇到無效字元 %[1]s", "invalid character %s %s"},
	ldRecordNameTwice: {
		"名称 %s 在同一个对象中出现了两次：一条记录中每个答案只能写一次",
		"名稱 %s 在同一個物件中出現了兩次：一筆記錄中每個答案只能寫一次",
		"the name %s appears twice in one object; a record names each answer once"},
	ldRecordNameTwiceAny: {"有名称在同一个对象中出现了两次", "有名稱在同一個物件中出現了兩次", "a name appears twice in one object"},
	ldRecordNotUTF8: {
		"字节 0x%02X 不是 UTF-8：文本必须存为 UTF-8",
		"位元組 0x%02X 不是 UTF-8：文字必須存為 UTF-8",
		"byte 0x%02X is not UTF-8; the text must be saved as UTF-8"},
	ldEndOfLine:      {"行尾", "行尾", "the end of the line"},
	ldWhereValue:     {"在应为值的位置", "在應為值的位置", "looking for a value"},
	ldWhereName:      {"在应为带引号的名称的位置", "在應為帶引號的名稱的位置", "looking for a name in quotes"},
	ldWhereAfterName: {"在名称之后", "在名稱之後", "after a name"},
	ldWhereInObject:  {"在对象中的值之后", "在物件中的值之後", "after a value in an object"},
	ldWhereInList:    {"在列表中的值之后", "在清單中的值之後", "after a value in a list"},
	ldWhereLiteral:   {"在字面量 %s 中", "在字面值 %s 中", "in literal %s"},
	ldWhereNumber:    {"在数字中", "在數字中", "in a number"},
	ldWhereString:    {"在字符串中", "在字串中", "in a string"},
	ldWhereEscape:    {"在字符串转义中", "在字串跳脫中", "in string escape code"},
	ldWhereHexEscape: {"在 \\u 十六进制转义中", "在 \\u 十六進位跳脫中", "in \\u hexadecimal character escape"},
	ldCSVRepeat: {
		"表单 %s 有重复组（%s）：CSV 每条记录只有一行，装不下重复组；请改为导入 JSONL（重复组是对象列表）",
		"表單 %s 有重複組（%s）：CSV 每筆記錄只有一列，裝不下重複組；請改為匯入 JSONL（重複組是物件列表）",
		"form %s has a repeat (%s): CSV holds one row per record and cannot carry repeats; import JSONL instead (a repeat is a list of objects)"},
	ldCSVEmpty: {
		"文件是空的：第一行必须写上字段名",
		"檔案是空的：第一行必須寫上欄位名",
		"the file is empty; the first row must name the fields"},
	ldCSVBlankHeader: {
		"第 1 行第 %d 列：表头为空；每一列都需要字段名",
		"第 1 行第 %d 欄：標題為空；每一欄都需要欄位名",
		"line 1, column %d: blank header; every column needs a field name"},
	ldCSVSameHeader: {"第 %d 列和第 %d 列都是 %q", "第 %d 欄和第 %d 欄都是 %q", "columns %d and %d are both %q"},
	ldCSVRowLength:  {"有 %d 个值，但有 %d 列", "有 %d 個值，但有 %d 欄", "%d values for %d columns"},
	ldCSVBareQuote: {
		"未加引号的字段中有 \"：含引号的值要整个用 \"...\" 括起来，内部的 \" 写成 \"\"",
		"未加引號的欄位中有 \"：含引號的值要整個用 \"...\" 括起來，內部的 \" 寫成 \"\"",
		"bare \" in non-quoted-field"},
	ldCSVQuote: {
		"带引号的字段中引号多余或缺少：内部的 \" 要写成 \"\"",
		"帶引號的欄位中引號多餘或缺少：內部的 \" 要寫成 \"\"",
		"extraneous or missing \" in quoted-field"},
	ldCSVOther: {"%v", "%v", "%v"},
}
