package main

import (
	"errors"
	"flag"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// The command line speaks the workbench's language (App.language): every
// line a person reads comes from cliText, in the order of forms.Languages.
// Machine outputs (--json, --report json, the exported files) and the
// words the commands take (flag names, states, formats) are not
// translated.
// t is the text of key in the command's language; a missing key shows as
// itself, which the catalogue test forbids.
func (a *App) t(key string) string {
	row, ok := cliText[key]
	if !ok {
		return key
	}
	return forms.In(row, a.lang)
}

// nf is f for a sentence counting n things: English says "1 record" with
// the key's ".one" form; Chinese needs no plural, its measure words (条,
// 份, 个) are in the sentence itself.
func (a *App) nf(key string, n int, args ...any) string {
	if n == 1 && a.lang == forms.LangEn {
		if _, ok := cliText[key+".one"]; ok {
			key += ".one"
		}
	}
	return a.f(key, args...)
}

// addLangFlag gives a command that has no --lang of its own (one that
// sets the language of labels in an export, say) the flag, so that every
// command takes it; Run has read its value already.
func (a *App) addLangFlag(fs *flag.FlagSet) {
	if fs.Lookup("lang") == nil {
		fs.String("lang", "", a.t("flag.lang"))
	}
}

// heads is a table's header row in the command's language.
func (a *App) heads(keys ...string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = a.t(k)
	}
	return out
}

// catalogueErr is an error of the catalogue's database for the person:
// the ones with a name in the command's language, any other as it is.
func (a *App) catalogueErr(err error) string {
	if errors.Is(err, wire.ErrNotFound) {
		return a.t("not_found")
	}
	return err.Error()
}

// storeErr is an error opening or copying the laptop's database for the
// person: the refusals store names, in the command's language, with what
// to do; any other error as it is.
func (a *App) storeErr(err error) string {
	var oe *store.OpenError
	var newer *store.ErrNewerSchema
	if msg, ok := a.dataKeyErr(err); ok {
		return msg
	}
	switch {
	case errors.As(err, &newer):
		return a.f("db.newer", newer.Path, newer.Have, newer.Known)
	case errors.As(err, &oe):
		for kind, key := range map[error]string{store.ErrNotDatabase: "db.not_database", store.ErrNotFieldbench: "db.not_fieldbench",
			store.ErrCorrupt: "db.corrupt", store.ErrReadOnly: "db.read_only", store.ErrNoDirectory: "db.no_directory",
			store.ErrNoDatabase: "db.no_database"} {
			if oe.Kind == kind {
				return a.f(key, oe.Path)
			}
		}
	}
	return err.Error()
}

// stateName is a record state in the command's language (forms list
// counts records under these); a state without one, which a test
// prevents, as the word --state takes.
func (a *App) stateName(s store.State) string {
	if _, ok := cliText["state."+string(s)]; ok {
		return a.t("state." + string(s))
	}
	return string(s)
}

// cliText holds every sentence the commands print: Simplified Chinese,
// Traditional Chinese, English. Keys ending in ".one" are the English
// singular of the key before them (the Chinese columns repeat the plural).
var cliText = map[string][3]string{
	// The command list (fieldbench help).
	"usage.title":        {"fieldbench：乡镇数据采集员的离线采集工作台", "fieldbench：鄉鎮資料採集員的離線採集工作台", "fieldbench: offline collection workbench for township data collectors"},
	"usage.tui":          {"用法：fieldbench [--db 路径] [--collector 姓名] [--lang 语言]   （工作台）", "用法：fieldbench [--db 路徑] [--collector 姓名] [--lang 語言]   （工作台）", "Usage: fieldbench [--db PATH] [--collector NAME] [--lang L]   (the workbench)"},
	"usage.sync":         {"      fieldbench --sync [网址]   （发送已完成的记录，取回新的表单版本）", "      fieldbench --sync [網址]   （傳送已完成的記錄，取回新的表單版本）", "       fieldbench --sync [URL]   (send finalized records, get new form versions)"},
	"usage.command":      {"      fieldbench 命令 [参数]", "      fieldbench 命令 [參數]", "       fieldbench COMMAND [ARGS]"},
	"usage.commands":     {"命令：", "命令：", "Commands:"},
	"usage.more":         {"运行 'fieldbench 命令 -h' 查看命令的选项。每个命令都接受 --lang zh-Hans|zh-Hant|en。", "執行 'fieldbench 命令 -h' 查看命令的選項。每個命令都接受 --lang zh-Hans|zh-Hant|en。", "Run 'fieldbench COMMAND -h' for a command's options. Every command takes --lang zh-Hans|zh-Hant|en."},
	"cmd.forms":          {"表单定义：check 文件...、show 文件、add 文件...、list", "表單定義：check 檔案...、show 檔案、add 檔案...、list", "form definitions: check FILE..., show FILE, add FILE..., list"},
	"cmd.validate":       {"按表单检查答案记录，不保存", "按表單檢查答案記錄，不儲存", "validate answer records against a form without storing them"},
	"cmd.import":         {"检查记录（JSONL 或 CSV），把通过的保存为已完成", "檢查記錄（JSONL 或 CSV），把通過的儲存為已完成", "validate records (JSONL or CSV) and store the accepted ones as finalized"},
	"cmd.export":         {"把表单的记录导出为 csv、xlsx 或 jsonl [--masked]", "把表單的記錄匯出為 csv、xlsx 或 jsonl [--masked]", "export a form's records as csv, xlsx or jsonl [--masked]"},
	"cmd.records":        {"records list [--form 表单] [--state 状态]：列出记录", "records list [--form 表單] [--state 狀態]：列出記錄", "records list [--form ID] [--state S]"},
	"cmd.quality":        {"quality --form 表单 [--json]：完整度、未通过和有提醒的答案、重复证件号、每人每天的记录数", "quality --form 表單 [--json]：完整度、未通過和有提醒的答案、重複證件號、每人每天的記錄數", "quality --form ID [--json]: completeness, failed and warned answers, duplicate IDs, records per collector per day"},
	"cmd.audit":          {"audit verify：检查数据库是否损坏、审计记录的哈希链是否完整", "audit verify：檢查資料庫是否損壞、稽核紀錄的雜湊鏈是否完整", "audit verify: check the database for damage and the audit trail's hash chain"},
	"cmd.enrol":          {"enrol 网址 登记码：把这台电脑登记到中心目录（之后 fieldbench --sync 发送到那里）", "enrol 網址 登記碼：把這台電腦登記到中心目錄（之後 fieldbench --sync 傳送到那裡）", "enrol URL CODE: register this laptop with a catalogue (then fieldbench --sync sends to it)"},
	"cmd.download":       {"download --url 网址 --form 表单|--list 列表 --format csv|xlsx|jsonl：用用户令牌下载中心目录的导出", "download --url 網址 --form 表單|--list 列表 --format csv|xlsx|jsonl：用使用者權杖下載中心目錄的匯出", "download --url URL --form ID|--list LIST --format csv|xlsx|jsonl: a catalogue export, with a user token"},
	"cmd.serve":          {"运行中心目录服务器（见 fieldbench serve -h）", "執行中心目錄伺服器（見 fieldbench serve -h）", "run the central catalogue server (see fieldbench serve -h)"},
	"cmd.catalogue":      {"中心目录管理：publish、describe、device add|revoke、user add|revoke|list、records、quality、export、exports、entities", "中心目錄管理：publish、describe、device add|revoke、user add|revoke|list、records、quality、export、exports、entities", "catalogue administration: publish, describe, device add|revoke, user add|revoke|list, records, quality, export, exports, entities"},
	"cmd.review":         {"在中心目录审核记录：list、show 记录、set 记录 --state 状态 --comment 意见；实体冲突：conflicts、resolve 冲突 --keep 保留", "在中心目錄審核記錄：list、show 記錄、set 記錄 --state 狀態 --comment 意見；實體衝突：conflicts、resolve 衝突 --keep 保留", "review records on a catalogue: list, show RECORD, set RECORD --state S --comment TEXT; entity conflicts: conflicts, resolve CONFLICT --keep K"},
	"cmd.backup":         {"backup 文件：数据库的一致副本，使用中也可以", "backup 檔案：資料庫的一致副本，使用中也可以", "backup FILE: a consistent copy of the database, also while in use"},
	"cmd.help":           {"显示本帮助", "顯示本說明", "show this help"},
	"unknown_command":    {"没有命令 %q", "沒有命令 %q", "unknown command %q"},
	"unknown_subcommand": {"没有命令 %q（可用：%s）", "沒有命令 %q（可用：%s）", "unknown command %q (there are: %s)"},
	"usage.prefix":       {"用法：", "用法：", "usage: "},
	// Enrolment and sync.
	"enrol.usage":          {"用法：fieldbench enrol 网址 登记码", "用法：fieldbench enrol 網址 登記碼", "usage: fieldbench enrol URL CODE"},
	"enrol.help":           {"用管理员给的一次性登记码，把这台电脑登记到该网址的中心目录。", "用管理員給的一次性登記碼，把這台電腦登記到該網址的中心目錄。", "Registers this laptop with the catalogue at URL using the one-time CODE from its administrator."},
	"enrol.exists":         {"登记失败：中心目录以前已经登记过这台电脑（设备 %s），一台电脑只登记一次。", "登記失敗：中心目錄以前已經登記過這台電腦（裝置 %s），一台電腦只登記一次。", "enrolment failed: the catalogue has enrolled this laptop (device %s) before, and a laptop enrols once."},
	"enrol.exists_how":     {"要重新登记（令牌丢失、恢复权限），请把这个设备号交给管理员，由管理员用下面的命令为它生成登记码：", "要重新登記（權杖遺失、恢復權限），請把這個裝置號交給管理員，由管理員用下面的命令為它產生登記碼：", "To enrol it again (a lost token, access given back), give the administrator this device id; they make a code for it with"},
	"enrol.exists_then":    {"然后运行 fieldbench enrol %s 新登记码。刚才用的登记码还没有用掉。", "然後執行 fieldbench enrol %s 新登記碼。剛才用的登記碼還沒有用掉。", "and you run fieldbench enrol %s NEWCODE. The code you used is still unused."},
	"enrol.failed":         {"登记失败：%s", "登記失敗：%s", "enrolment failed: %s"},
	"enrol.done":           {"已登记：这台电脑（%s）发送到 %s，乡镇 %s", "已登記：這台電腦（%s）傳送到 %s，鄉鎮 %s", "enrolled: this laptop (%s) sends to %s for township %s"},
	"sync.not_enrolled":    {"这台电脑还没有登记到中心目录；请用管理员给的登记码运行 fieldbench enrol 网址 登记码", "這台電腦還沒有登記到中心目錄；請用管理員給的登記碼執行 fieldbench enrol 網址 登記碼", "this laptop is not enrolled with a catalogue yet; run fieldbench enrol URL CODE with the code from the administrator"},
	"sync.progress":        {"已发送 %d / %d", "已傳送 %d / %d", "sent %d of %d"},
	"sync.summary":         {"%s，%s，%s，%s，%s，%s", "%s，%s，%s，%s，%s，%s", "%s, %s, %s, %s, %s, %s"},
	"sync.sent":            {"发送 %d 条", "傳送 %d 筆", "%d sent"},
	"sync.duplicates":      {"%d 条已在中心目录", "%d 筆已在中心目錄", "%d already there"},
	"sync.conflicts":       {"冲突 %d 条", "衝突 %d 筆", "%d conflicts"},
	"sync.conflicts.one":   {"冲突 %d 条", "衝突 %d 筆", "%d conflict"},
	"sync.rejected":        {"拒收 %d 条", "拒收 %d 筆", "%d rejected"},
	"sync.returned":        {"审核退回 %d 条", "審核退回 %d 筆", "%d returned by review"},
	"sync.forms":           {"更新表单 %d 份", "更新表單 %d 份", "%d forms updated"},
	"sync.forms.one":       {"更新表单 %d 份", "更新表單 %d 份", "%d form updated"},
	"sync.new_form":        {"新表单：%s 版本 %s", "新表單：%s 版本 %s", "new form: %s version %s"},
	"sync.conflict":        {"冲突：记录 %s：%s", "衝突：記錄 %s：%s", "conflict: record %s: %s"},
	"sync.rejected_record": {"拒收：记录 %s：%s", "拒收：記錄 %s：%s", "rejected: record %s: %s"},
	"sync.returned_record": {"退回：记录 %s，审核人 %s：%s", "退回：記錄 %s，審核人 %s：%s", "returned: record %s by %s: %s"},
	"sync.stopped":         {"同步中断：%s；没有发送的记录都还在这台电脑上，下次同步时发送", "同步中斷：%s；沒有傳送的記錄都還在這台電腦上，下次同步時傳送", "sync stopped: %s; what was not sent stays on this laptop and goes next time"},
	// Why a request to the catalogue failed.
	"reason.unreachable":   {"连不上中心目录（没有网络，或服务器没有开）", "連不上中心目錄（沒有網路，或伺服器沒有開）", "the catalogue cannot be reached (no network, or the server is down)"},
	"reason.not_catalogue": {"回答的不是中心目录（可能要先登录 Wi-Fi）；登录网络后再试", "回答的不是中心目錄（可能要先登入 Wi-Fi）；登入網路後再試", "something that is not the catalogue answered (a Wi-Fi login page?); log in to the network and try again"},
	"reason.revoked":       {"中心目录不再接受这台电脑（权限已撤销），请向管理员要新的登记码", "中心目錄不再接受這台電腦（權限已撤銷），請向管理員要新的登記碼", "the catalogue no longer accepts this laptop (access revoked); ask the administrator for a new enrolment code"},
	"reason.bad_code":      {"中心目录不认识这个登记码，或者它已经用过了；请向管理员要新的登记码", "中心目錄不認識這個登記碼，或者它已經用過了；請向管理員要新的登記碼", "the catalogue does not know this enrolment code, or it was used already; ask the administrator for a new one"},
	"reason.interrupted":   {"已中断", "已中斷", "interrupted"},
	"status.401":           {"中心目录不认识这个令牌，或它已被撤销（%d）", "中心目錄不認識這個權杖，或它已被撤銷（%d）", "the catalogue does not know this token, or it was revoked (%d)"},
	"status.403":           {"中心目录不允许这样做（%d）", "中心目錄不允許這樣做（%d）", "the catalogue does not allow this (%d)"},
	"status.404":           {"中心目录里没有这一项（%d）", "中心目錄裡沒有這一項（%d）", "the catalogue has no such thing (%d)"},
	"status.409":           {"与中心目录已有的数据冲突（%d）", "與中心目錄已有的資料衝突（%d）", "it conflicts with what the catalogue holds (%d)"},
	"status.413":           {"对中心目录来说太大（%d）", "對中心目錄來說太大（%d）", "too large for the catalogue (%d)"},
	"status.422":           {"中心目录拒绝了这个请求（%d）", "中心目錄拒絕了這個請求（%d）", "the catalogue refused the request (%d)"},
	"status.busy":          {"中心目录暂时不能处理（%d），请稍后再试", "中心目錄暫時不能處理（%d），請稍後再試", "the catalogue cannot handle it now (%d); try again later"},
	"status.other":         {"中心目录回答了 %d", "中心目錄回答了 %d", "the catalogue answered %d"},
	"detail_sep":           {"：", "：", ": "},
	// Shared words.
	"plain":          {"%s", "%s", "%s"},
	"n_records":      {"%d 条记录", "%d 筆記錄", "%d records"},
	"n_records.one":  {"%d 条记录", "%d 筆記錄", "%d record"},
	"n_versions":     {"%d 个版本", "%d 個版本", "%d versions"},
	"n_versions.one": {"%d 个版本", "%d 個版本", "%d version"},
	"bad_state":      {"--state %q：应为 %s 之一", "--state %q：應為 %s 之一", "--state %q: one of %s"},
	// Table headers.
	"h.record":    {"记录", "記錄", "RECORD"},
	"h.form":      {"表单", "表單", "FORM"},
	"h.township":  {"乡镇", "鄉鎮", "TOWNSHIP"},
	"h.versions":  {"版本数", "版本數", "VERSIONS"},
	"h.version":   {"版本", "版本", "VERSION"},
	"h.version_n": {"版本 %d", "版本 %d", "VERSION %d"},
	"h.collector": {"采集员", "採集員", "COLLECTOR"},
	"h.received":  {"收到", "收到", "RECEIVED"},
	"h.state":     {"状态", "狀態", "STATE"},
	"h.comment":   {"意见", "意見", "COMMENT"},
	"h.field":     {"字段", "欄位", "FIELD"},
	"h.question":  {"问题", "問題", "QUESTION"},
	"h.at":        {"时间", "時間", "AT"},
	"h.reviewer":  {"审核人", "審核人", "REVIEWER"},
	// Review.
	"review.help":           {"每个子命令都用 --url 网址（或 FIELDBENCH_URL）指定中心目录，审核员的令牌放在 FIELDBENCH_TOKEN 里（--token 也可以，但会留在 shell 历史中）。拒收记录必须写意见：下次同步时记录退回发送它的电脑。show 像导出一样遮盖个人信息；--clear 让有权限的审核员看到原文，中心目录会记录这次查看。", "每個子命令都用 --url 網址（或 FIELDBENCH_URL）指定中心目錄，審核員的權杖放在 FIELDBENCH_TOKEN 裡（--token 也可以，但會留在 shell 歷史中）。拒收記錄必須寫意見：下次同步時記錄退回傳送它的電腦。show 像匯出一樣遮蓋個人資料；--clear 讓有權限的審核員看到原文，中心目錄會記錄這次查看。", "Each takes --url URL (or FIELDBENCH_URL) of the catalogue, and the reviewer's token in FIELDBENCH_TOKEN (--token TOKEN works too, but the shell's history keeps it). A rejected record needs a comment: it goes back to the laptop that sent it on its next sync. show masks personal answers as exports do; --clear shows them in clear to a reviewer with clearance, and the catalogue records that view."},
	"review.needs":          {"review 需要中心目录的地址（--url 网址或 FIELDBENCH_URL）和审核员令牌（FIELDBENCH_TOKEN）", "review 需要中心目錄的位址（--url 網址或 FIELDBENCH_URL）和審核員權杖（FIELDBENCH_TOKEN）", "review needs the catalogue's address (--url URL or FIELDBENCH_URL) and a reviewer's token (FIELDBENCH_TOKEN)"},
	"review.token_refused":  {"中心目录不认识这个令牌，或它已被撤销；请向管理员要审核员令牌（fieldbench catalogue user add --role reviewer）", "中心目錄不認識這個權杖，或它已被撤銷；請向管理員要審核員權杖（fieldbench catalogue user add --role reviewer）", "the catalogue does not know this token, or it was revoked; ask the administrator for a reviewer's token (fieldbench catalogue user add --role reviewer)"},
	"review.conflict_mark":  {"（冲突）", "（衝突）", " (conflict)"},
	"review.more":           {"还有：fieldbench review list --after %s（用同样的 --form 和 --state）", "還有：fieldbench review list --after %s（用同樣的 --form 和 --state）", "more: fieldbench review list --after %s (with the same --form and --state)"},
	"review.set":            {"记录 %s 版本 %s：%s，审核人 %s，时间 %s", "記錄 %s 版本 %s：%s，審核人 %s，時間 %s", "record %s version %s: %s by %s at %s"},
	"review.comment":        {"意见：%s", "意見：%s", "comment: %s"},
	"review.goes_back":      {"下次同步时，这条记录会退回发送它的电脑", "下次同步時，這筆記錄會退回傳送它的電腦", "the record goes back to the laptop that sent it on its next sync"},
	"review.record":         {"记录 %s  表单 %s  乡镇 %s  %s", "記錄 %s  表單 %s  鄉鎮 %s  %s", "record %s  form %s  township %s  %s"},
	"review.in_conflict":    {"有冲突：发来的一个版本不是接在最新版本之后；请对照下面的版本", "有衝突：傳來的一個版本不是接在最新版本之後；請對照下面的版本", "in conflict: a version was sent that does not follow the latest; compare them below"},
	"review.masked":         {"个人信息已遮盖，与导出相同；有权限的审核员可用 --clear 查看原文（中心目录会记录）", "個人資料已遮蓋，與匯出相同；有權限的審核員可用 --clear 查看原文（中心目錄會記錄）", "personal answers are masked, as in exports; a reviewer with clearance sees them with --clear (the catalogue records it)"},
	"review.clear":          {"个人信息为原文：中心目录已记录这次查看", "個人資料為原文：中心目錄已記錄這次查看", "personal answers in clear: the catalogue has recorded this view"},
	"review.latest":         {"（最新）", "（最新）", " (latest)"},
	"review.version":        {"版本 %d%s：%s", "版本 %d%s：%s", "version %d%s: %s"},
	"review.replaces":       {"，替换 %s", "，替換 %s", ", replaces %s"},
	"review.no_name":        {"（没有填姓名）", "（沒有填姓名）", "(no name given)"},
	"review.version_detail": {"  表单版本 %s，采集员 %s，发送设备 %s，收到时间 %s，%s", "  表單版本 %s，採集員 %s，傳送裝置 %s，收到時間 %s，%s", "  form version %s, collected by %s, sent from device %s, received %s, %s"},
	"review.review":         {"  审核：%s，审核人 %s，时间 %s", "  審核：%s，審核人 %s，時間 %s", "  review: %s by %s at %s"},
	"review.pending":        {"  审核：待审核", "  審核：待審核", "  review: pending"},
	"review.bad_data":       {"版本 %s：数据读不出来：%s", "版本 %s：資料讀不出來：%s", "version %s: the data does not read: %s"},
	"review.changed":        {"各版本之间有 %d 个答案改变（标 *）", "各版本之間有 %d 個答案改變（標 *）", "%d answers changed between versions (marked *)"},
	"review.changed.one":    {"各版本之间有 %d 个答案改变（标 *）", "各版本之間有 %d 個答案改變（標 *）", "%d answer changed between versions (marked *)"},
	"review.no_history":     {"审核历史：还没有", "審核歷史：還沒有", "review history: none yet"},
	"review.history":        {"审核历史：", "審核歷史：", "review history:"},
	// Shared words.
	"yes":                 {"是", "是", "yes"},
	"no":                  {"否", "否", "no"},
	"no_such_file":        {"%s：没有这个文件", "%s：沒有這個檔案", "%s: no such file"},
	"not_found":           {"没有这一项", "沒有這一項", "not found"},
	"revoked":             {"已撤销 %s", "已撤銷 %s", "revoked %s"},
	"stdout":              {"标准输出", "標準輸出", "standard output"},
	"exposed":             {"警告：%s", "警告：%s", "warning: %s"},
	"exposed.text":        {"%s 这台电脑的其他用户也能读取（权限 %04o）；用这条命令改为只有自己可读：%s", "%s 這台電腦的其他使用者也能讀取（權限 %04o）；用這條命令改為只有自己可讀：%s", "%s can be read by other users of this computer (mode %04o); make it private with: %s"},
	"n_fields":            {"%d 个字段", "%d 個欄位", "%d fields"},
	"n_fields.one":        {"%d 个字段", "%d 個欄位", "%d field"},
	"n_lists":             {"%d 个选项列表", "%d 個選項清單", "%d choice lists"},
	"n_lists.one":         {"%d 个选项列表", "%d 個選項清單", "%d choice list"},
	"n_choices":           {"%d 个选项", "%d 個選項", "%d choices"},
	"n_choices.one":       {"%d 个选项", "%d 個選項", "%d choice"},
	"n_devices":           {"%d 台设备", "%d 台裝置", "%d devices"},
	"n_devices.one":       {"%d 台设备", "%d 台裝置", "%d device"},
	"n_exports":           {"%d 次导出", "%d 次匯出", "%d exports"},
	"n_exports.one":       {"%d 次导出", "%d 次匯出", "%d export"},
	"n_views":             {"审核中 %d 条记录以原文查看", "審核中 %d 筆記錄以原文查看", "%d records viewed in clear in review"},
	"n_views.one":         {"审核中 %d 条记录以原文查看", "審核中 %d 筆記錄以原文查看", "%d record viewed in clear in review"},
	"version_q":           {" 版本 %q", " 版本 %q", " version %q"},
	"form_not_registered": {"表单 %s 还没有登记；请用 fieldbench forms add 文件.xlsx 添加", "表單 %s 還沒有登記；請用 fieldbench forms add 檔案.xlsx 新增", "form %s is not registered; add it with fieldbench forms add FILE.xlsx"},
	"state.draft":         {"草稿", "草稿", "draft"},
	"state.finalized":     {"已完成", "已完成", "finalized"},
	"state.queued":        {"发送中", "傳送中", "queued"},
	"state.sent":          {"已发送", "已傳送", "sent"},
	"state.conflict":      {"冲突", "衝突", "conflict"},
	"state.rejected":      {"拒收", "拒收", "rejected"},
	"state.returned":      {"退回", "退回", "returned"},
	// More table headers.
	"h.answered":   {"已回答", "已回答", "ANSWERED"},
	"h.catalogue":  {"编目", "編目", "CATALOGUE"},
	"h.clearance":  {"可看原文", "可看原文", "CLEARANCE"},
	"h.complete":   {"完整度", "完整度", "COMPLETE"},
	"h.county":     {"县", "縣", "COUNTY"},
	"h.created":    {"创建", "建立", "CREATED"},
	"h.key_id":     {"密钥编号", "金鑰編號", "KEY ID"},
	"h.recipient":  {"公钥", "公鑰", "PUBLIC KEY"},
	"h.retired":    {"停用", "停用", "RETIRED"},
	"h.day":        {"日期", "日期", "DAY"},
	"h.device":     {"设备", "裝置", "DEVICE"},
	"h.element":    {"元素", "元素", "ELEMENT"},
	"h.enrolled":   {"登记", "登記", "ENROLLED"},
	"h.failed":     {"未通过", "未通過", "FAILED"},
	"h.fields":     {"字段", "欄位", "FIELDS"},
	"h.format":     {"格式", "格式", "FORMAT"},
	"h.from":       {"来源", "來源", "FROM"},
	"h.id":         {"编号", "編號", "ID"},
	"h.in":         {"所在重复组", "所在重複組", "IN"},
	"h.key":        {"键", "鍵", "KEY"},
	"h.kind":       {"类别", "類別", "KIND"},
	"h.masked":     {"遮盖", "遮蓋", "MASKED"},
	"h.name":       {"名称", "名稱", "NAME"},
	"h.outcome":    {"结果", "結果", "OUTCOME"},
	"h.record_ids": {"记录编号", "記錄編號", "RECORD IDS"},
	"h.records":    {"记录数", "記錄數", "RECORDS"},
	"h.revoked":    {"撤销", "撤銷", "REVOKED"},
	"h.role":       {"角色", "角色", "ROLE"},
	"h.set_by":     {"设置来源", "設定來源", "SET BY"},
	"h.shared_as":  {"共享类型", "共享類型", "SHARED AS"},
	"h.sharing":    {"共享", "共享", "SHARING"},
	"h.started":    {"开始", "開始", "STARTED"},
	"h.title":      {"标题", "標題", "TITLE"},
	"h.updated":    {"更新", "更新", "UPDATED"},
	"h.value":      {"值", "值", "VALUE"},
	"h.warned":     {"有提醒", "有提醒", "WARNED"},
	"h.who":        {"操作人", "操作人", "WHO"},
	// The laptop's database.
	"db.no_place":       {"找不到放数据库的地方：%s；请用 --db 路径指定", "找不到放資料庫的地方：%s；請用 --db 路徑指定", "cannot find a place for the database: %s; name one with --db PATH"},
	"db.newer":          {"%s：由更新版本的 fieldbench 写入（结构版本 %d，本程序最高认识 %d）；请更新 fieldbench，文件没有改动", "%s：由更新版本的 fieldbench 寫入（結構版本 %d，本程式最高認識 %d）；請更新 fieldbench，檔案沒有改動", "%s: written by a newer fieldbench (schema version %d, this one knows up to %d); update fieldbench, the file was not changed"},
	"db.not_database":   {"%s：不是 SQLite 数据库；fieldbench 没有动它。请用 --db 指定另一个文件", "%s：不是 SQLite 資料庫；fieldbench 沒有動它。請用 --db 指定另一個檔案", "%s: not an SQLite database; fieldbench left it untouched. Use --db to name another file"},
	"db.not_fieldbench": {"%s：是 SQLite 数据库，但不是 fieldbench 的；fieldbench 没有动它。请用 --db 指定另一个文件", "%s：是 SQLite 資料庫，但不是 fieldbench 的；fieldbench 沒有動它。請用 --db 指定另一個檔案", "%s: an SQLite database, but not a fieldbench one; fieldbench left it untouched. Use --db to name another file"},
	"db.corrupt":        {"%s：数据库文件已损坏；请从备份恢复（fieldbench backup），或把它移到别处", "%s：資料庫檔案已損壞；請從備份還原（fieldbench backup），或把它移到別處", "%s: the database file is damaged; restore it from a backup (fieldbench backup) or move it aside"},
	"db.read_only":      {"%s：数据库不能写入；请检查文件和所在目录的权限，或用 --db", "%s：資料庫不能寫入；請檢查檔案和所在目錄的權限，或用 --db", "%s: the database cannot be written; check the permissions of the file and its directory, or use --db"},
	"db.no_directory":   {"%s：数据库所在的目录不存在；请先建立它，或用 --db", "%s：資料庫所在的目錄不存在；請先建立它，或用 --db", "%s: the database's directory does not exist; create it or use --db"},
	"db.no_database":    {"%s：这里没有数据库；请检查路径（--db 或 FIELDBENCH_DB），什么也没有创建", "%s：這裡沒有資料庫；請檢查路徑（--db 或 FIELDBENCH_DB），什麼也沒有建立", "%s: there is no database here; check the path (--db or FIELDBENCH_DB), nothing was created"},
	"tui.collector":     {"--collector：%s", "--collector：%s", "--collector: %s"},
	"tui.samples":       {"安装示例表单时出错：%s", "安裝範例表單時出錯：%s", "installing the sample forms: %s"},
	// forms.
	"forms.usage":              {"用法：fieldbench forms check 文件... | show 文件 | add 文件... | list", "用法：fieldbench forms check 檔案... | show 檔案 | add 檔案... | list", "usage: fieldbench forms check FILE... | show FILE | add FILE... | list"},
	"forms.no_languages":       {"无", "無", "none"},
	"forms.untagged":           {"（未标语言）", "（未標語言）", "(untagged)"},
	"forms.default":            {" [默认]", " [預設]", " [default]"},
	"forms_check.usage":        {"用法：fieldbench forms check [--attach 数据文件]... 文件...", "用法：fieldbench forms check [--attach 資料檔]... 檔案...", "usage: fieldbench forms check [--attach DATA]... FILE..."},
	"forms_check.help":         {"逐个加载表单（.xlsx 或 .md 表格），打印 ok 或带位置的错误。\n全部加载成功时退出码为 0，否则为 1。", "逐個載入表單（.xlsx 或 .md 表格），列印 ok 或帶位置的錯誤。\n全部載入成功時結束碼為 0，否則為 1。", "Loads each form (.xlsx, or .md markdown table) and prints ok or its located errors.\nExit 0 when every file loaded, 1 otherwise."},
	"forms_check.ok":           {"%s: ok（%s）", "%s: ok（%s）", "%s: ok (%s)"},
	"forms_check.summary":      {"%s，%s，语言：%s", "%s，%s，語言：%s", "%s, %s, languages: %s"},
	"forms_check.warning":      {"  警告：%s", "  警告：%s", "  warning: %s"},
	"forms_show.usage":         {"用法：fieldbench forms show [--lang 语言] [--attach 数据文件]... 文件", "用法：fieldbench forms show [--lang 語言] [--attach 資料檔]... 檔案", "usage: fieldbench forms show [--lang L] [--attach DATA]... FILE"},
	"forms_show.help":          {"把表单打印成树：组、重复组、题型、规则和语言。", "把表單列印成樹：群組、重複組、題型、規則和語言。", "Prints the form as a tree: groups, repeats, types, rules and languages."},
	"forms_show.version":       {"  （版本 %s）", "  （版本 %s）", "  (version %s)"},
	"forms_show.languages":     {"语言：%s", "語言：%s", "languages: %s"},
	"forms_show.instance_name": {"记录名称：%s", "記錄名稱：%s", "instance name: %s"},
	"forms_show.record_key":    {"  （记录中的键 %s）", "  （記錄中的鍵 %s）", "  (record key %s)"},
	"forms_show.lists":         {"选项列表：", "選項清單：", "choice lists:"},
	"forms_show.no_gps": {"%s（留空：终端没有 GPS，fieldbench 不记录位置）", "%s（留空：終端沒有 GPS，fieldbench 不記錄位置）",
		"%s(left blank: a terminal has no GPS, and fieldbench records no location)"},
	"forms_show.audit": {"%s（留空：fieldbench 自己的审计记录就是这份记录的过程数据，见 fieldbench audit）", "%s（留空：fieldbench 自己的稽核記錄就是這份記錄的過程資料，見 fieldbench audit）",
		"%s(left blank: fieldbench's own audit trail is this record's paradata; see fieldbench audit)"},
	"forms_show.filter_columns":     {"（筛选列：%s）", "（篩選欄：%s）", " (filter columns: %s)"},
	"forms_show.attachments":        {"附件（数据文件）：", "附件（資料檔）：", "attached files:"},
	"forms_show.attachment":         {"    %s（%s，%s）：%d 字节，sha256 %s", "    %s（%s，%s）：%d 位元組，sha256 %s", "    %s (%s, %s): %d bytes, sha256 %s"},
	"forms_show.attachment_missing": {"    %s（%s，%s）：未提供，请用 --attach %s 附上", "    %s（%s，%s）：未提供，請用 --attach %s 附上", "    %s (%s, %s): not given; attach it with --attach %s"},
	"forms_add.attachment":          {"  附件 %s：%d 字节，sha256 %s", "  附件 %s：%d 位元組，sha256 %s", "  attached %s: %d bytes, sha256 %s"},
	"forms.conflict":                {"表单 %s 版本 %s 已有不同的内容：请在 settings 工作表中改版本号", "表單 %s 版本 %s 已有不同的內容：請在 settings 工作表中改版本號", "form %s version %s already exists with different content; change the version in the settings sheet"},
	"forms.conflict_file":           {"表单 %s 版本 %s 已有不同的附件 %s：附件属于表单版本，换用其他数据请在 settings 工作表中改版本号", "表單 %s 版本 %s 已有不同的附件 %s：附件屬於表單版本，換用其他資料請在 settings 工作表中改版本號", "form %s version %s already exists with another %s; a version's files are part of it, so change the version in the settings sheet to use other data"},
	"forms_add.usage":               {"用法：fieldbench forms add [--db 路径] [--attach 数据文件]... 文件...", "用法：fieldbench forms add [--db 路徑] [--attach 資料檔]... 檔案...", "usage: fieldbench forms add [--db PATH] [--attach DATA]... FILE..."},
	"forms_add.help":                {"把表单定义登记到数据库。一对 (form_id, version) 永远不变：\n同一对配上不同内容会被拒绝；请改用新版本号。", "把表單定義登記到資料庫。一對 (form_id, version) 永遠不變：\n同一對配上不同內容會被拒絕；請改用新版本號。", "Registers form definitions in the database. A (form_id, version) pair never changes:\nadding the same pair with other content is refused; bump the version instead."},
	"forms_add.added":               {"%s：已添加 %s 版本 %s（%s）", "%s：已新增 %s 版本 %s（%s）", "%s: added %s version %s (%s)"},
	"forms_add.present":             {"%s：已经有了，没有改动 %s 版本 %s（%s）", "%s：已經有了，沒有改動 %s 版本 %s（%s）", "%s: already present, unchanged %s version %s (%s)"},
	"forms_list.none":               {"还没有表单：请用 fieldbench forms add 文件.xlsx 添加", "還沒有表單：請用 fieldbench forms add 檔案.xlsx 新增", "no forms yet: add one with fieldbench forms add FILE.xlsx"},
	// validate and import.
	"validate.usage":           {"用法：fieldbench validate --form 文件.xlsx [--attach 数据文件]... [--report json] [--lang 语言] [--encoding gbk] 答案.jsonl", "用法：fieldbench validate --form 檔案.xlsx [--attach 資料檔]... [--report json] [--lang 語言] [--encoding gbk] 答案.jsonl", "usage: fieldbench validate --form FILE.xlsx [--attach DATA]... [--report json] [--lang L] [--encoding gbk] ANSWERS.jsonl"},
	"validate.help":            {"检查记录（每行一个 JSON 对象；- 表示读标准输入），不保存。\n全部通过时退出码为 0，有未通过的为 1，表单或输入读不了为 2。", "檢查記錄（每行一個 JSON 物件；- 表示讀標準輸入），不儲存。\n全部通過時結束碼為 0，有未通過的為 1，表單或輸入讀不了為 2。", "Validates records (one JSON object per line; - reads standard input) without storing them.\nExit 0 when all were accepted, 1 when any was rejected, 2 when the form or input cannot be read."},
	"validate.summary":         {"%s：通过 %d 条，未通过 %d 条", "%s：通過 %d 筆，未通過 %d 筆", "%s: %d accepted, %d rejected"},
	"report.accepted":          {"第 %d 行：通过", "第 %d 行：通過", "line %d: accepted"},
	"report.rejected":          {"第 %d 行：未通过", "第 %d 行：未通過", "line %d: rejected"},
	"report.error":             {"    错误  %s（%s）：%s", "    錯誤  %s（%s）：%s", "    error    %s (%s): %s"},
	"report.warning":           {"    提醒  %s：%s", "    提醒  %s：%s", "    warning  %s: %s"},
	"import.usage":             {"用法：fieldbench import --form 表单 [--dry-run] [--report json] [--encoding gbk] 文件.jsonl|文件.csv", "用法：fieldbench import --form 表單 [--dry-run] [--report json] [--encoding gbk] 檔案.jsonl|檔案.csv", "usage: fieldbench import --form FORM_ID [--dry-run] [--report json] [--encoding gbk] FILE.jsonl|FILE.csv"},
	"import.help":              {"像完成记录时一样检查每条记录；通过的保存为已完成，未通过的一条也不保存。\n同一个文件再导入不会重复保存：每条记录以其输入行的哈希为键。\n全部通过时退出码为 0，有未通过的为 1，表单或文件用不了为 2。", "像完成記錄時一樣檢查每筆記錄；通過的儲存為已完成，未通過的一筆也不儲存。\n同一個檔案再匯入不會重複儲存：每筆記錄以其輸入行的雜湊為鍵。\n全部通過時結束碼為 0，有未通過的為 1，表單或檔案用不了為 2。", "Validates every record as finalize would; stores the accepted ones as finalized, none of the rejected.\nRe-importing the same file stores nothing twice: each record is keyed by a hash of its input line.\nExit 0 when all were accepted, 1 when any was rejected, 2 when the form or file cannot be used."},
	"import.summary":           {"%s：通过 %d 条，未通过 %d 条；%s，%d 条已经有了", "%s：通過 %d 筆，未通過 %d 筆；%s，%d 筆已經有了", "%s: %d accepted, %d rejected; %s, %d already present"},
	"import.stored":            {"保存 %d 条", "儲存 %d 筆", "%d stored"},
	"import.would_store":       {"将保存 %d 条（试运行）", "將儲存 %d 筆（試執行）", "%d would be stored (dry run)"},
	"import.partly_stored":     {"在此之前报告为通过的 %d 条记录已经保存；改好文件后再导入一次即可，不会重复保存", "在此之前報告為通過的 %d 筆記錄已經儲存；改好檔案後再匯入一次即可，不會重複儲存", "the %d records reported accepted before this are stored; fix the file and import it again: nothing is stored twice"},
	"import.partly_stored.one": {"在此之前报告为通过的 %d 条记录已经保存；改好文件后再导入一次即可，不会重复保存", "在此之前報告為通過的 %d 筆記錄已經儲存；改好檔案後再匯入一次即可，不會重複儲存", "the %d record reported accepted before this is stored; fix the file and import it again: nothing is stored twice"},
	"import.progress":          {"已读 %s，未通过 %d 条，已保存 %d 条", "已讀 %s，未通過 %d 筆，已儲存 %d 筆", "%s read, %d rejected, %d stored"},
	// records, audit, backup.
	"records.usage":      {"用法：fieldbench records list [--form 表单] [--state 状态] [--db 路径]", "用法：fieldbench records list [--form 表單] [--state 狀態] [--db 路徑]", "usage: fieldbench records list [--form ID] [--state S] [--db PATH]"},
	"audit.usage":        {"用法：fieldbench audit verify [--db 路径]", "用法：fieldbench audit verify [--db 路徑]", "usage: fieldbench audit verify [--db PATH]"},
	"audit.damaged":      {"数据库已损坏：%s", "資料庫已損壞：%s", "database damaged: %s"},
	"audit.broken":       {"审计记录被改动：%s", "稽核紀錄被改動：%s", "audit trail broken: %s"},
	"audit.data_changed": {"记录数据被改动：%s", "記錄資料被改動：%s", "record data changed: %s"},
	"audit.data_more":    {"记录数据被改动：另外还有 %d 处", "記錄資料被改動：另外還有 %d 處", "record data changed: and %d more"},
	"audit.ok":           {"完好（%d 条事件）", "完好（%d 筆事件）", "ok (%d events)"},
	"audit.ok.one":       {"完好（%d 条事件）", "完好（%d 筆事件）", "ok (%d event)"},
	"backup.usage":       {"用法：fieldbench backup [--db 路径] 文件", "用法：fieldbench backup [--db 路徑] 檔案", "usage: fieldbench backup [--db PATH] FILE"},
	"backup.help":        {"写出数据库的一致副本，数据库正在使用也可以。文件必须还不存在。", "寫出資料庫的一致副本，資料庫正在使用也可以。檔案必須還不存在。", "Writes a consistent copy of the database, also while it is in use. FILE must not exist."},
	"backup.exists":      {"%s 已经存在；请换一个新文件名", "%s 已經存在；請換一個新檔名", "%s already exists; name a new file"},
	"backup.failed":      {"备份失败：%s", "備份失敗：%s", "backup failed: %s"},
	"backup.done":        {"备份已写到 %s", "備份已寫到 %s", "backup written to %s"},
	// quality.
	"quality.usage":             {"用法：fieldbench quality --form 表单 [--db 路径] [--json]", "用法：fieldbench quality --form 表單 [--db 路徑] [--json]", "usage: fieldbench quality --form FORM_ID [--db PATH] [--json]"},
	"quality.help":              {"检查表单各种状态（草稿、已完成、已发送……）的记录：每个问题的完整度和未通过、有提醒的答案，\n重复的身份证号和信用代码（已遮盖），每个采集员每天的记录数。什么也不改。", "檢查表單各種狀態（草稿、已完成、已傳送……）的記錄：每個問題的完整度和未通過、有提醒的答案，\n重複的身分證號和信用代碼（已遮蓋），每個採集員每天的記錄數。什麼也不改。", "Measures the form's records in every state (drafts, finalized, sent...): completeness and\nfailed or warned answers per question, duplicated resident IDs and credit codes (masked),\nrecords per collector per day. Nothing is changed."},
	"quality.none_yet":          {"还没有", "還沒有", "none yet"},
	"quality.head":              {"%s（%s）：%s，各状态都算：%s", "%s（%s）：%s，各狀態都算：%s", "%s (%s): %s, every state counted: %s"},
	"quality.with_problems":     {"有错误的记录：%d 条，有提醒的：%d 条", "有錯誤的記錄：%d 筆，有提醒的：%d 筆", "records with errors: %d, with warnings: %d"},
	"quality.duplicates":        {"重复的证件号（已遮盖；标出来请人核对，没有合并）：%d 组", "重複的證件號（已遮蓋；標出來請人核對，沒有合併）：%d 組", "duplicated identifiers (masked; flagged for a person to check, nothing merged): %d"},
	"quality.per_day":           {"每个采集员每天的记录数：", "每個採集員每天的記錄數：", "records per collector per day:"},
	"quality.not_set":           {"（未设置）", "（未設定）", "(not set)"},
	"quality.of_failed":         {"%s 的质量：%s", "%s 的品質：%s", "quality of %s: %s"},
	"quality.none_in_catalogue": {"%s：中心目录里还没有记录", "%s：中心目錄裡還沒有記錄", "%s: no records in the catalogue yet"},
	"quality.township":          {"== 乡镇 %s", "== 鄉鎮 %s", "== township %s"},
	// export and download.
	"export.usage":              {"用法：fieldbench export --form 表单 --format csv|xlsx|jsonl [--out 路径] [--masked] [--encrypt-to 公钥或文件]... [--labels [--lang 语言]] [--state 状态]", "用法：fieldbench export --form 表單 --format csv|xlsx|jsonl [--out 路徑] [--masked] [--encrypt-to 公鑰或檔案]... [--labels [--lang 語言]] [--state 狀態]", "usage: fieldbench export --form FORM_ID --format csv|xlsx|jsonl [--out PATH] [--masked] [--encrypt-to RECIPIENT|FILE]... [--labels [--lang L]] [--state S]"},
	"export.help":               {"导出表单已完成、发送中、已发送和退回的记录。已有的文件决不覆盖。", "匯出表單已完成、傳送中、已傳送和退回的記錄。已有的檔案決不覆蓋。", "Exports the finalized, queued, sent and returned records of a form. Existing files are never overwritten."},
	"labels.help":               {"默认单元格里是代码（字段名作表头，选项和区划代码作值），给机器用；--labels 用问题标签作表头，选项标签和区划名称作值，语言按 --lang，给人看。xlsx 中整数和小数是数字单元格，日期是日期单元格；其他一律是文本，身份证号也是。", "預設儲存格裡是代碼（欄位名作表頭，選項和區劃代碼作值），給機器用；--labels 用問題標籤作表頭，選項標籤和區劃名稱作值，語言按 --lang，給人看。xlsx 中整數和小數是數字儲存格，日期是日期儲存格；其他一律是文字，身分證號也是。", "Cells hold codes by default (field names as headers, choice and division codes as values), for machines; --labels writes question labels as headers and choice labels and division names as values, in the language of --lang, for people. In xlsx, integer and decimal answers are number cells and dates date cells; everything else, ID numbers included, is text."},
	"format.bad":                {"--format %q：应为 csv、xlsx 或 jsonl", "--format %q：應為 csv、xlsx 或 jsonl", "--format %q: csv, xlsx or jsonl"},
	"format.needs_out":          {"--format %s 需要 --out 路径", "--format %s 需要 --out 路徑", "--format %s needs --out PATH"},
	"format.labels_jsonl":       {"--labels 只用于 csv 和 xlsx；jsonl 保留代码，供导入用", "--labels 只用於 csv 和 xlsx；jsonl 保留代碼，供匯入用", "--labels is for csv and xlsx; jsonl keeps the codes, for import"},
	"records.bad_state":         {"--state %s：没有这个状态；状态有 %s", "--state %s：沒有這個狀態；狀態有 %s", "--state %s: no such state; the states are %s"},
	"list_sep":                  {"、", "、", ", "},
	"export.bad_state":          {"--state %q：只导出已完成（finalized）、发送中（queued）、已发送（sent）或退回（returned）的记录", "--state %q：只匯出已完成（finalized）、傳送中（queued）、已傳送（sent）或退回（returned）的記錄", "--state %q: only finalized, queued, sent or returned records are exported"},
	"export.failed":             {"导出失败：%s", "匯出失敗：%s", "export failed: %s"},
	"export.audit_failed":       {"已导出，但审计事件没能写入：%s", "已匯出，但稽核事件沒能寫入：%s", "exported, but the audit event could not be written: %s"},
	"export.done":               {"已导出 %d 条记录到 %s", "已匯出 %d 筆記錄到 %s", "exported %d records to %s"},
	"export.done.one":           {"已导出 %d 条记录到 %s", "已匯出 %d 筆記錄到 %s", "exported %d record to %s"},
	"export.masked_only":        {"其中 %d 条记录在本机只保留了遮蔽后的内容（中心目录收到后已超过保留期限，或本机的密钥已重置），导出的是遮蔽后的内容；完整记录请从中心目录导出", "其中 %d 筆記錄在本機只保留了遮蔽後的內容（中心目錄收到後已超過保留期限，或本機的金鑰已重設），匯出的是遮蔽後的內容；完整記錄請從中心目錄匯出", "%d of them keep only their masked data on this laptop (the catalogue received them longer ago than its retention period, or this laptop's key was reset) and were exported masked; export the full records from the catalogue"},
	"export.masked_only.one":    {"其中 %d 条记录在本机只保留了遮蔽后的内容（中心目录收到后已超过保留期限，或本机的密钥已重置），导出的是遮蔽后的内容；完整记录请从中心目录导出", "其中 %d 筆記錄在本機只保留了遮蔽後的內容（中心目錄收到後已超過保留期限，或本機的金鑰已重設），匯出的是遮蔽後的內容；完整記錄請從中心目錄匯出", "%d of them keeps only its masked data on this laptop (the catalogue received it longer ago than its retention period, or this laptop's key was reset) and was exported masked; export the full record from the catalogue"},
	"export.done_catalogue":     {"已导出 %d 条记录", "已匯出 %d 筆記錄", "exported %d records"},
	"export.done_catalogue.one": {"已导出 %d 条记录", "已匯出 %d 筆記錄", "exported %d record"},
	"exists.file":               {"%s 已经存在；请换一个 --out，什么也没有覆盖", "%s 已經存在；請換一個 --out，什麼也沒有覆蓋", "%s already exists; choose another --out, nothing was overwritten"},
	"exists.dir":                {"%s 已经存在；请换一个 --out 目录，什么也没有覆盖", "%s 已經存在；請換一個 --out 目錄，什麼也沒有覆蓋", "%s already exists; choose another --out directory, nothing was overwritten"},
	"exists.appeared":           {"写导出时出现了 %s；请换一个 --out，什么也没有覆盖", "寫匯出時出現了 %s；請換一個 --out，什麼也沒有覆蓋", "%s appeared while the export was written; choose another --out, nothing was overwritten"},
	"download.usage":            {"用法：fieldbench download --url 网址 --form 表单 --format csv|xlsx|jsonl [--out 路径] [--labels [--lang 语言]] [--token 令牌]\n      fieldbench download --url 网址 --list 列表 --format csv|xlsx|jsonl [--out 文件] [--clear] [--token 令牌]", "用法：fieldbench download --url 網址 --form 表單 --format csv|xlsx|jsonl [--out 路徑] [--labels [--lang 語言]] [--token 權杖]\n      fieldbench download --url 網址 --list 列表 --format csv|xlsx|jsonl [--out 檔案] [--clear] [--token 權杖]", "usage: fieldbench download --url URL --form ID --format csv|xlsx|jsonl [--out PATH] [--labels [--lang L]] [--token TOKEN]\n       fieldbench download --url URL --list LIST --format csv|xlsx|jsonl [--out FILE] [--clear] [--token TOKEN]"},
	"download.help":             {"按共享规则允许这个令牌的范围，从中心目录下载表单的记录（--form），或者实体列表（--list，按定义它的表单的规则，一个文件，遮盖个人信息，有权限的用户给 --clear 才是原文）；除非给了 --token，令牌取自 FIELDBENCH_TOKEN。", "按共享規則允許這個權杖的範圍，從中心目錄下載表單的記錄（--form），或者實體列表（--list，按定義它的表單的規則，一個檔案，遮蓋個人資料，有權限的使用者給 --clear 才是原文）；除非給了 --token，權杖取自 FIELDBENCH_TOKEN。", "Downloads a form's records (--form) from the catalogue as its sharing rules allow this token, or an entity list (--list: by the rules of the form that defines it, one file, masked unless a user with clearance gives --clear); the token comes from FIELDBENCH_TOKEN unless --token is given."},
	"download.no_token":         {"没有令牌：请把管理员给你的用户令牌放进 %s（或用 --token）", "沒有權杖：請把管理員給你的使用者權杖放進 %s（或用 --token）", "no token: set %s to the user token the administrator gave you (or pass --token)"},
	"download.failed":           {"下载失败：%s", "下載失敗：%s", "download failed: %s"},
	"download.token_refused":    {"中心目录不接受这个令牌（不认识或已撤销，401）；请向管理员要用户令牌", "中心目錄不接受這個權杖（不認識或已撤銷，401）；請向管理員要使用者權杖", "the catalogue does not accept this token (unknown or revoked, 401); ask the administrator for a user token"},
	"download.cut_short":        {"导出在结束前被切断；文件不完整", "匯出在結束前被切斷；檔案不完整", "the export was cut off before its end; the file is incomplete"},
	"download.clear":            {"原文", "原文", "clear"},
	"download.masked":           {"已遮盖", "已遮蓋", "masked"},
	"download.done":             {"已下载 %d 条记录（%s，%s，%s）到 %s", "已下載 %d 筆記錄（%s，%s，%s）到 %s", "downloaded %d records of %s (%s, %s) to %s"},
	"download.done.one":         {"已下载 %d 条记录（%s，%s，%s）到 %s", "已下載 %d 筆記錄（%s，%s，%s）到 %s", "downloaded %d record of %s (%s, %s) to %s"},
	// The catalogue's administration and server.
	"serve.bad_tz":               {"--tz %s 不是时区；请给出如 Asia/Shanghai 或 UTC 的时区名", "--tz %s 不是時區；請給出如 Asia/Shanghai 或 UTC 的時區名稱", "--tz %s is not a time zone; give one such as Asia/Shanghai or UTC"},
	"serve.usage":                {"用法：fieldbench serve [--addr 主机:端口] [--data 目录 | --postgres DSN] [--tls-cert 文件 --tls-key 文件] [--quality-every 10m] [--tz 时区] [--public-url 网址] [--body-memory MiB] [--min-rate 字节每秒] [--slow-grace 10s] [--max-connections N]", "用法：fieldbench serve [--addr 主機:埠] [--data 目錄 | --postgres DSN] [--tls-cert 檔案 --tls-key 檔案] [--quality-every 10m] [--tz 時區] [--public-url 網址] [--body-memory MiB] [--min-rate 位元組每秒] [--slow-grace 10s] [--max-connections N]", "usage: fieldbench serve [--addr HOST:PORT] [--data DIR | --postgres DSN] [--tls-cert F --tls-key F] [--quality-every 10m] [--tz ZONE] [--public-url URL] [--body-memory MiB] [--min-rate BYTES_PER_S] [--slow-grace 10s] [--max-connections N]"},
	"serve.help":                 {"运行中心目录，直到 Ctrl+C 或 SIGTERM。怎样安全地运行，见 README 的安全一节。", "執行中心目錄，直到 Ctrl+C 或 SIGTERM。怎樣安全地執行，見 README 的安全一節。", "Runs the catalogue until Ctrl+C or SIGTERM. How to run it safely: the README's security section."},
	"serve.listening":            {"正在监听 %s；中心目录在 %s %s", "正在監聽 %s；中心目錄在 %s %s", "listening on %s; catalogue in %s %s"},
	"serve.stopping":             {"正在停止：处理完进行中的请求", "正在停止：處理完進行中的請求", "stopping: finishing requests in flight"},
	"catalogue.help":             {"每个子命令都接受 --data 目录（中心目录的目录）或 --postgres DSN。\nexport：csv 和 xlsx 需要 --out。", "每個子命令都接受 --data 目錄（中心目錄的目錄）或 --postgres DSN。\nexport：csv 和 xlsx 需要 --out。", "Every subcommand takes --data DIR (the catalogue's directory) or --postgres DSN.\nexport: csv and xlsx need --out."},
	"catalogue.data_or_postgres": {"请给 --data 或 --postgres，不要两个都给", "請給 --data 或 --postgres，不要兩個都給", "give --data or --postgres, not both"},
	"catalogue.no_place":         {"找不到放中心目录的地方：%s；请用 --data 目录指定", "找不到放中心目錄的地方：%s；請用 --data 目錄指定", "cannot find a place for the catalogue: %s; name one with --data DIR"},
	"catalogue.published":        {"已发布 %s 版本 %s 到 %s", "已發布 %s 版本 %s 到 %s", "published %s version %s to %s"},
	"catalogue.code_again":       {"设备 %s（乡镇 %s）重新登记的登记码（只能用一次；它原来的令牌随即失效）： %s", "裝置 %s（鄉鎮 %s）重新登記的登記碼（只能用一次；它原來的權杖隨即失效）： %s", "enrolment code for laptop %s of township %s again (use once; its old token stops working): %s"},
	"catalogue.code":             {"乡镇 %s 一台电脑的登记码（只能用一次）： %s", "鄉鎮 %s 一台電腦的登記碼（只能用一次）： %s", "enrolment code for a laptop of township %s (use once): %s"},
	"catalogue.device_err":       {"设备 %s：%s", "裝置 %s：%s", "device %s: %s"},
	"user.added":                 {"已添加 %s %s（%s），县 %s", "已新增 %s %s（%s），縣 %s", "added %s %s (%s) of county %s"},
	"user.token":                 {"令牌（只显示这一次，请交给本人）： %s", "權杖（只顯示這一次，請交給本人）： %s", "token (shown once, give it to the person): %s"},
	"user.err":                   {"用户 %s：%s", "使用者 %s：%s", "user %s: %s"},
	"describe.bad_set":           {"--set %q：%s", "--set %q：%s", "--set %q: %s"},
	"describe.not_published":     {"这个中心目录没有发布表单 %q", "這個中心目錄沒有發布表單 %q", "no form %q is published in this catalogue"},
	"describe.unchanged":         {"%s；什么也没有改", "%s；什麼也沒有改", "%s; nothing was changed"},
	"describe.head":              {"%s 版本 %s", "%s 版本 %s", "%s version %s"},
	"describe.shared_as":         {"共享类型 %s；%s", "共享類型 %s；%s", "shared as %s; %s"},
	"describe.catalogued":        {"已编目", "已編目", "catalogued"},
	"describe.missing":           {"未编目，缺少 %s", "未編目，缺少 %s", "not yet catalogued, missing %s"},
	"describe.settings_problem":  {"settings 工作表：%s", "settings 工作表：%s", "settings sheet: %s"},
	"describe.after_publish":     {"目录条目：%s；描述完整之前按 %s 处理（fieldbench catalogue describe %s --set 键=值）", "目錄條目：%s；描述完整之前按 %s 處理（fieldbench catalogue describe %s --set 鍵=值）", "catalogue entry: %s; shared as %s until described (fieldbench catalogue describe %s --set key=value)"},
	"exports.ok":                 {"成功", "成功", "ok"},
	"exports.unfinished":         {"未完成", "未完成", "unfinished"},
	"exports.failed":             {"失败：%s", "失敗：%s", "failed: %s"},
	"exports.local":              {"本机", "本機", "local"},
	"exports.admin":              {"管理员：%s", "管理員：%s", "admin: %s"},
	"exports.with_views":         {"%s，%s", "%s，%s", "%s and %s"},
}
