package main

func init() {
	// The entity commands' texts, kept apart as flagText is.
	addTexts("entityText", entityText)
}

// entityText holds the entity lists' texts (fieldbench entities on the
// laptop, catalogue entities and the conflicts' review), in the order of
// forms.Languages.
var entityText = map[string][3]string{
	"cmd.entities":   {"entities 列表 [--format table|jsonl]：本机的实体列表（住户、人员……）", "entities 列表 [--format table|jsonl]：本機的實體列表（住戶、人員……）", "entities LIST [--format table|jsonl]: this laptop's copy of an entity list (households, people...)"},
	"entities.usage": {"用法：fieldbench entities 列表 [--format table|jsonl] [--db 路径]", "用法：fieldbench entities 列表 [--format table|jsonl] [--db 路徑]", "usage: fieldbench entities LIST [--format table|jsonl] [--db PATH]"},
	"entities.help": {"列出本机保存的一个实体列表：本机表单登记或更新的，以及同步时从中心目录下载的。 表格列出编号、名称、版本、冲突（中心目录有待复核的更新冲突时为「是」）、上次走访和属性； --format jsonl 每行一个 JSON 对象，至少有 id、label、version、conflict 和 properties。",
		"列出本機保存的一個實體列表：本機表單登記或更新的，以及同步時從中心目錄下載的。 表格列出編號、名稱、版本、衝突（中心目錄有待複核的更新衝突時為「是」）、上次走訪和屬性； --format jsonl 每行一個 JSON 物件，至少有 id、label、version、conflict 和 properties。",
		"Lists this laptop's copy of an entity list: what its own forms registered or updated, and what syncs downloaded from the catalogue. The table shows id, label, version, conflict (\"yes\" while the catalogue has an update conflict open for review), last visit and properties; --format jsonl prints one JSON object per line with at least id, label, version, conflict and properties."},
	"entities.bad_format":   {"--format %q：应为 table 或 jsonl", "--format %q：應為 table 或 jsonl", "--format %q: table or jsonl"},
	"entities.unknown":      {"本机没有实体列表 %q；本机有的列表：%s", "本機沒有實體列表 %q；本機有的列表：%s", "this laptop has no entity list %q; it has: %s"},
	"entities.unknown_none": {"本机没有实体列表 %q，还没有任何实体列表（登记表单完成后或同步后才有）", "本機沒有實體列表 %q，還沒有任何實體列表（登記表單完成後或同步後才有）", "this laptop has no entity list %q, nor any other yet (a registration form or a sync makes them)"},
	"n_entities":            {"%d 个实体", "%d 個實體", "%d entities"},
	"n_entities.one":        {"%d 个实体", "%d 個實體", "%d entity"},
	"h.label":               {"名称", "名稱", "LABEL"},
	"h.conflict":            {"冲突", "衝突", "CONFLICT"},
	"h.last_visit":          {"上次走访", "上次走訪", "LAST VISIT"},
	"h.properties":          {"属性", "屬性", "PROPERTIES"},
	"sync.entities":         {"下载了实体 %d 个（fieldbench entities 列表 可查看）", "下載了實體 %d 個（fieldbench entities 列表 可查看）", "%d entities downloaded (see fieldbench entities LIST)"},
	"sync.entities.one":     {"下载了实体 %d 个（fieldbench entities 列表 可查看）", "下載了實體 %d 個（fieldbench entities 列表 可查看）", "%d entity downloaded (see fieldbench entities LIST)"},
	"flag.entities_format":  {"输出`格式`：table（表格）或 jsonl（每行一个 JSON 对象）", "輸出`格式`：table（表格）或 jsonl（每行一個 JSON 物件）", "the output `format`: table, or jsonl (one JSON object per line)"},

	// The catalogue's side: catalogue entities, its import, review
	// conflicts, review resolve and review entity-errors.
	"syn.catalogue_entities": {"列表 [--format table|jsonl] [--clear] | export 列表 --format csv|xlsx|jsonl --out 文件 [--clear] | import 列表 文件 --township 列", "列表 [--format table|jsonl] [--clear] | export 列表 --format csv|xlsx|jsonl --out 檔案 [--clear] | import 列表 檔案 --township 欄", "LIST [--format table|jsonl] [--clear] | export LIST --format csv|xlsx|jsonl --out FILE [--clear] | import LIST FILE --township COL"},
	"catalogue_entities.usage": {"用法：fieldbench catalogue entities 列表 [--format table|jsonl] [--clear]\n      fieldbench catalogue entities export 列表 --format csv|xlsx|jsonl --out 文件 [--clear]\n      fieldbench catalogue entities import 列表 文件 --township 列 [--assign 列]",
		"用法：fieldbench catalogue entities 列表 [--format table|jsonl] [--clear]\n      fieldbench catalogue entities export 列表 --format csv|xlsx|jsonl --out 檔案 [--clear]\n      fieldbench catalogue entities import 列表 檔案 --township 欄 [--assign 欄]",
		"usage: fieldbench catalogue entities LIST [--format table|jsonl] [--clear]\n       fieldbench catalogue entities export LIST --format csv|xlsx|jsonl --out FILE [--clear]\n       fieldbench catalogue entities import LIST FILE --township COL [--assign COL]"},
	"catalogue_entities.help": {"export 把列表写成一个新文件（csv、xlsx 或 jsonl；列：id、label、version、township、conflict、assigned_to、updated，然后每个属性一列，证件号属性后面是它的假名列 属性_pseudonym），按定义列表的表单遮盖个人信息，--clear 才写原文；每次导出都记在中心目录的导出记录里。import 从 CSV 或 XLSX 预载要走访的实体：第一行是列名，label 必填，name 是实体编号（空着就由这一行算出，同一文件再导入会被拒绝），--township 指定乡镇代码所在的列，--assign 指定负责采集员所在的列，其余每列是一个属性。先检查每一行（属性、乡镇代码、题目的 validate 规则），有问题就逐条列出行和列，什么也不保存。",
		"export 把列表寫成一個新檔案（csv、xlsx 或 jsonl；欄：id、label、version、township、conflict、assigned_to、updated，然後每個屬性一欄，證件號屬性後面是它的假名欄 屬性_pseudonym），按定義列表的表單遮蓋個人資料，--clear 才寫原文；每次匯出都記在中心目錄的匯出記錄裡。import 從 CSV 或 XLSX 預載要走訪的實體：第一列是欄名，label 必填，name 是實體編號（空著就由這一列算出，同一檔案再匯入會被拒絕），--township 指定鄉鎮代碼所在的欄，--assign 指定負責採集員所在的欄，其餘每欄是一個屬性。先檢查每一列（屬性、鄉鎮代碼、題目的 validate 規則），有問題就逐條列出列和欄，什麼也不儲存。",
		"export writes the list to a new file (csv, xlsx or jsonl; columns id, label, version, township, conflict, assigned_to, updated, then one per property, each ID number followed by its pseudonym, PROPERTY_pseudonym), masked by the form that defines the list, in clear only with --clear; every export is recorded in the catalogue's audit of exports. import preloads entities to visit from a CSV or XLSX file: the first row names the columns; label is required, name is the entity's id (when blank, derived from the row, so the same file imported again is refused), --township names the column of township codes, --assign the column of assigned collectors, every other column is a property. Every row is checked first (properties, township codes, the questions' validate rules); any problem is listed with its row and column, and nothing is stored."},
	"flag.import_township":             {"import：乡镇代码所在的`列`", "import：鄉鎮代碼所在的`欄`", "import: the `column` of township codes"},
	"flag.import_assign":               {"import：负责采集员所在的`列`", "import：負責採集員所在的`欄`", "import: the `column` of assigned collectors"},
	"import_entities.unreadable":       {"%s：读不了：%s", "%s：讀不了：%s", "%s: cannot be read: %s"},
	"import_entities.problem":          {"%s：%s", "%s：%s", "%s: %s"},
	"import_entities.nothing":          {"有 %d 个问题，什么也没有保存", "有 %d 個問題，什麼也沒有儲存", "%d problems; nothing was stored"},
	"import_entities.done":             {"已预载 %d 个实体到列表 %s", "已預載 %d 個實體到列表 %s", "preloaded %d entities into list %s"},
	"import_entities.done.one":         {"已预载 %d 个实体到列表 %s", "已預載 %d 個實體到列表 %s", "preloaded %d entity into list %s"},
	"import_entities.no_rows":          {"没有数据行%.0s%.0s", "沒有資料列%.0s%.0s", "no rows of data%.0s%.0s"},
	"import_entities.missing_column":   {"缺少这一列%.0s%.0s", "缺少這一欄%.0s%.0s", "this column is missing%.0s%.0s"},
	"import_entities.unknown_column":   {"列表没有这个属性%.0s（有：%s）", "列表沒有這個屬性%.0s（有：%s）", "the list has no such property%.0s (it has: %s)"},
	"import_entities.duplicate_column": {"这一列出现了两次%.0s%.0s", "這一欄出現了兩次%.0s%.0s", "this column appears twice%.0s%.0s"},
	"import_entities.no_label":         {"label 是空的%.0s%.0s", "label 是空的%.0s%.0s", "the label is empty%.0s%.0s"},
	"import_entities.bad_township":     {"%q 不是已知的乡镇代码（9 位）%.0s", "%q 不是已知的鄉鎮代碼（9 位）%.0s", "%q is not a known township code (9 digits)%.0s"},
	"import_entities.bad_value":        {"%q：%s", "%q：%s", "%q: %s"},
	"import_entities.bad_id":           {"实体编号 %q 不能用：%s", "實體編號 %q 不能用：%s", "entity id %q cannot be used: %s"},
	"import_entities.duplicate_id":     {"实体编号 %q 在第 %s 行已经出现", "實體編號 %q 在第 %s 列已經出現", "entity id %q is already on row %s"},
	"import_entities.id_exists":        {"实体编号 %q 已经在列表里%.0s", "實體編號 %q 已經在列表裡%.0s", "entity id %q is in the list already%.0s"},
	"flag.entities_clear":              {"显示原文，不遮盖个人信息（中心目录会记录这次查看）", "顯示原文，不遮蓋個人資料（中心目錄會記錄這次查看）", "show personal data in clear (the catalogue records this view)"},
	"flag.entities_out":                {"export：写到哪个新`文件`", "export：寫到哪個新`檔案`", "export: the new `file` to write"},
	"export_entities.done":             {"已导出 %d 个实体（列表 %s）", "已匯出 %d 個實體（列表 %s）", "exported %d entities of list %s"},
	"export_entities.done.one":         {"已导出 %d 个实体（列表 %s）", "已匯出 %d 個實體（列表 %s）", "exported %d entity of list %s"},
	"entities.err":                     {"实体列表 %s：%s", "實體列表 %s：%s", "entity list %s: %s"},
	"h.assigned":                       {"负责人", "負責人", "ASSIGNED"},
	"h.entity":                         {"实体", "實體", "ENTITY"},
	"h.list":                           {"列表", "列表", "LIST"},
	"h.base":                           {"基于版本", "基於版本", "BASED ON"},
	"h.before":                         {"冲突前", "衝突前", "BEFORE"},
	"n_conflicts":                      {"%d 个未解决的冲突", "%d 個未解決的衝突", "%d open conflicts"},
	"n_conflicts.one":                  {"%d 个未解决的冲突", "%d 個未解決的衝突", "%d open conflict"},
	"syn.review_entity_errors":         {"[--clear]", "[--clear]", "[--clear]"},
	"syn.review_conflicts":             {"[--clear]", "[--clear]", "[--clear]"},
	"syn.review_resolve":               {"冲突 --keep current|previous|set [--set 属性=值]...", "衝突 --keep current|previous|set [--set 屬性=值]...", "CONFLICT --keep current|previous|set [--set PROPERTY=VALUE]..."},
	"flag.resolve_keep":                {"`保留`：current（现在的属性）、previous（冲突前的属性）或 set（用 --set 改）", "`保留`：current（現在的屬性）、previous（衝突前的屬性）或 set（用 --set 改）", "what to `keep`: current (the properties now), previous (those before the conflict) or set (changed with --set)"},
	"flag.resolve_set":                 {"把属性设成这个值（`属性=值`，可以重复）", "把屬性設成這個值（`屬性=值`，可以重複）", "set a property (`PROPERTY=VALUE`, repeatable)"},
	"n_entity_errors": {"%d 个实体错误：这些更新针对中心目录中没有的实体，没有改动任何实体（记录已保存，请跟进）", "%d 個實體錯誤：這些更新針對中心目錄中沒有的實體，沒有改動任何實體（記錄已儲存，請跟進）",
		"%d entity errors: these updates name entities the catalogue does not hold, and changed none (their records are kept; follow them up)"},
	"n_entity_errors.one": {"%d 个实体错误：这些更新针对中心目录中没有的实体，没有改动任何实体（记录已保存，请跟进）", "%d 個實體錯誤：這些更新針對中心目錄中沒有的實體，沒有改動任何實體（記錄已儲存，請跟進）",
		"%d entity error: an update that names an entity the catalogue does not hold, and changed none (its record is kept; follow it up)"},
	"flag.entity_errors_clear": {"显示实体编号原文（需要权限，中心目录会记录这次查看）", "顯示實體編號原文（需要權限，中心目錄會記錄這次查看）", "show the entity ids in clear (needs clearance; the catalogue records the view)"},
	"flag.conflicts_clear":     {"显示原文（需要权限，中心目录会记录这次查看）", "顯示原文（需要權限，中心目錄會記錄這次查看）", "show the properties in clear (needs clearance; the catalogue records the view)"},
	"resolve.bad_set":          {"--set %q：应为 属性=值", "--set %q：應為 屬性=值", "--set %q: PROPERTY=VALUE"},
	"resolve.done":             {"冲突 %s 已解决：%s 列表 %s 的实体 %s 现在是版本 %d，各电脑下次同步时收到", "衝突 %s 已解決：%s 列表 %s 的實體 %s 現在是版本 %d，各電腦下次同步時收到", "conflict %s resolved (%s): list %s, entity %s is now at version %d, which laptops receive on their next sync"},

	// download --list.
	"flag.download_list":         {"要下载的实体`列表`（代替 --form）", "要下載的實體`列表`（代替 --form）", "the entity `list` to download (instead of --form)"},
	"flag.download_clear":        {"--list：要原文，不遮盖（只有有权限的用户可以；中心目录会记录）", "--list：要原文，不遮蓋（只有有權限的使用者可以；中心目錄會記錄）", "--list: in clear, not masked (users with clearance only; the catalogue records it)"},
	"download.clear_needs_list":  {"--clear 只用于 --list；表单的记录是否遮盖按共享规则", "--clear 只用於 --list；表單的記錄是否遮蓋依共享規則", "--clear is for --list; whether a form's records are masked follows the sharing rules"},
	"download.list_labels":       {"--labels 只用于表单的记录（--form）", "--labels 只用於表單的記錄（--form）", "--labels is for a form's records (--form)"},
	"download.done_entities":     {"已下载 %d 个实体（列表 %s，%s，%s）到 %s", "已下載 %d 個實體（列表 %s，%s，%s）到 %s", "downloaded %d entities of list %s (%s, %s) to %s"},
	"download.done_entities.one": {"已下载 %d 个实体（列表 %s，%s，%s）到 %s", "已下載 %d 個實體（列表 %s，%s，%s）到 %s", "downloaded %d entity of list %s (%s, %s) to %s"},
}
