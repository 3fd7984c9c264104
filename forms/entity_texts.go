package forms

// Messages of entity declarations (the entities sheet and the save_to
// column), after pyxform's ENTITY_0xx and NAMES_0xx errors. They join
// loadMessages at start-up, as loadtexts_more.go's do.
const (
	ldSaveToContainer        loadKey = "save_to_container"
	ldSaveToNoAnswer         loadKey = "save_to_no_answer"
	ldSaveToNoEntities       loadKey = "save_to_no_entities"
	ldSaveToNeedList         loadKey = "save_to_need_list"
	ldSaveToManyHash         loadKey = "save_to_many_hash"
	ldSaveToUnknownList      loadKey = "save_to_unknown_list"
	ldSaveToReserved         loadKey = "save_to_reserved"
	ldSaveToPrefix           loadKey = "save_to_prefix"
	ldSaveToName             loadKey = "save_to_name"
	ldSaveToTwice            loadKey = "save_to_twice"
	ldEntityColumn           loadKey = "entity_column"
	ldEntityNoList           loadKey = "entity_no_list"
	ldEntityListPrefix       loadKey = "entity_list_prefix"
	ldEntityListPeriod       loadKey = "entity_list_period"
	ldEntityListName         loadKey = "entity_list_name"
	ldEntityListTwice        loadKey = "entity_list_twice"
	ldEntityUpdateNoID       loadKey = "entity_update_no_id"
	ldEntityUpsertNoUpdateIf loadKey = "entity_upsert_no_update_if"
	ldEntityCreateNoLabel    loadKey = "entity_create_no_label"
	ldEntitySaveScope        loadKey = "entity_save_scope"
	ldEntityRefScope         loadKey = "entity_ref_scope"
	ldEntityListNotRead      loadKey = "entity_list_not_read"
	ldEntityNoContainer      loadKey = "entity_no_container"
)

var entityLoadMessages = map[loadKey][3]string{
	ldSaveToContainer: {
		"分组和重复组不能保存为实体属性：请删除这一行的 save_to，或把它移到问题行",
		"分組和重複組不能儲存為實體屬性：請刪除這一列的 save_to，或把它移到問題列",
		"groups and repeats can't be saved as entity properties; remove the save_to of this row or move it to a question"},
	ldSaveToNoAnswer: {
		"%s 是 %s，没有可保存的答案：请删除它的 save_to",
		"%s 是 %s，沒有可儲存的答案：請刪除它的 save_to",
		"%s is a %s, which has no answer to save; remove its save_to"},
	ldSaveToNoEntities: {
		"用 save_to 保存实体属性，需要 entities 工作表声明一个实体列表",
		"用 save_to 儲存實體屬性，需要 entities 工作表宣告一個實體清單",
		"to save entity properties with save_to, add an entities sheet that declares an entity list"},
	ldSaveToNeedList: {
		"表单声明了多个实体列表（%[2]s），save_to 要写成 列表#属性：%[1]s 没有列表名",
		"表單宣告了多個實體清單（%[2]s），save_to 要寫成 清單#屬性：%[1]s 沒有清單名",
		"the form declares several entity lists (%[2]s), so save_to is written LIST#property; %[1]s names no list"},
	ldSaveToManyHash: {
		"save_to 的值 %s 最多只能有一个 # 分隔符",
		"save_to 的值 %s 最多只能有一個 # 分隔符",
		"the save_to value %s may have at most one # delimiter"},
	ldSaveToUnknownList: {
		"entities 工作表没有声明实体列表 %s（已声明：%s）：请检查拼写，或在 entities 工作表加一行",
		"entities 工作表沒有宣告實體清單 %s（已宣告：%s）：請檢查拼寫，或在 entities 工作表加一列",
		"the entity list %s is not declared on the entities sheet (declared: %s); check its spelling or add a row for it there"},
	ldSaveToReserved: {
		"实体属性不能叫 %s：name 和 label 是保留名（不分大小写）",
		"實體屬性不能叫 %s：name 和 label 是保留名（不分大小寫）",
		"an entity property can't be called %s: name and label are reserved (in any case)"},
	ldSaveToPrefix: {
		"实体属性 %s 不能以两个下划线开头",
		"實體屬性 %s 不能以兩個底線開頭",
		"the entity property %s must not begin with two underscores"},
	ldSaveToName: {
		"实体属性名 %s 无效：须以字母或下划线开头，后面只能是字母、数字、下划线、连字符或句点",
		"實體屬性名 %s 無效：須以字母或底線開頭，後面只能是字母、數字、底線、連字號或句點",
		"the entity property name %s is invalid: it must begin with a letter or underscore, followed by letters, digits, underscores, hyphens or periods"},
	ldSaveToTwice: {
		"实体属性 %s 已由第 %d 行保存：请删除或改名其中一个",
		"實體屬性 %s 已由第 %d 列儲存：請刪除或改名其中一個",
		"the entity property %s is already saved by row %d; remove or rename one of them"},
	ldEntityColumn: {
		"entities 工作表不认识列 %s%s：可用的列有 list_name、label、create_if、update_if、entity_id",
		"entities 工作表不認識欄 %s%s：可用的欄有 list_name、label、create_if、update_if、entity_id",
		"the entities sheet has no column %s%s; its columns are list_name, label, create_if, update_if and entity_id"},
	ldEntityNoList: {
		"这一行没有 list_name：每个实体声明都要有列表名",
		"這一列沒有 list_name：每個實體宣告都要有清單名",
		"this row has no list_name; every entity declaration needs a list name"},
	ldEntityListPrefix: {
		"实体列表名 %s 不能以两个下划线开头",
		"實體清單名 %s 不能以兩個底線開頭",
		"the entity list name %s must not begin with two underscores"},
	ldEntityListPeriod: {
		"实体列表名 %s 不能含句点",
		"實體清單名 %s 不能含句點",
		"the entity list name %s must not contain a period"},
	ldEntityListName: {
		"实体列表名 %s 无效：须以字母或下划线开头，后面只能是字母、数字、下划线或连字符",
		"實體清單名 %s 無效：須以字母或底線開頭，後面只能是字母、數字、底線或連字號",
		"the entity list name %s is invalid: it must begin with a letter or underscore, followed by letters, digits, underscores or hyphens"},
	ldEntityListTwice: {
		"实体列表 %s 已在第 %d 行声明：每个列表只声明一次",
		"實體清單 %s 已在第 %d 列宣告：每個清單只宣告一次",
		"the entity list %s is already declared on row %d; declare each list once"},
	ldEntityUpdateNoID: {
		"实体列表 %s 有 update_if 却没有 entity_id：更新实体要用 entity_id 指明是哪一个",
		"實體清單 %s 有 update_if 卻沒有 entity_id：更新實體要用 entity_id 指明是哪一個",
		"the entity list %s has an update_if but no entity_id; updating entities needs an entity_id saying which one"},
	ldEntityUpsertNoUpdateIf: {
		"实体列表 %s 同时有 create_if 和 entity_id，还需要 update_if（既可新建又可更新时两个条件都要写）",
		"實體清單 %s 同時有 create_if 和 entity_id，還需要 update_if（既可新建又可更新時兩個條件都要寫）",
		"the entity list %s has a create_if and an entity_id, so it needs an update_if too (creating or updating takes both conditions)"},
	ldEntityCreateNoLabel: {
		"实体列表 %s 没有 label：新建实体需要 label（没有 entity_id 或有 create_if 即为新建）",
		"實體清單 %s 沒有 label：新建實體需要 label（沒有 entity_id 或有 create_if 即為新建）",
		"the entity list %s has no label, which creating entities needs (a declaration without entity_id, or with create_if, creates)"},
	ldEntitySaveScope: {
		"属性 %s（实体列表 %s）保存在 %s 中，与该列表在 %s 中的引用不相容：一个实体的属性必须在同一个重复组（或都不在重复组）里",
		"屬性 %s（實體清單 %s）儲存在 %s 中，與該清單在 %s 中的引用不相容：一個實體的屬性必須在同一個重複組（或都不在重複組）裡",
		"the property %s of the entity list %s is saved in %s, which does not fit the list's references in %s; one entity's properties must all be in one repeat (or all outside repeats)"},
	ldEntityRefScope: {
		"实体列表 %s 引用的问题 %s 在 %s 中，与它在 %s 中的引用不相容：只能引用同一重复组或其外层的问题",
		"實體清單 %s 引用的問題 %s 在 %s 中，與它在 %s 中的引用不相容：只能引用同一重複組或其外層的問題",
		"the entity list %s reads %s in %s, which does not fit its references in %s; it can only read questions of one repeat and of those enclosing it"},
	ldEntityListNotRead: {
		"实体列表 %s 用 entity_id 更新实体，表单却没有读取这个列表：请加一行 select_one_from_file %s.csv 或 csv-external %s",
		"實體清單 %s 用 entity_id 更新實體，表單卻沒有讀取這個清單：請加一列 select_one_from_file %s.csv 或 csv-external %s",
		"the entity list %s updates entities by entity_id, but the form does not read the list; add a select_one_from_file %s.csv or csv-external %s row"},
	ldEntityNoContainer: {
		"每个分组或重复组只能放一个实体声明，而 %s 中已没有空位（已分给第 %d 行的列表）：请把保存属性的问题分到不同的分组",
		"每個分組或重複組只能放一個實體宣告，而 %s 中已沒有空位（已分給第 %d 列的清單）：請把儲存屬性的問題分到不同的分組",
		"each group or repeat holds one entity declaration, and none is left in %s (taken by the list on row %d); put the questions that save properties in separate groups"},
}

func init() { addLoadMessages(entityLoadMessages) }
