package forms

import (
	"fmt"
	"strings"
)

// The interface languages. Messages a person sees come in all three.
const (
	LangHans = "zh-Hans"
	LangHant = "zh-Hant"
	LangEn   = "en"
)

// UILanguage maps what a user or environment says (zh_CN.UTF-8, zh-TW,
// zh_Hant_TW, en-US...) to one of the three interface languages. It is
// the one rule for the whole program: the command line, the workbench and
// the messages of this package all ask it.
//
// Traditional Chinese is named by its script (zh-Hant, zh_Hant_TW) or by
// the regions that write it (Taiwan, Hong Kong, Macau); a script beats a
// region, so zh-Hans-HK is Simplified. English is any locale of English.
// Everything else is Simplified Chinese, the language of the people this
// tool is for: no locale, C and POSIX, and also a locale of a language
// fieldbench does not speak (fr_FR.UTF-8, ja_JP): such a locale says what
// the person cannot have, not which of Chinese and English they read, so
// the default stands and --lang or FIELDBENCH_LANG choose.
func UILanguage(s string) string {
	switch s {
	case LangHans, LangHant, LangEn:
		return s // what callers pass nearly always: no lower-cased copy
	}
	l := strings.ToLower(strings.ReplaceAll(s, "_", "-"))
	l, _, _ = strings.Cut(l, ".") // the encoding: zh_TW.Big5
	l, _, _ = strings.Cut(l, "@") // the modifier: sr_RS@latin
	switch {
	case l == "en" || strings.HasPrefix(l, "en-"):
		return LangEn
	case l == "zh-hans" || strings.HasPrefix(l, "zh-hans-"):
		return LangHans
	case l == "zh-hant" || strings.HasPrefix(l, "zh-hant-"),
		l == "zh-tw", l == "zh-hk", l == "zh-mo":
		return LangHant
	}
	return LangHans
}

func uiLanguage(s string) string { return UILanguage(s) }

// Languages are the interface languages in the order of the columns of
// every three-language text table.
var Languages = []string{LangHans, LangHant, LangEn}

// In is a three-language table row's text in lang (any spelling
// UILanguage reads).
func In(row [3]string, lang string) string {
	switch uiLanguage(lang) {
	case LangHant:
		return row[1]
	case LangEn:
		return row[2]
	}
	return row[0]
}

type msgKey string

const (
	msgUnknownField       msgKey = "unknown_field"
	msgWrongLevel         msgKey = "wrong_level"
	msgGroupKey           msgKey = "group_key"
	msgNotScalar          msgKey = "not_scalar"
	msgNoteAnswer         msgKey = "note_answer"
	msgRepeatNotList      msgKey = "repeat_not_list"
	msgRepeatItem         msgKey = "repeat_item"
	msgDropped            msgKey = "dropped"
	msgRecalculated       msgKey = "recalculated"
	msgRequired           msgKey = "required"
	msgRequiredNote       msgKey = "required_note"
	msgConstraint         msgKey = "constraint"
	msgNotInteger         msgKey = "not_integer"
	msgNotDecimal         msgKey = "not_decimal"
	msgNotDate            msgKey = "not_date"
	msgNotTime            msgKey = "not_time"
	msgNotDateTime        msgKey = "not_datetime"
	msgNotGeopoint        msgKey = "not_geopoint"
	msgNotGeotrace        msgKey = "not_geotrace"
	msgNotGeoshape        msgKey = "not_geoshape"
	msgRankIncomplete     msgKey = "rank_incomplete"
	msgRankTwice          msgKey = "rank_twice"
	msgNotAcknowledge     msgKey = "not_acknowledge"
	msgNotAChoice         msgKey = "not_a_choice"
	msgFilteredOut        msgKey = "filtered_out"
	msgRepeatCount        msgKey = "repeat_count"
	msgWarning            msgKey = "warning"
	msgWarningsList       msgKey = "warnings_list"
	msgWarningsItem       msgKey = "warnings_item"
	msgEntitiesList       msgKey = "entities_list"
	msgEntitiesItem       msgKey = "entities_item"
	msgEntitiesUndeclared msgKey = "entities_undeclared"
	msgWarningsRule       msgKey = "warnings_rule"
	msgWarningsPlace      msgKey = "warnings_place"
	msgWarningsNoSoft     msgKey = "warnings_no_soft"
	msgWarningsNoTag      msgKey = "warnings_no_tag"
	msgWarningsMoot       msgKey = "warnings_moot"
	msgWarningsTwice      msgKey = "warnings_twice"
	msgTooLarge           msgKey = "too_large"
	msgNotUTF8            msgKey = "not_utf8"
	msgLooksGBK           msgKey = "looks_gbk"
	msgNotGB18030         msgKey = "not_gb18030"
	msgBadEncoding        msgKey = "bad_encoding"
)

// messages holds each message in zh-Hans, zh-Hant and en, in that order.
var messages = map[msgKey][3]string{
	msgUnknownField: {"表单中没有名为 %q 的问题", "表單中沒有名為 %q 的問題", "the form has no question named %q"},
	msgWrongLevel: {"%q 属于重复组 %s，应写在该组的每一项里", "%q 屬於重複組 %s，應寫在該組的每一項裡",
		"%q belongs inside repeat %s: put it in that repeat's items"},
	msgGroupKey: {"%q 是分组：其中问题的答案直接写在记录顶层", "%q 是分組：其中問題的答案直接寫在記錄頂層",
		"%q is a group: the answers of its questions go at the top level of the record"},
	msgNotScalar:     {"%q 的答案应为文字或数字", "%q 的答案應為文字或數字", "the answer to %q must be text or a number"},
	msgNoteAnswer:    {"%q 是说明，不收答案；已忽略", "%q 是說明，不收答案；已忽略", "%q is a note and takes no answer; ignored"},
	msgRepeatNotList: {"%q 是重复组，答案应为对象列表", "%q 是重複組，答案應為物件列表", "%q is a repeat: its answer must be a list of objects"},
	msgRepeatItem:    {"重复组 %q 的每一项都应是对象", "重複組 %q 的每一項都應是物件", "each item of repeat %q must be an object"},
	msgDropped: {"%q 在本记录中不适用，其答案已丢弃", "%q 在本記錄中不適用，其答案已丟棄",
		"%q does not apply to this record: its answer was dropped"},
	msgRecalculated: {"%q 由表单计算得出，已重新计算为 %q", "%q 由表單計算得出，已重新計算為 %q",
		"%q is calculated by the form: recalculated as %q"},
	msgRequired: {"此题必答", "此題必答", "this question is required"},
	msgRequiredNote: {"必读说明：它显示时记录不能完成，请修改前面的答案",
		"必讀說明：它顯示時記錄不能完成，請修改前面的答案",
		"a required note: the record cannot be finalized while it shows"},
	msgConstraint:  {"答案不符合本题的限制条件", "答案不符合本題的限制條件", "the answer does not meet this question's constraint"},
	msgNotInteger:  {"应为整数", "應為整數", "must be a whole number"},
	msgNotDecimal:  {"应为数字", "應為數字", "must be a number"},
	msgNotDate:     {"应为存在的日期，格式 YYYY-MM-DD", "應為存在的日期，格式 YYYY-MM-DD", "must be a real date written YYYY-MM-DD"},
	msgNotTime:     {"应为时间，格式 HH:MM 或 HH:MM:SS", "應為時間，格式 HH:MM 或 HH:MM:SS", "must be a time written HH:MM or HH:MM:SS"},
	msgNotDateTime: {"应为日期时间，格式 YYYY-MM-DDTHH:MM:SS", "應為日期時間，格式 YYYY-MM-DDTHH:MM:SS", "must be a date and time written YYYY-MM-DDTHH:MM:SS"},
	msgNotGeopoint: {"应为坐标：纬度 经度 [高度 精度]", "應為座標：緯度 經度 [高度 精度]", "must be coordinates: latitude longitude [altitude accuracy]"},
	msgNotGeotrace: {"应为一条线：至少两个点，用分号分开，每个点为 纬度 经度 [高度 精度]",
		"應為一條線：至少兩個點，用分號分開，每個點為 緯度 經度 [高度 精度]",
		"must be a line: two points or more separated by semicolons, each latitude longitude [altitude accuracy]"},
	msgNotGeoshape: {"应为一个区域：至少四个点，用分号分开，最后一点与第一点相同",
		"應為一個區域：至少四個點，用分號分開，最後一點與第一點相同",
		"must be an area: four points or more separated by semicolons, the last the same as the first"},
	msgRankIncomplete: {"请给全部 %d 个选项排序（现排了 %d 个）", "請給全部 %d 個選項排序（現排了 %d 個）",
		"rank all %d choices (%d are ranked)"},
	msgRankTwice:      {"%q 排了两次", "%q 排了兩次", "%q is ranked twice"},
	msgNotAcknowledge: {"确认题的答案只能是 OK", "確認題的答案只能是 OK", "an acknowledgement can only be answered OK"},
	msgNotAChoice:     {"%q 不是本题的选项", "%q 不是本題的選項", "%q is not one of this question's choices"},
	msgFilteredOut:    {"%q 与前面的答案不匹配，不在可选范围内", "%q 與前面的答案不匹配，不在可選範圍內", "%q is not available given the earlier answers"},
	msgRepeatCount:    {"应有 %d 项，实有 %d 项", "應有 %d 項，實有 %d 項", "needs %d entries, has %d"},
	msgWarning:        {"这个答案不太常见，请核实", "這個答案不太常見，請核實", "this answer is unusual: please check it"},
	msgWarningsList:   {"%s 应为已确认提醒的列表", "%s 應為已確認提醒的列表", "%s must be a list of confirmed warnings"},
	msgWarningsItem: {"每条已确认的提醒应为对象，只含文字字段 field、path、rule、message，且前三项不能为空",
		"每條已確認的提醒應為物件，只含文字欄位 field、path、rule、message，且前三項不能為空",
		"each confirmed warning must be an object with only the text members field, path, rule and message, the first three not empty"},
	msgEntitiesList: {"%s 应为实体变更的列表", "%s 應為實體變更的列表", "%s must be a list of entity changes"},
	msgEntitiesItem: {"每条实体变更应为对象：list、id 为非空文字，create 为真假值，label、path 为文字，base_version 为非负整数，properties 为文字值的对象，不含其他字段",
		"每條實體變更應為物件：list、id 為非空文字，create 為真假值，label、path 為文字，base_version 為非負整數，properties 為文字值的物件，不含其他欄位",
		"each entity change must be an object: list and id non-empty text, create true or false, label and path text, base_version a whole number of at least 0, properties an object of text values, and nothing else"},
	msgEntitiesUndeclared: {"本表单没有声明实体列表 %q", "本表單沒有宣告實體清單 %q", "this form declares no entity list %q"},
	msgTooLarge: {"记录数据有 %s，超过上限 %s：请缩短最长的答案", "記錄資料有 %s，超過上限 %s：請縮短最長的答案",
		"the record's data is %s, over the limit of %s: shorten its longest answers"},
	// A record file that is not text in its encoding (see EncodingError).
	msgNotUTF8: {"这一行不是 UTF-8 文本，什么都没有存入：请把文件另存为 UTF-8，或用 --encoding gbk（或 gb18030）说明它的编码",
		"這一行不是 UTF-8 文字，什麼都沒有存入：請把檔案另存為 UTF-8，或用 --encoding gbk（或 gb18030）說明它的編碼",
		"this line is not UTF-8 text and nothing was stored: save the file as UTF-8, or name its encoding with --encoding gbk (or gb18030)"},
	msgLooksGBK: {"这一行不是 UTF-8 文本，什么都没有存入；文件看来是 GBK/GB18030 编码（中文 Windows 上 Excel 和记事本的默认）：请加上 --encoding gbk 再运行",
		"這一行不是 UTF-8 文字，什麼都沒有存入；檔案看來是 GBK/GB18030 編碼（中文 Windows 上 Excel 和記事本的預設）：請加上 --encoding gbk 再執行",
		"this line is not UTF-8 text and nothing was stored; the file looks like GBK/GB18030 (what Excel and Notepad save on Chinese Windows): run again with --encoding gbk"},
	msgNotGB18030: {"这一行也不是 GBK/GB18030 文本，什么都没有存入：请确认文件的编码（--encoding utf-8、gbk 或 gb18030）",
		"這一行也不是 GBK/GB18030 文字，什麼都沒有存入：請確認檔案的編碼（--encoding utf-8、gbk 或 gb18030）",
		"this line is not GBK/GB18030 text either and nothing was stored: check which encoding the file was saved in (--encoding utf-8, gbk or gb18030)"},
	msgBadEncoding: {"不认识的编码 %q：可用 utf-8、gbk 或 gb18030", "不認識的編碼 %q：可用 utf-8、gbk 或 gb18030",
		"unknown encoding %q: use utf-8, gbk or gb18030"},
	// A confirmed warning that no form rule could have raised: see
	// Instance.checkConfirmed.
	msgWarningsRule: {"规则 %q 不是提醒（应为 warning 或 validate）；请从 __warnings 中删除这一条",
		"規則 %q 不是提醒（應為 warning 或 validate）；請從 __warnings 中刪除這一條",
		"rule %q is no warning (it must be warning or validate); remove this entry from __warnings"},
	msgWarningsPlace: {"表单在 %q 处没有问题 %q；请从 __warnings 中删除这一条",
		"表單在 %q 處沒有問題 %q；請從 __warnings 中刪除這一條",
		"the form has no question at %q named %q; remove this entry from __warnings"},
	msgWarningsNoSoft: {"问题 %q 没有提醒规则（warning 列）；请从 __warnings 中删除这一条",
		"問題 %q 沒有提醒規則（warning 欄）；請從 __warnings 中刪除這一條",
		"question %q has no soft check (warning column); remove this entry from __warnings"},
	msgWarningsNoTag: {"问题 %q 没有会提醒的 validate 规则（如 cn_division）；请从 __warnings 中删除这一条",
		"問題 %q 沒有會提醒的 validate 規則（如 cn_division）；請從 __warnings 中刪除這一條",
		"question %q has no validate rule that warns (such as cn_division); remove this entry from __warnings"},
	msgWarningsMoot: {"%q 在本记录中不适用或没有答案，不会有提醒；请从 __warnings 中删除这一条",
		"%q 在本記錄中不適用或沒有答案，不會有提醒；請從 __warnings 中刪除這一條",
		"%q does not apply or has no answer in this record, so nothing warned about it; remove this entry from __warnings"},
	msgWarningsTwice: {"与第 %d 条已确认的提醒重复；请从 __warnings 中删除这一条",
		"與第 %d 條已確認的提醒重複；請從 __warnings 中刪除這一條",
		"repeats confirmed warning %d; remove this entry from __warnings"},
}

func message(lang string, key msgKey, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return string(key)
	}
	if len(args) == 0 {
		return In(m, lang)
	}
	return fmt.Sprintf(In(m, lang), args...)
}
