package expr

import (
	"fmt"
	"strconv"
)

// A syntax error reaches the form's author in the interface language, like
// every other load message: SyntaxError keeps its message by key with its
// arguments, and Texts puts it into the three languages. The tables are in
// the order of forms.Languages: Simplified Chinese, Traditional Chinese,
// English. The English is what Msg and Error say.

// msgKey names a syntax message.
type msgKey string

const (
	msgOrOperator         msgKey = "or_operator"
	msgAndOperator        msgKey = "and_operator"
	msgDoubleEquals       msgKey = "double_equals"
	msgBang               msgKey = "bang"
	msgAxes               msgKey = "axes"
	msgAttributes         msgKey = "attributes"
	msgInvalidUTF8        msgKey = "invalid_utf8"
	msgUnexpectedChar     msgKey = "unexpected_char"
	msgUnterminatedString msgKey = "unterminated_string"
	msgDollar             msgKey = "dollar"
	msgUnterminatedRef    msgKey = "unterminated_ref"
	msgInvalidRef         msgKey = "invalid_ref"
	msgUnexpectedEnd      msgKey = "unexpected_end"
	msgUnexpected         msgKey = "unexpected"
	msgEmpty              msgKey = "empty"
	msgTooDeep            msgKey = "too_deep"
	msgPathAfter          msgKey = "path_after"
	msgExpectedRParen     msgKey = "expected_rparen"
	msgExpectedRBracket   msgKey = "expected_rbracket"
	msgNodeTest           msgKey = "node_test"
	msgStepMissing        msgKey = "step_missing"
	msgExpectedStep       msgKey = "expected_step"
	msgPredAfterDot       msgKey = "pred_after_dot"
	msgRelativeInPred     msgKey = "relative_in_pred"
	msgFuncUnsupported    msgKey = "func_unsupported"
	msgFuncUnknown        msgKey = "func_unknown"
	msgExpectedComma      msgKey = "expected_comma"
	msgArityOne           msgKey = "arity_one"
	msgArity              msgKey = "arity"
	msgArityEither        msgKey = "arity_either"
	msgArityRange         msgKey = "arity_range"
	msgArityAtLeastOne    msgKey = "arity_at_least_one"
	msgArityAtLeast       msgKey = "arity_at_least"
	msgPosition           msgKey = "position"
	msgRegex              msgKey = "regex"
	msgIndexedRepeatPairs msgKey = "indexed_repeat_pairs"
	msgIndexedRepeatRef   msgKey = "indexed_repeat_ref"
	msgInstanceName       msgKey = "instance_name"
	msgPulldataName       msgKey = "pulldata_name"
)

var messages = map[msgKey][3]string{
	msgOrOperator:         {"'||' 不是运算符：请用 or", "'||' 不是運算子：請用 or", "'||' is not an operator: use or"},
	msgAndOperator:        {"'&&' 不是运算符：请用 and", "'&&' 不是運算子：請用 and", "'&&' is not an operator: use and"},
	msgDoubleEquals:       {"'==' 不是运算符：比较请用 =", "'==' 不是運算子：比較請用 =", "'==' is not an operator: use = to compare"},
	msgBang:               {"多余的 '!'（请用 != 或 not()）", "多餘的 '!'（請用 != 或 not()）", "unexpected '!' (use != or not())"},
	msgAxes:               {"不支持轴（::）", "不支援軸（::）", "axes (::) are not supported"},
	msgAttributes:         {"不支持属性（@）", "不支援屬性（@）", "attributes (@) are not supported"},
	msgInvalidUTF8:        {"不是有效的 UTF-8 文字", "不是有效的 UTF-8 文字", "invalid UTF-8"},
	msgUnexpectedChar:     {"不能出现字符 %s", "不能出現字元 %s", "unexpected character %s"},
	msgUnterminatedString: {"字符串缺少结尾的引号", "字串缺少結尾的引號", "unterminated string literal"},
	msgDollar: {"多余的 '$'（引用写作 ${name}）", "多餘的 '$'（引用寫作 ${name}）",
		"unexpected '$' (references are written ${name})"},
	msgUnterminatedRef: {"引用没有结束：缺少 '}'", "引用沒有結束：缺少 '}'", "unterminated reference: missing '}'"},
	msgInvalidRef: {"引用 ${%s} 无效：名称以字母或 _ 开头，后面是字母、数字、-、_ 或 .",
		"引用 ${%s} 無效：名稱以字母或 _ 開頭，後面是字母、數字、-、_ 或 .",
		"invalid reference ${%s}: a name starts with a letter or _ and continues with letters, digits, -, _ or ."},
	msgUnexpectedEnd: {"表达式意外结束", "運算式意外結束", "unexpected end of expression"},
	msgUnexpected:    {"不能出现 %s", "不能出現 %s", "unexpected %s"},
	msgEmpty:         {"表达式是空的", "運算式是空的", "empty expression"},
	msgTooDeep:       {"表达式嵌套太深", "運算式巢狀太深", "expression is nested too deeply"},
	msgPathAfter: {"路径不能接在字面值或函数调用之后（current() 除外）",
		"路徑不能接在字面值或函式呼叫之後（current() 除外）",
		"a path cannot continue after a literal or a function call other than current()"},
	msgExpectedRParen: {"应有 ')' 与第 %d 个字符处的 '(' 配对，实为 %s",
		"應有 ')' 與第 %d 個字元處的 '(' 配對，實為 %s",
		"expected ')' to close '(' at column %d, found %s"},
	msgExpectedRBracket: {"应有 ']' 与第 %d 个字符处的 '[' 配对，实为 %s",
		"應有 ']' 與第 %d 個字元處的 '[' 配對，實為 %s",
		"expected ']' to close '[' at column %d, found %s"},
	msgNodeTest:     {"不支持 %s() 这类节点测试", "不支援 %s() 這類節點測試", "node tests such as %s() are not supported"},
	msgStepMissing:  {"表达式意外结束：缺少一步路径", "運算式意外結束：缺少一步路徑", "unexpected end of expression: a path step is missing"},
	msgExpectedStep: {"应为一步路径，实为 %s", "應為一步路徑，實為 %s", "expected a path step, found %s"},
	msgPredAfterDot: {"'.' 或 '..' 后面不能跟条件 [...]", "'.' 或 '..' 後面不能接條件 [...]", "a predicate cannot follow '.' or '..'"},
	msgRelativeInPred: {"条件 [...] 中的相对路径要接在路径或 ${name} 之后（或者用 . 和 ${name}）",
		"條件 [...] 中的相對路徑要接在路徑或 ${name} 之後（或者用 . 和 ${name}）",
		"relative paths inside predicates are not supported here: put the predicate on a path or ${name} (or use . and ${name})"},
	msgFuncUnsupported: {"不支持函数 %s()", "不支援函式 %s()", "function %s() is not supported"},
	msgFuncUnknown:     {"未知函数 %s()", "未知函式 %s()", "unknown function %s()"},
	msgExpectedComma: {"%s() 中应为 ',' 或 ')'，实为 %s", "%s() 中應為 ',' 或 ')'，實為 %s",
		"expected ',' or ')' in %s(), found %s"},
	msgArityOne:        {"%s() 需要 1 个参数，实有 %d 个", "%s() 需要 1 個參數，實有 %d 個", "%s() takes 1 argument, got %d"},
	msgArity:           {"%s() 需要 %d 个参数，实有 %d 个", "%s() 需要 %d 個參數，實有 %d 個", "%s() takes %d arguments, got %d"},
	msgArityEither:     {"%s() 需要 %d 或 %d 个参数，实有 %d 个", "%s() 需要 %d 或 %d 個參數，實有 %d 個", "%s() takes %d or %d arguments, got %d"},
	msgArityRange:      {"%s() 需要 %d 到 %d 个参数，实有 %d 个", "%s() 需要 %d 到 %d 個參數，實有 %d 個", "%s() takes %d to %d arguments, got %d"},
	msgArityAtLeastOne: {"%s() 至少需要 1 个参数，实有 %d 个", "%s() 至少需要 1 個參數，實有 %d 個", "%s() takes at least 1 argument, got %d"},
	msgArityAtLeast:    {"%s() 至少需要 %d 个参数，实有 %d 个", "%s() 至少需要 %d 個參數，實有 %d 個", "%s() takes at least %d arguments, got %d"},
	msgPosition: {"position() 的参数应为路径或 ${name}（如 ..、current()/..）", "position() 的參數應為路徑或 ${name}（如 ..、current()/..）",
		"position() takes a path or ${name} (such as .. or current()/..)"},
	msgRegex: {"regex() 中的正则表达式无效：%s", "regex() 中的正規表示式無效：%s", "invalid regular expression in regex(): %s"},
	msgIndexedRepeatPairs: {"indexed-repeat() 的参数是一个问题，然后每层重复组各一个重复组和一个序号：%d 个参数不成对",
		"indexed-repeat() 的參數是一個問題，然後每層重複組各一個重複組和一個序號：%d 個參數不成對",
		"indexed-repeat() takes a question, then a repeat and an index for each level: %d arguments do not pair up"},
	msgIndexedRepeatRef: {"indexed-repeat() 的第 %d 个参数应为问题或重复组的 ${name}",
		"indexed-repeat() 的第 %d 個參數應為問題或重複組的 ${name}",
		"argument %d of indexed-repeat() must be ${name} of a question or a repeat"},
	msgInstanceName: {"instance() 的参数应为加引号的选项列表名或附件名：instance('name')/root/item[条件]/列",
		"instance() 的參數應為加引號的選項清單名或附件名：instance('name')/root/item[條件]/欄",
		"instance() takes the name of a list or an attached file in quotes: instance('name')/root/item[condition]/column"},
	msgPulldataName: {"pulldata() 的第一个参数应为加引号的附加 CSV 文件名（不带 .csv）",
		"pulldata() 的第一個參數應為加引號的附加 CSV 檔名（不帶 .csv）",
		"pulldata() takes the name of the attached CSV file (without .csv) in quotes as its first argument"},
}

// text3 is a message argument that is words itself, one per language (a
// token described as "end of expression"); other arguments are the same in
// every language.
type text3 [3]string

func same3(s string) text3 { return text3{s, s, s} }

// format puts a message into language i (0 zh-Hans, 1 zh-Hant, 2 en).
func format(key msgKey, args []any, i int) string {
	m, ok := messages[key]
	if !ok {
		return string(key)
	}
	if len(args) == 0 {
		return m[i]
	}
	local := make([]any, len(args))
	for j, a := range args {
		if t, ok := a.(text3); ok {
			a = t[i]
		}
		local[j] = a
	}
	return fmt.Sprintf(m[i], local...)
}

// Key names the message ("" for a SyntaxError made without one), so tools
// and tests can tell errors apart whatever the language.
func (e *SyntaxError) Key() string { return string(e.key) }

// Texts is the message in Simplified Chinese, Traditional Chinese and
// English, in that order (forms.In picks one). A SyntaxError made without
// a key says Msg in all three.
func (e *SyntaxError) Texts() [3]string {
	if e.key == "" {
		return [3]string{e.Msg, e.Msg, e.Msg}
	}
	return [3]string{format(e.key, e.args, 0), format(e.key, e.args, 1), format(e.key, e.args, 2)}
}

// arityError is the message for a call with the wrong number of arguments,
// or "" when got is right.
func (d *funcDef) arityError(name string, got int) (msgKey, []any) {
	if got >= d.min && (d.max < 0 || got <= d.max) {
		return "", nil
	}
	switch {
	case d.max < 0 && d.min == 1:
		return msgArityAtLeastOne, []any{name, got}
	case d.max < 0:
		return msgArityAtLeast, []any{name, d.min, got}
	case d.min == d.max && d.min == 1:
		return msgArityOne, []any{name, got}
	case d.min == d.max:
		return msgArity, []any{name, d.min, got}
	case d.max == d.min+1:
		return msgArityEither, []any{name, d.min, d.max, got}
	}
	return msgArityRange, []any{name, d.min, d.max, got}
}

// quoteRune shows a character in a message as Go would write it.
func quoteRune(r rune) string { return strconv.QuoteRune(r) }
