package forms

// Messages of the checks that pyxform's test suite showed fieldbench
// lacked (issue 16). They join loadMessages at start-up, so every message
// still has one table to be found in; this file only keeps loadtexts.go
// short.
const (
	ldRefNotClosed loadKey = "ref_not_closed"
	ldRefMalformed loadKey = "ref_malformed"

	ldParamKeys         loadKey = "param_keys"
	ldParamNumber       loadKey = "param_number"
	ldParamWhole        loadKey = "param_whole"
	ldParamOneOf        loadKey = "param_one_of"
	ldParamSeed         loadKey = "param_seed"
	ldParamSeedAlone    loadKey = "param_seed_alone"
	ldParamApp          loadKey = "param_app"
	ldParamGeometry     loadKey = "param_geometry"
	ldParamColumn       loadKey = "param_column"
	ldAuditLocationAll  loadKey = "audit_location_all"
	ldSearchAppearance  loadKey = "search_appearance"
	ldLastSavedFile     loadKey = "last_saved_file"
	ldAuditMinInterval  loadKey = "audit_min_interval"
	ldAuditMaxAge       loadKey = "audit_max_age"
	ldRangeAppearance   loadKey = "range_appearance"
	ldRangeZero         loadKey = "range_zero"
	ldRangeWider        loadKey = "range_wider"
	ldRangeMultiple     loadKey = "range_multiple"
	ldRangeOutside      loadKey = "range_outside"
	ldRangeLabelsetList loadKey = "range_labelset_list"
	ldRangeLabelNumber  loadKey = "range_label_number"
	ldRangeLabelOutside loadKey = "range_label_outside"
	ldRangeLabelTick    loadKey = "range_label_tick"
	ldRangeNoTicks      loadKey = "range_no_ticks"

	ldNameMeta      loadKey = "name_meta"
	ldBadRootName   loadKey = "bad_root_name"
	ldNoLabel       loadKey = "no_label"
	ldBigImageAlone loadKey = "big_image_alone"
	ldEmptyGroup    loadKey = "empty_group"
	ldChoiceNoLabel loadKey = "choice_no_label"
)

var moreLoadMessages = map[loadKey][3]string{
	ldRefNotClosed: {
		"%s 中的 ${ 没有对应的 }：引用请写成 ${名称}",
		"%s 中的 ${ 沒有對應的 }：引用請寫成 ${名稱}",
		"the ${ in %s is not closed; write a reference as ${name}"},
	ldRefMalformed: {
		"%s 不是对问题的引用：请写成 ${名称}，括号内只写问题的名称",
		"%s 不是對問題的引用：請寫成 ${名稱}，括號內只寫問題的名稱",
		"%s is not a reference to a question; write ${name} with the question's name and nothing else"},
	ldParamKeys: {
		"%s 题的 parameters 只能有 %s：%s 不是其中之一",
		"%s 題的 parameters 只能有 %s：%s 不是其中之一",
		"a %s question takes the parameters %s; %s is not one of them"},
	ldParamNumber: {
		"参数 %s 必须是数字，而不是 %s",
		"參數 %s 必須是數字，而不是 %s",
		"parameter %s must be a number, not %s"},
	ldParamWhole: {
		"参数 %s 必须是整数，而不是 %s",
		"參數 %s 必須是整數，而不是 %s",
		"parameter %s must be a whole number, not %s"},
	ldParamColumn: {
		"参数 %s 必须是文件中的列名（以字母或 _ 开头，后面是字母、数字、-、_ 或 .），而不是 %s",
		"參數 %s 必須是檔案中的欄名（以字母或 _ 開頭，後面是字母、數字、-、_ 或 .），而不是 %s",
		"parameter %s must name a column of the file (a letter or _, then letters, digits, -, _ or .), not %s"},
	ldSearchAppearance: {
		"不支持外观 search()（ODK Collect 在填写时从 CSV 文件取选项）：请改用 select_one_from_file 文件.csv，需要时加 choice_filter",
		"不支援外觀 search()（ODK Collect 在填寫時從 CSV 檔取選項）：請改用 select_one_from_file 檔案.csv，需要時加 choice_filter",
		"the appearance search() (ODK Collect takes the choices from a CSV file while the form runs) is not supported; use select_one_from_file FILE.csv, with a choice_filter if needed"},
	ldLastSavedFile: {
		"附件 %s 的名称 __last-saved 是 ${last-saved#...} 读取的上次保存的记录：请给文件改名",
		"附件 %s 的名稱 __last-saved 是 ${last-saved#...} 讀取的上次儲存的記錄：請為檔案改名",
		"the attached file %s is named __last-saved, which is the last saved record that ${last-saved#...} reads; rename the file"},
	ldAuditLocationAll: {
		"audit 记录位置时要同时给出 location-priority、location-min-interval 和 location-max-age 三个参数",
		"audit 記錄位置時要同時給出 location-priority、location-min-interval 和 location-max-age 三個參數",
		"an audit that records the location takes location-priority, location-min-interval and location-max-age together"},
	ldAuditMinInterval: {
		"location-min-interval 不能小于 0（这里是 %d）",
		"location-min-interval 不能小於 0（這裡是 %d）",
		"location-min-interval must be 0 or more (here: %d)"},
	ldAuditMaxAge: {
		"location-max-age（%d）不能小于 location-min-interval（%d）",
		"location-max-age（%d）不能小於 location-min-interval（%d）",
		"location-max-age (%d) must be at least location-min-interval (%d)"},
	ldParamOneOf: {
		"参数 %s 只能是 %s 之一，而不是 %s",
		"參數 %s 只能是 %s 之一，而不是 %s",
		"parameter %s must be one of %s, not %s"},
	ldParamSeed: {
		"参数 seed 必须是数字或 ${名称} 引用，而不是 %s",
		"參數 seed 必須是數字或 ${名稱} 引用，而不是 %s",
		"parameter seed must be a number or a ${name} reference, not %s"},
	ldParamSeedAlone: {
		"参数 seed 需要同时写 randomize=true",
		"參數 seed 需要同時寫 randomize=true",
		"parameter seed needs randomize=true beside it"},
	ldParamApp: {
		"参数 app 必须是 Android 应用包名（至少两段，用点分隔，每段由字母、数字和 _ 组成，不以数字或 _ 开头），而不是 %s",
		"參數 app 必須是 Android 應用程式套件名稱（至少兩段，以點分隔，每段由字母、數字和 _ 組成，不以數字或 _ 開頭），而不是 %s",
		"parameter app must be an Android package name (two or more dot-separated parts of letters, digits and _, none starting with a digit or _), not %s"},
	ldParamGeometry: {
		"参数 reference-geometry 必须是 choices 工作表上的选项列表名称、附件（select_one_from_file、csv-external、xml-external）的名称（不带扩展名），或指向重复组的 ${名称}，而不是 %s",
		"參數 reference-geometry 必須是 choices 工作表上的選項清單名稱、附件（select_one_from_file、csv-external、xml-external）的名稱（不帶副檔名），或指向重複組的 ${名稱}，而不是 %s",
		"parameter reference-geometry must be a list name of the choices sheet, the name of an attached file (select_one_from_file, csv-external, xml-external) without its extension, or a ${name} of a repeat, not %s"},
	ldRangeAppearance: {
		"range 参数 tick_interval、placeholder 和 tick_labelset 只能配合外观 vertical、no-ticks 或不设外观使用，而不是 %s",
		"range 參數 tick_interval、placeholder 和 tick_labelset 只能配合外觀 vertical、no-ticks 或不設外觀使用，而不是 %s",
		"the range parameters tick_interval, placeholder and tick_labelset work only with the appearance vertical, no-ticks or none, not %s"},
	ldRangeZero: {
		"range 参数 %s 不能为 0",
		"range 參數 %s 不能為 0",
		"range parameter %s must not be 0"},
	ldRangeWider: {
		"range 参数 %s 不能大于 start 到 end 的范围",
		"range 參數 %s 不能大於 start 到 end 的範圍",
		"range parameter %s must not be larger than the range from start to end"},
	ldRangeMultiple: {
		"range 参数 %s 必须是 %s 的整数倍（从 start 算起）",
		"range 參數 %s 必須是 %s 的整數倍（從 start 算起）",
		"range parameter %s must be a multiple of %s (counted from start)"},
	ldRangeOutside: {
		"range 参数 %s 必须在 start 和 end 之间",
		"range 參數 %s 必須在 start 和 end 之間",
		"range parameter %s must lie between start and end"},
	ldRangeLabelsetList: {
		"range 参数 tick_labelset 必须是 choices 工作表上的选项列表名称，而不是 %s",
		"range 參數 tick_labelset 必須是 choices 工作表上的選項清單名稱，而不是 %s",
		"range parameter tick_labelset must be a list name of the choices sheet, not %s"},
	ldRangeLabelNumber: {
		"tick_labelset %s 的选项名称必须是数字，%s 不是",
		"tick_labelset %s 的選項名稱必須是數字，%s 不是",
		"the choices of tick_labelset %s must be numbers; %s is not"},
	ldRangeLabelOutside: {
		"选项 %s（tick_labelset %s）不在 start 和 end 之间",
		"選項 %s（tick_labelset %s）不在 start 和 end 之間",
		"choice %s of tick_labelset %s is not between start and end"},
	ldRangeLabelTick: {
		"选项 %s（tick_labelset %s）不在刻度上：从 start 算起必须是 %s 的整数倍",
		"選項 %s（tick_labelset %s）不在刻度上：從 start 算起必須是 %s 的整數倍",
		"choice %s of tick_labelset %s is not on a tick: it must be a multiple of %s from start"},
	ldRangeNoTicks: {
		"外观为 no-ticks 时，tick_labelset %s 只能有 start 和 end 两个选项",
		"外觀為 no-ticks 時，tick_labelset %s 只能有 start 和 end 兩個選項",
		"with the appearance no-ticks, tick_labelset %s must have exactly two choices, start and end"},
	ldNameMeta: {
		"名称 \"meta\" 留给表单的元数据（ODK 在其中存放 instanceID）：请换一个名称",
		"名稱 \"meta\" 保留給表單的中繼資料（ODK 在其中存放 instanceID）：請換一個名稱",
		"the name \"meta\" is kept for the form's metadata (ODK keeps instanceID there); choose another name"},
	ldBadRootName: {
		"settings 的 name %s 不是有效名称：应以字母或 _ 开头，之后只用字母、数字、-、_ 和 .",
		"settings 的 name %s 不是有效名稱：應以字母或 _ 開頭，之後只用字母、數字、-、_ 和 .",
		"the settings name %s is not a valid name; start with a letter or _ and use only letters, digits, -, _ and ."},
	ldNoLabel: {
		"问题 %s 既没有 label 也没有 hint，采集员只会看到空白：请写 label（只有 guidance_hint 不够，默认不显示）",
		"問題 %s 既沒有 label 也沒有 hint，採集員只會看到空白：請寫 label（只有 guidance_hint 不夠，預設不顯示）",
		"question %s has neither a label nor a hint, so the collector would see a blank; give it a label (a guidance_hint alone is hidden by default)"},
	ldBigImageAlone: {
		"big-image 需要同一行的 image（点开放大的是这张小图）",
		"big-image 需要同一列的 image（點開放大的是這張小圖）",
		"a big-image needs an image in the same row (the small picture it enlarges)"},
	ldEmptyGroup: {
		"组 %s 中没有要显示的问题，ODK 拒绝空的组：请加入问题或删除这个组",
		"組 %s 中沒有要顯示的問題，ODK 拒絕空的組：請加入問題或刪除這個組",
		"group %s has no question to show, and ODK refuses an empty group; add a question or delete the group"},
	ldChoiceNoLabel: {
		"选项 %s（列表 %s）没有 label",
		"選項 %s（清單 %s）沒有 label",
		"choice %s of list %s has no label"},
}

func init() { addLoadMessages(moreLoadMessages) }

// addLoadMessages joins a file's messages to loadMessages, refusing a key
// defined twice.
func addLoadMessages(m map[loadKey][3]string) {
	for k, v := range m {
		if _, dup := loadMessages[k]; dup {
			panic("forms: message " + string(k) + " is defined twice")
		}
		loadMessages[k] = v
	}
}
