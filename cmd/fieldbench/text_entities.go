package main

func init() {
	// The entity lists' texts, kept apart as the flags' are; every key
	// must be new.
	for k, v := range entityText {
		if _, dup := cliText[k]; dup {
			panic("cliText and entityText both have " + k)
		}
		cliText[k] = v
	}
}

// entityText holds the command line's texts of entity lists, in the order
// of forms.Languages.
var entityText = map[string][3]string{
	"syn.catalogue_entities": {"列表 [--format table|jsonl] [--clear]", "列表 [--format table|jsonl] [--clear]", "LIST [--format table|jsonl] [--clear]"},
	"flag.entities_format":   {"`格式`：table（表格）或 jsonl（每行一个 JSON 对象）", "`格式`：table（表格）或 jsonl（每行一個 JSON 物件）", "the `format`: table, or jsonl for one JSON object a line"},
	"flag.entities_clear":    {"显示原文，不遮盖个人信息（中心目录会记录这次查看）", "顯示原文，不遮蓋個人資料（中心目錄會記錄這次查看）", "show personal data in clear (the catalogue records this view)"},
	"entities.format_bad":    {"--format %q：应为 table 或 jsonl", "--format %q：應為 table 或 jsonl", "--format %q: table or jsonl"},
	"entities.err":           {"实体列表 %s：%s", "實體列表 %s：%s", "entity list %s: %s"},
	"h.label":                {"标签", "標籤", "LABEL"},
	"h.conflict":             {"冲突", "衝突", "CONFLICT"},
	"h.properties":           {"属性", "屬性", "PROPERTIES"},
	"h.entity":               {"实体", "實體", "ENTITY"},
	"h.list":                 {"列表", "列表", "LIST"},
	"h.base":                 {"基于版本", "基於版本", "BASED ON"},
	"h.before":               {"冲突前", "衝突前", "BEFORE"},
	"n_entities":             {"%d 个实体", "%d 個實體", "%d entities"},
	"n_entities.one":         {"%d 个实体", "%d 個實體", "%d entity"},
	"n_conflicts":            {"%d 个未解决的冲突", "%d 個未解決的衝突", "%d open conflicts"},
	"n_conflicts.one":        {"%d 个未解决的冲突", "%d 個未解決的衝突", "%d open conflict"},
	"syn.review_conflicts":   {"[--clear]", "[--clear]", "[--clear]"},
	"syn.review_resolve":     {"冲突 --keep current|previous|set [--set 属性=值]...", "衝突 --keep current|previous|set [--set 屬性=值]...", "CONFLICT --keep current|previous|set [--set PROPERTY=VALUE]..."},
	"flag.resolve_keep":      {"`保留`：current（现在的属性）、previous（冲突前的属性）或 set（用 --set 改）", "`保留`：current（現在的屬性）、previous（衝突前的屬性）或 set（用 --set 改）", "what to `keep`: current (the properties now), previous (those before the conflict) or set (changed with --set)"},
	"flag.resolve_set":       {"把属性设成这个值（`属性=值`，可以重复）", "把屬性設成這個值（`屬性=值`，可以重複）", "set a property (`PROPERTY=VALUE`, repeatable)"},
	"flag.conflicts_clear":   {"显示原文（需要权限，中心目录会记录这次查看）", "顯示原文（需要權限，中心目錄會記錄這次查看）", "show the properties in clear (needs clearance; the catalogue records the view)"},
	"resolve.bad_set":        {"--set %q：应为 属性=值", "--set %q：應為 屬性=值", "--set %q: PROPERTY=VALUE"},
	"resolve.done":           {"冲突 %s 已解决：%s 列表 %s 的实体 %s 现在是版本 %d，各电脑下次同步时收到", "衝突 %s 已解決：%s 列表 %s 的實體 %s 現在是版本 %d，各電腦下次同步時收到", "conflict %s resolved (%s): list %s, entity %s is now at version %d, which laptops receive on their next sync"},
}
