package main

func init() {
	// The entity commands' texts, kept apart as flagText is.
	addTexts("entityText", entityText)
}

// entityText holds what fieldbench entities prints, in the order of
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
}
