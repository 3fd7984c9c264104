package main

import (
	"errors"
	"flag"
	"io"
	"strings"
	"time"
)

// The flag package speaks English of its own: "Usage of", PrintDefaults
// with its type names and (default ...), and its parse errors. A
// command's FlagSet therefore prints nothing itself (newFlagSet), parses
// through parseFlags, which says what is wrong from cliText, and lists
// its flags with printFlags, from help texts the command took from
// cliText when it built the set (the language is known by then).

// helpWidth is the width help is wrapped to: a terminal of 80 columns,
// where a Chinese character takes two.
const helpWidth = 80

// newFlagSet is a command's FlagSet, silent: its usage is the command's
// own (set fs.Usage), and parse errors are printed by parseFlags.
func (a *App) newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() { a.printFlags(a.Stderr, fs) }
	return fs
}

// parseFlags parses args as fs.Parse does, and on an error says what is
// wrong in the command's language, then shows the command's usage (on -h
// only the usage). The error is returned; callers exit with exitUnusable.
func (a *App) parseFlags(fs *flag.FlagSet, args []string) error {
	// The flag package calls Usage before it returns the error: hold it
	// back so that the error comes first, as a person reads them.
	usage := fs.Usage
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.Usage = usage
	if err == nil {
		return nil
	}
	if !errors.Is(err, flag.ErrHelp) {
		a.fail("plain", a.flagErr(fs, err))
	}
	usage()
	return err
}

// flagErr is a parse error of the flag package in the command's
// language. The package's errors are plain strings; their wording has
// been the same since Go 1, and anything not recognised shows as it is.
func (a *App) flagErr(fs *flag.FlagSet, err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return a.f("flag.err.undefined", "-"+name)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return a.f("flag.err.needs_value", "-"+name)
	}
	if arg, ok := strings.CutPrefix(msg, "bad flag syntax: "); ok {
		return a.f("flag.err.syntax", arg)
	}
	// invalid value "x" for flag -name: reason
	// invalid boolean value "x" for -name: reason
	for _, prefix := range []string{"invalid value ", "invalid boolean value "} {
		rest, ok := strings.CutPrefix(msg, prefix)
		if !ok {
			continue
		}
		i := strings.Index(rest, "\" for ") + 1 // the value is quoted
		if i == 0 {
			break
		}
		value := rest[:i]
		name, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(rest[i+len(" for "):], "flag "), "-"), ":")
		return a.f("flag.err.bad_value", value, "--"+name, a.flagWants(fs.Lookup(name)))
	}
	return msg
}

// flagWants says what a flag's value must look like, by its type.
func (a *App) flagWants(f *flag.Flag) string {
	if f == nil {
		return a.t("flag.wants.other")
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return a.t("flag.wants.other")
	}
	switch g.Get().(type) {
	case bool:
		return a.t("flag.wants.bool")
	case time.Duration:
		return a.t("flag.wants.duration")
	case int, int64, uint, uint64:
		return a.t("flag.wants.int")
	}
	return a.t("flag.wants.other")
}

// printFlags lists fs's flags, as PrintDefaults does, in the command's
// language and wrapped to helpWidth: each flag with its placeholder (the
// word of its help in `backquotes`, as in Go's flag.UnquoteUsage), then
// its help, indented, and its default when that is not the zero value.
func (a *App) printFlags(w io.Writer, fs *flag.FlagSet) {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	a.say(w, "flag.options")
	fs.VisitAll(func(f *flag.Flag) {
		arg, help := unquoteHelp(f.Usage)
		if arg == "" && !isBoolFlag(f) {
			arg = a.t("flag.arg")
		}
		head := "  --" + f.Name
		if arg != "" {
			head += " " + arg
		}
		writeLine(w, head)
		if def := f.DefValue; def != "" && def != "0" && def != "false" && def != "0s" && def != "[]" {
			help += a.f("flag.default", def)
		}
		const indent = "        "
		for _, line := range wrapCells(help, helpWidth-len(indent)) {
			writeLine(w, indent+line)
		}
	})
}

// unquoteHelp splits a flag's help into its placeholder (the first word
// in backquotes) and the help without the backquotes.
func unquoteHelp(usage string) (arg, help string) {
	before, rest, ok := strings.Cut(usage, "`")
	if !ok {
		return "", usage
	}
	arg, after, ok := strings.Cut(rest, "`")
	if !ok {
		return "", usage
	}
	return arg, before + arg + after
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// syntaxHang is where a usage line's continuation starts: under what
// follows "fieldbench COMMAND ".
func syntaxHang(line string) int {
	i := strings.Index(line, "fieldbench ")
	if i < 0 {
		return 8
	}
	j := i + len("fieldbench ")
	k := strings.IndexByte(line[j:], ' ')
	if k < 0 || cells(line[:j+k+1]) > helpWidth/2 {
		return 8
	}
	return cells(line[:j+k+1])
}

// splitOutside splits s at the spaces outside [brackets].
func splitOutside(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case ' ':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// noBreakBefore are the characters a line must not start with (Chinese
// line-breaking rules: closing brackets and punctuation stay with what
// they follow); noBreakAfter the ones a line must not end with.
const (
	noBreakBefore = "，。、；：！？）」』》〉…,.;:!?)]"
	noBreakAfter  = "（「『《〈([$"
)

// wrapCells breaks text into lines of at most width cells: between words
// at spaces, and between any two Chinese characters, which have no spaces
// between them, except before closing or after opening punctuation. A
// word wider than width stays whole on its own line. Newlines in text
// are kept.
func wrapCells(text string, width int) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		out = append(out, wrapParagraph(para, width)...)
	}
	return out
}

func wrapParagraph(text string, width int) []string {
	// Units that may not be split: an ASCII word, or one wide character,
	// with the punctuation that must stay with it; " " between words.
	var units []string
	glue := false // the last unit ended in an opening bracket
	for _, r := range text {
		s := string(r)
		wide := cells(s) > 1
		n := len(units)
		switch {
		case r == ' ':
			units = append(units, " ")
			glue = false
			continue
		case n > 0 && units[n-1] != " " && (glue || strings.ContainsRune(noBreakBefore, r)):
			units[n-1] += s
		case n > 0 && !wide && units[n-1] != " " && !endsWide(units[n-1]):
			units[n-1] += s // the rest of an ASCII word
		default:
			units = append(units, s)
		}
		glue = strings.ContainsRune(noBreakAfter, r)
	}
	var lines []string
	line, w := "", 0
	for _, u := range units {
		uw := cells(u)
		if w > 0 && w+uw > width && u != " " {
			lines = append(lines, strings.TrimRight(line, " "))
			line, w = "", 0
		}
		if w == 0 && u == " " && len(lines) > 0 {
			continue // no space at the start of a continued line
		}
		line += u
		w += uw
	}
	return append(lines, strings.TrimRight(line, " "))
}

// endsWide reports whether s ends in a wide character (Chinese
// punctuation too: "LC_ALL、LANG" may break after the 、), after which a
// line may break.
func endsWide(s string) bool {
	r := []rune(s)
	return len(r) > 0 && cells(string(r[len(r)-1])) > 1
}

func init() {
	// The flags' texts are a part of the command line's catalogue, kept
	// apart for its size.
	addTexts("flagText", flagText)
}

// addTexts adds a part of the command line's catalogue kept in a file of
// its own; every key must be new.
func addTexts(name string, part map[string][3]string) {
	for k, v := range part {
		if _, dup := cliText[k]; dup {
			panic("cliText and " + name + " both have " + k)
		}
		cliText[k] = v
	}
}

// flagText holds the help of every flag, in the order of forms.Languages,
// with the placeholder of its value in `backquotes`; and the words
// printFlags and parseFlags print around them.
var flagText = map[string][3]string{
	"flag.options":               {"选项：", "選項：", "Options:"},
	"flag.arg":                   {"值", "值", "value"},
	"flag.default":               {"（默认 %s）", "（預設 %s）", " (default %s)"},
	"flag.err.undefined":         {"没有这个选项：%s", "沒有這個選項：%s", "flag provided but not defined: %s"},
	"flag.err.needs_value":       {"选项 %s 后面要跟一个值", "選項 %s 後面要跟一個值", "flag needs an argument: %s"},
	"flag.err.syntax":            {"选项的写法不对：%s", "選項的寫法不對：%s", "bad flag syntax: %s"},
	"flag.err.bad_value":         {"%s 不能作 %s 的值：%s", "%s 不能作 %s 的值：%s", "invalid value %s for flag %s: %s"},
	"flag.wants.bool":            {"应为 true 或 false", "應為 true 或 false", "true or false"},
	"flag.wants.duration":        {"应为时长，如 10s、5m、1h", "應為時長，如 10s、5m、1h", "a duration such as 10s, 5m or 1h"},
	"flag.wants.int":             {"应为整数", "應為整數", "a whole number"},
	"flag.wants.other":           {"格式不对", "格式不對", "not a valid value"},
	"flag.serve.body_small":      {"--body-memory %d：至少为 1（MiB）", "--body-memory %d：至少為 1（MiB）", "--body-memory %d: at least 1 (MiB)"},
	"flag.serve.rate_small":      {"--min-rate %d：至少为 1（字节每秒）", "--min-rate %d：至少為 1（位元組每秒）", "--min-rate %d: at least 1 (bytes a second)"},
	"flag.serve.conns_small":     {"--max-connections %d：至少为 1", "--max-connections %d：至少為 1", "--max-connections %d: at least 1"},
	"flag.serve.retention_small": {"--retention-days %d：应至少为 1", "--retention-days %d：應至少為 1", "--retention-days %d: at least 1"},
	"flag.serve.grace_bad":       {"--slow-grace %v：应为正的时长，如 10s", "--slow-grace %v：應為正的時長，如 10s", "--slow-grace %v: a duration such as 10s"},
	"flag.serve.public_url":      {"--public-url %q：应为 http 或 https 网址，如 https://catalogue.example.gov.cn/（不带用户、查询和片段）", "--public-url %q：應為 http 或 https 網址，如 https://catalogue.example.gov.cn/（不帶使用者、查詢和片段）", "--public-url %q: an http or https address such as https://catalogue.example.gov.cn/ (no user, query or fragment)"},
	"flag.serve.quality":         {"--quality-every %v：不能为负（0 表示从不）", "--quality-every %v：不能為負（0 表示從不）", "--quality-every %v: not negative (0: never)"},
	"flag.serve.tls_pair":        {"--tls-cert 和 --tls-key 要一起给", "--tls-cert 和 --tls-key 要一起給", "--tls-cert and --tls-key go together"},

	// Every command.
	"flag.lang":    {"消息的`语言`：zh-Hans、zh-Hant 或 en（默认按 FIELDBENCH_LANG、LC_ALL、LANG，都没有时为 zh-Hans）", "訊息的`語言`：zh-Hans、zh-Hant 或 en（預設依 FIELDBENCH_LANG、LC_ALL、LANG，都沒有時為 zh-Hans）", "`language` of messages: zh-Hans, zh-Hant or en (default: FIELDBENCH_LANG, LC_ALL, LANG, else zh-Hans)"},
	"flag.ui_lang": {"界面`语言`：zh-Hans、zh-Hant 或 en（默认按 FIELDBENCH_LANG、LC_ALL、LANG，都没有时为 zh-Hans）", "介面`語言`：zh-Hans、zh-Hant 或 en（預設依 FIELDBENCH_LANG、LC_ALL、LANG，都沒有時為 zh-Hans）", "interface `language`: zh-Hans, zh-Hant or en (default: FIELDBENCH_LANG, LC_ALL, LANG, else zh-Hans)"},
	// The laptop's database.
	"flag.db":        {"数据库`文件`（默认：$FIELDBENCH_DB，否则在用户的数据目录里）", "資料庫`檔案`（預設：$FIELDBENCH_DB，否則在使用者的資料目錄裡）", "database `file` (default: $FIELDBENCH_DB, else the user's data directory)"},
	"flag.collector": {"采集员`姓名`，写在每条记录和事件上（数据库会记住）", "採集員`姓名`，寫在每筆記錄和事件上（資料庫會記住）", "the collector's `name`, written on every record and event (remembered in the database)"},
	// forms show, validate, import.
	"flag.show_lang":    {"标签和消息的`语言`：zh-Hans、zh-Hant 或 en", "標籤和訊息的`語言`：zh-Hans、zh-Hant 或 en", "`language` of labels and messages: zh-Hans, zh-Hant or en"},
	"flag.form_file":    {"表单定义`文件`（.xlsx 或 .md）", "表單定義`檔案`（.xlsx 或 .md）", "the form definition `file` (.xlsx or .md)"},
	"flag.report":       {"报告`格式`：text，或 json（每条记录一个对象）", "報告`格式`：text，或 json（每筆記錄一個物件）", "report `format`: text, or json (one object per record)"},
	"flag.encoding":     {"文件的文字`编码`：utf-8，或 gbk（gb18030，中文 Windows 上 Excel 和记事本保存的编码）", "檔案的文字`編碼`：utf-8，或 gbk（gb18030，中文 Windows 上 Excel 和記事本儲存的編碼）", "the file's text `encoding`: utf-8, or gbk (gb18030) as Excel and Notepad save on Chinese Windows"},
	"flag.import_form":  {"记录所属的`表单`（form_id，要先用 forms add 登记）", "記錄所屬的`表單`（form_id，要先用 forms add 登記）", "the `form_id` the records belong to (registered with forms add)"},
	"flag.version":      {"表单`版本`（默认：最近登记的那个）", "表單`版本`（預設：最近登記的那個）", "the form `version` (default: the most recently added)"},
	"flag.dry_run":      {"只检查并报告，什么也不保存", "只檢查並報告，什麼也不儲存", "validate and report, store nothing"},
	"flag.records_form": {"只列出这个`表单`的记录", "只列出這個`表單`的記錄", "only records of this `form`"},
	"flag.records_state": {"只列出这个`状态`的记录：draft、finalized、queued、sent、conflict、rejected、returned", "只列出這個`狀態`的記錄：draft、finalized、queued、sent、conflict、rejected、returned",
		"only records in this `state`: draft, finalized, queued, sent, conflict, rejected, returned"},
	"flag.quality_form": {"要检查其记录的`表单`（form_id；所有版本，所有状态）", "要檢查其記錄的`表單`（form_id；所有版本，所有狀態）", "the `form_id` whose records to measure (all its versions, every state)"},
	"flag.quality_json": {"把报告打印成一个 JSON 对象，而不是表格", "把報告列印成一個 JSON 物件，而不是表格", "print the report as one JSON object instead of tables"},
	// export, download and the catalogue's export.
	"flag.export_form":   {"要导出其记录的`表单`（form_id；包括它的所有版本）", "要匯出其記錄的`表單`（form_id；包括它的所有版本）", "the `form_id` whose records to export (all its versions)"},
	"flag.export_format": {"`格式`：csv（一个目录，每层一个文件）、xlsx（每层一个工作表）或 jsonl（导入用的形式）", "`格式`：csv（一個目錄，每層一個檔案）、xlsx（每層一個工作表）或 jsonl（匯入用的形式）", "the `format`: csv (a directory, one file per level), xlsx (one sheet per level) or jsonl (the import shape)"},
	"flag.export_out":    {"写到哪个`路径`：csv 是一个目录，xlsx 是一个 .xlsx 文件，jsonl 是一个文件（默认：标准输出）", "寫到哪個`路徑`：csv 是一個目錄，xlsx 是一個 .xlsx 檔案，jsonl 是一個檔案（預設：標準輸出）", "where to write, a `path`: a directory for csv, a .xlsx file for xlsx, a file for jsonl (default: standard output)"},
	"flag.export_masked": {"遮盖标为敏感的字段的答案（证件号留前 6 位和后 4 位，电话留前 3 位和后 4 位，姓名只留姓，地址只到村）", "遮蓋標為敏感的欄位的答案（證件號留前 6 位和後 4 位，電話留前 3 位和後 4 位，姓名只留姓，地址只到村）", "mask the answers of fields marked sensitive (ID 6+4, phone 3+4, name surname, address to the village)"},
	"flag.export_state":  {"只导出这个`状态`的记录：finalized、queued、sent 或 returned（默认：这四种都导出）", "只匯出這個`狀態`的記錄：finalized、queued、sent 或 returned（預設：這四種都匯出）", "only records in this `state`: finalized, queued, sent or returned (default: all four)"},
	"flag.labels":        {"csv 和 xlsx：用问题标签作表头，选项标签和区划名称作值（默认：代码，给机器用）", "csv 和 xlsx：用問題標籤作表頭，選項標籤和區劃名稱作值（預設：代碼，給機器用）", "csv and xlsx: question labels as headers, choice labels and division names as values (default: codes, for machines)"},
	"flag.labels_lang":   {"标签（--labels）和消息的`语言`：zh-Hans、zh-Hant 或 en（默认按 FIELDBENCH_LANG、LC_ALL、LANG，都没有时为 zh-Hans）", "標籤（--labels）和訊息的`語言`：zh-Hans、zh-Hant 或 en（預設依 FIELDBENCH_LANG、LC_ALL、LANG，都沒有時為 zh-Hans）", "`language` of the labels (with --labels) and of messages: zh-Hans, zh-Hant or en (default: FIELDBENCH_LANG, LC_ALL, LANG, else zh-Hans)"},
	"flag.form_id":       {"`表单`（form_id）", "`表單`（form_id）", "the form's `id`"},
	"flag.format":        {"`格式`：csv、xlsx 或 jsonl", "`格式`：csv、xlsx 或 jsonl", "the `format`: csv, xlsx or jsonl"},
	"flag.download_url":  {"中心目录的`网址`，如 https://catalogue.example:8480", "中心目錄的`網址`，如 https://catalogue.example:8480", "the catalogue's address (`URL`), e.g. https://catalogue.example:8480"},
	"flag.download_token": {"用户`令牌`（最好放在 %s 里：命令行上的选项别的用户在进程列表里看得到）", "使用者`權杖`（最好放在 %s 裡：命令列上的選項別的使用者在程序清單裡看得到）",
		"the user `token` (better in %s: a flag shows in the process list)"},
	"flag.download_out": {"输出`路径`：jsonl 和 xlsx 是一个新文件；csv 是放所有文件的目录（不给时主层写到标准输出；xlsx 必须给）", "輸出`路徑`：jsonl 和 xlsx 是一個新檔案；csv 是放所有檔案的目錄（不給時主層寫到標準輸出；xlsx 必須給）",
		"the output `path`: for jsonl and xlsx a new file; for csv a directory for every file (without it, the main level goes to stdout; xlsx needs it)"},
	// review.
	"flag.review_url":        {"中心目录的`网址`，如 https://catalogue.example:8480（默认 $FIELDBENCH_URL）", "中心目錄的`網址`，如 https://catalogue.example:8480（預設 $FIELDBENCH_URL）", "the catalogue's address (`URL`), e.g. https://catalogue.example:8480 (default $FIELDBENCH_URL)"},
	"flag.review_token":      {"审核员的`令牌`（最好用 $FIELDBENCH_TOKEN，shell 历史不会记下它）", "審核員的`權杖`（最好用 $FIELDBENCH_TOKEN，shell 歷史不會記下它）", "the reviewer's `token` (better: $FIELDBENCH_TOKEN, which shell history does not keep)"},
	"flag.review_form":       {"只列出这个`表单`的记录", "只列出這個`表單`的記錄", "only records of this `form`"},
	"flag.review_state_list": {"只列出最新版本处于这个`状态`的记录", "只列出最新版本處於這個`狀態`的記錄", "only records whose latest version is in this `state`"},
	"flag.review_state_set":  {"审核结果（`状态`）", "審核結果（`狀態`）", "the review (a `state`)"},
	"flag.review_comment":    {"给采集员的`意见`，说明要改正什么（拒收时必须写）", "給採集員的`意見`，說明要改正什麼（拒收時必須寫）", "the `comment`, what the collector should correct (needed to reject)"},
	"flag.review_version":    {"要审核的`版本`（默认：记录的最新版本）", "要審核的`版本`（預設：記錄的最新版本）", "the `version` to review (default: the record's latest)"},
	"flag.review_limit":      {"每页 `N` 条记录（默认 %d，最多 %d）", "每頁 `N` 筆記錄（預設 %d，最多 %d）", "`N` records on a page (default %d, at most %d)"},
	"flag.review_after":      {"这个`游标`之后的一页（游标印在每页的末尾）", "這個`游標`之後的一頁（游標印在每頁的末尾）", "the page after this `cursor` (printed at the end of a page)"},
	"flag.review_changed":    {"只显示版本之间不同的答案", "只顯示版本之間不同的答案", "only the answers that differ between versions"},
	"flag.review_clear":      {"不遮盖个人信息（限有权限的审核员；中心目录会记录这次查看）", "不遮蓋個人資料（限有權限的審核員；中心目錄會記錄這次查看）", "the personal answers in clear (reviewers with clearance; the catalogue records the view)"},
	// serve and catalogue.
	"flag.data":            {"中心目录的 SQLite 数据库所在的`目录`（默认：用户数据目录里的 fieldbench-catalogue）", "中心目錄的 SQLite 資料庫所在的`目錄`（預設：使用者資料目錄裡的 fieldbench-catalogue）", "`directory` of the catalogue's SQLite database (default: fieldbench-catalogue in the user's data directory)"},
	"flag.key":             {"中心目录密钥文件的`路径`（默认：--data 目录里的 catalogue.key；没有就新建，只有本人可读）", "中心目錄金鑰檔的`路徑`（預設：--data 目錄裡的 catalogue.key；沒有就新建，只有本人可讀）", "`path` of the catalogue's key file (default: catalogue.key in the --data directory; made, private, when missing)"},
	"flag.key_passphrase":  {"新建的密钥文件用口令保护（在终端上询问，否则读 FIELDBENCH_KEY_PASSPHRASE）；已有口令的密钥文件总会要口令", "新建的金鑰檔用口令保護（在終端機上詢問，否則讀 FIELDBENCH_KEY_PASSPHRASE）；已有口令的金鑰檔總會要口令", "protect a new key file with a passphrase (asked on a terminal, else FIELDBENCH_KEY_PASSPHRASE); a protected key file always asks for its own"},
	"flag.retention_days":  {"笔记本电脑在中心目录收到记录后保留其加密部分的`天数`", "筆記型電腦在中心目錄收到記錄後保留其加密部分的`天數`", "`days` a laptop keeps a sent record's sealed part after the catalogue's receipt"},
	"flag.postgres":        {"把中心目录放在 PostgreSQL 里：连接串 `DSN`（postgres://用户@主机:端口/数据库）；密码最好放在 PGPASSWORD 或 ~/.pgpass 里，不要写在命令行上", "把中心目錄放在 PostgreSQL 裡：連線字串 `DSN`（postgres://使用者@主機:埠/資料庫）；密碼最好放在 PGPASSWORD 或 ~/.pgpass 裡，不要寫在命令列上", "PostgreSQL connection string (`DSN`, postgres://USER@HOST:PORT/DB): keep the catalogue there instead; the password comes best from PGPASSWORD or ~/.pgpass, not the command line"},
	"flag.addr":            {"监听的`地址`（主机:端口）", "監聽的`位址`（主機:埠）", "`address` to listen on (HOST:PORT)"},
	"flag.tls_cert":        {"TLS 证书`文件`（与 --tls-key 一起给）：用 HTTPS 服务", "TLS 憑證`檔案`（與 --tls-key 一起給）：用 HTTPS 服務", "TLS certificate `file` (with --tls-key): serve HTTPS"},
	"flag.tls_key":         {"TLS 私钥`文件`", "TLS 私鑰`檔案`", "TLS key `file`"},
	"flag.quality_every":   {"每隔多长`时间`重新检查一次收到了记录的数据集的数据质量，供中心目录页面显示（0：从不）", "每隔多長`時間`重新檢查一次收到了記錄的資料集的資料品質，供中心目錄頁面顯示（0：從不）", "how often (a `duration`) the data quality of datasets that received records is measured again for the catalogue page (0: never)"},
	"flag.tz":              {"中心目录页面显示时间用的`时区`，如 Asia/Shanghai（默认：本机的时区）", "中心目錄頁面顯示時間用的`時區`，如 Asia/Shanghai（預設：本機的時區）", "the time `zone` the catalogue page shows times in, such as Asia/Shanghai (default: this machine's zone)"},
	"flag.public_url":      {"人和机器访问中心目录用的`网址`（https://主机[:端口][/路径]），用于 /catalogue.jsonld 里的地址（默认：监听的地址）", "人和機器存取中心目錄用的`網址`（https://主機[:埠][/路徑]），用於 /catalogue.jsonld 裡的位址（預設：監聽的位址）", "the address (`URL`) people and machines reach the catalogue at (https://HOST[:PORT][/PATH]), for the addresses in /catalogue.jsonld (default: the address listened on)"},
	"flag.body_memory":     {"同时读取和解码请求体可用的内存（`MiB`）；上传排队等候自己的份额", "同時讀取和解碼請求主體可用的記憶體（`MiB`）；上傳排隊等候自己的份額", "`MiB` of memory for request bodies being read and decoded at once; an upload waits for its share"},
	"flag.min_rate":        {"过了 --slow-grace 之后，客户端上传或取导出至少要达到的速度（每秒`字节`数）", "過了 --slow-grace 之後，用戶端上傳或取匯出至少要達到的速度（每秒`位元組`數）", "`bytes` a second a client must at least send an upload or take an export at, once --slow-grace has passed"},
	"flag.max_connections": {"同时最多打开 `N` 个连接；再多的排队等候", "同時最多開啟 `N` 個連線；再多的排隊等候", "at most `N` connections open at once; more wait their turn"},
	"flag.slow_grace":      {"客户端可以停顿多长`时间`，之后才按 --min-rate 要求", "用戶端可以停頓多長`時間`，之後才按 --min-rate 要求", "how long (a `duration`) a client may stall before --min-rate applies"},
	"flag.attach":          {"表单用到的数据`文件`（CSV、XML、GeoJSON）；多个时重复这个选项", "表單用到的資料`檔案`（CSV、XML、GeoJSON）；多個時重複這個選項", "a data `file` the form uses (CSV, XML, GeoJSON); repeat for several"},
	"flag.township":        {"乡镇（区划）`代码`；多个时重复这个选项", "鄉鎮（區劃）`代碼`；多個時重複這個選項", "township (division) `code`; repeat for several"},
	"flag.cat_out":         {"输出`路径`（csv：一个目录；xlsx：一个新的 .xlsx 文件）", "輸出`路徑`（csv：一個目錄；xlsx：一個新的 .xlsx 檔案）", "output `path` (csv: a directory; xlsx: a new .xlsx file)"},
	"flag.cat_masked":      {"遮盖敏感的答案", "遮蓋敏感的答案", "mask sensitive answers"},
	"flag.role":            {"`角色`，reviewer（审核员）或 reader（读者）", "`角色`，reviewer（審核員）或 reader（讀者）", "the `role`, reviewer or reader"},
	"flag.county":          {"县的 6 位区划`代码`", "縣的 6 位區劃`代碼`", "the county's 6-digit division `code`"},
	"flag.name":            {"这个人的`姓名`", "這個人的`姓名`", "the person's `name`"},
	"flag.cat_json":        {"把报告打印成 JSON", "把報告列印成 JSON", "print the reports as JSON"},
	"flag.clearance":       {"可以拿到不遮盖的有条件共享数据", "可以拿到不遮蓋的有條件共享資料", "may receive 有条件共享 data unmasked"},
	"flag.replaces":        {"要重新登记的已登记电脑的`设备号`（同一乡镇；它会得到新令牌）", "要重新登記的已登記電腦的`裝置號`（同一鄉鎮；它會得到新權杖）", "the `id` of an enrolled laptop to enrol again (same township; it gets a new token)"},
	"flag.set":             {"中心目录元素的 `键=值`；多个时重复这个选项", "中心目錄元素的 `鍵=值`；多個時重複這個選項", "`key=value` of a catalogue element; repeat for several"},

	// What follows a command's path in its usage line (Command.Synopsis).
	"syn.catalogue_publish":       {"文件 --township 代码... [--attach 数据文件]...", "檔案 --township 代碼... [--attach 資料檔]...", "FILE --township CODE... [--attach DATA]..."},
	"syn.catalogue_device_add":    {"--township 代码 [--replaces 设备号]", "--township 代碼 [--replaces 裝置號]", "--township CODE [--replaces DEVICE_ID]"},
	"syn.catalogue_device_revoke": {"设备号", "裝置號", "ID"},
	"syn.catalogue_user_add":      {"--role reviewer|reader --county 代码 [--name 姓名] [--clearance]", "--role reviewer|reader --county 代碼 [--name 姓名] [--clearance]", "--role reviewer|reader --county CODE [--name NAME] [--clearance]"},
	"syn.catalogue_user_revoke":   {"用户号", "使用者號", "ID"},
	"syn.catalogue_records":       {"[--form 表单]", "[--form 表單]", "[--form ID]"},
	"syn.catalogue_export":        {"--form 表单 --format csv|xlsx|jsonl [--out 路径] [--masked] [--encrypt-to 公钥或文件]... [--labels [--lang 语言]]", "--form 表單 --format csv|xlsx|jsonl [--out 路徑] [--masked] [--encrypt-to 公鑰或檔案]... [--labels [--lang 語言]]", "--form ID --format csv|xlsx|jsonl [--out PATH] [--masked] [--encrypt-to RECIPIENT|FILE]... [--labels [--lang L]]"},
	"syn.catalogue_exports":       {"[--form 表单]", "[--form 表單]", "[--form ID]"},
	"syn.catalogue_describe":      {"[表单 [--set 键=值]...]", "[表單 [--set 鍵=值]...]", "[FORM_ID [--set key=value]...]"},
	"syn.review_list":             {"[--form 表单] [--state pending|approved|has-issues|rejected] [--limit N] [--after 游标]", "[--form 表單] [--state pending|approved|has-issues|rejected] [--limit N] [--after 游標]", "[--form ID] [--state pending|approved|has-issues|rejected] [--limit N] [--after CURSOR]"},
	"syn.review_show":             {"记录 [--changed] [--clear]", "記錄 [--changed] [--clear]", "RECORD [--changed] [--clear]"},
	"syn.review_set":              {"记录 --state approved|has-issues|rejected [--comment 意见] [--version 版本]", "記錄 --state approved|has-issues|rejected [--comment 意見] [--version 版本]", "RECORD --state approved|has-issues|rejected [--comment TEXT] [--version V]"},
	"syn.catalogue_quality":       {"--form 表单 [--json]", "--form 表單 [--json]", "--form ID [--json]"},

	// The usage lines after a command's first.
	"forms_list.usage": {"用法：fieldbench forms list [--db 路径]", "用法：fieldbench forms list [--db 路徑]", "usage: fieldbench forms list [--db PATH]"},
	"sync.usage":       {"用法：fieldbench --sync [--db 路径] [网址]", "用法：fieldbench --sync [--db 路徑] [網址]", "usage: fieldbench --sync [--db PATH] [URL]"},
}
