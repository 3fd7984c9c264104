package forms

// loadMessages holds each loader message in zh-Hans, zh-Hant and en, in
// that order. The English is what Error has always said; the Chinese keeps
// XLSForm's own words (survey, list_name, select_one...) as they are typed
// in a form, and takes its arguments in the same order.
var loadMessages = map[loadKey][3]string{
	ldXLSXDamaged: {
		"文件已损坏，不能作为 Excel 工作簿读取（%v）：请用电子表格软件打开，重新另存为 .xlsx",
		"檔案已損壞，無法作為 Excel 活頁簿讀取（%v）：請用試算表軟體開啟，重新另存為 .xlsx",
		"the file is damaged and cannot be read as an Excel workbook (%v); open it in a spreadsheet program and save it again as .xlsx"},
	ldXLSXUnreadable: {
		"不能作为 Excel 工作簿读取此文件（%v）：请另存为 .xlsx（Excel 2007 或更新版本），或写成 markdown 表单（.md）",
		"無法作為 Excel 活頁簿讀取此檔案（%v）：請另存為 .xlsx（Excel 2007 或更新版本），或寫成 markdown 表單（.md）",
		"cannot read the file as an Excel workbook (%v); save it as .xlsx (Excel 2007 or later) or write it as a markdown form (.md)"},
	ldSheetUnreadable: {
		"不能读取此工作表（%v）：请用电子表格软件打开文件，重新另存为 .xlsx",
		"無法讀取此工作表（%v）：請用試算表軟體開啟檔案，重新另存為 .xlsx",
		"cannot read this sheet (%v); open the file in a spreadsheet program and save it again as .xlsx"},
	ldMarkdownTooLong: {
		"文件有 %d 行，超过 markdown 表单的上限（%d 行）：这么大的表单请存为 .xlsx",
		"檔案有 %d 行，超過 markdown 表單的上限（%d 行）：這麼大的表單請存為 .xlsx",
		"the file has %d lines, more than a markdown form may have (%d); save a form this large as .xlsx"},
	ldMarkdownSheetTwice: {
		"工作表 %q 第二次开始（第一次在第 %d 行）：请把它的所有行放在同一个表格里",
		"工作表 %q 第二次開始（第一次在第 %d 行）：請把它的所有列放在同一個表格裡",
		"sheet %q starts a second time (it first starts on line %d); put all its rows in one table"},
	ldMarkdownTooManySheets: {
		"工作表超过 %d 个：第一格不为空的行会开始一个新工作表，其他行的第一格请留空",
		"工作表超過 %d 個：第一格不為空的列會開始一個新工作表，其他列的第一格請留空",
		"more than %d sheets; a row whose first cell is not blank starts a sheet, so leave the first cell of the other rows empty"},
	ldMarkdownRowBeforeSheet: {
		"表格行出现在任何工作表名称之前：表格请以写有工作表名称的一行开头，例如 | survey |",
		"表格列出現在任何工作表名稱之前：表格請以寫有工作表名稱的一列開頭，例如 | survey |",
		"table row before any sheet name; start the table with a row naming the sheet, e.g. | survey |"},

	ldNoSheets: {
		"文件中没有工作表：XLSForm 需要一个含 type、name、label 列的 survey 工作表",
		"檔案中沒有工作表：XLSForm 需要一個含 type、name、label 欄的 survey 工作表",
		"the file has no sheets; an XLSForm needs a survey sheet with type, name and label columns"},
	ldNoSurveyDidYouMean: {
		"表单中没有名为 survey 的工作表（是不是 %s？）：请把放问题的工作表改名为 survey",
		"表單中沒有名為 survey 的工作表（是不是 %s？）：請把放問題的工作表改名為 survey",
		"the form has no sheet named survey (did you mean %s?); rename the sheet with the questions to survey"},
	ldNoSurveySheets: {
		"表单中没有名为 survey 的工作表：请把放问题的工作表命名为 survey（现有工作表：%s）",
		"表單中沒有名為 survey 的工作表：請把放問題的工作表命名為 survey（現有工作表：%s）",
		"the form has no sheet named survey; name the sheet with the questions survey (the sheets are: %s)"},
	ldFileNameNotFormID: {
		"表单没有 form_id，文件名 %s 也不能作为 form_id：它%s；请添加一个含 form_id 列的 settings 工作表（例如 %s）",
		"表單沒有 form_id，檔名 %s 也不能作為 form_id：它%s；請新增一個含 form_id 欄的 settings 工作表（例如 %s）",
		"the form has no form_id, and its file name %s cannot be one: %s; add a settings sheet with a form_id column (e.g. %s)"},
	ldFormIDNotName: {"不是一个名称", "不是一個名稱", "is not a name"},
	ldFormIDChars: {
		"只能使用字母 A-Z 和 a-z、数字 0-9 以及 _ . -（它用作导出文件和数据集的名称），不能有%s",
		"只能使用字母 A-Z 和 a-z、數字 0-9 以及 _ . -（它用作匯出檔案和資料集的名稱），不能有%s",
		"may only use the letters A-Z and a-z, the digits 0-9 and _ . - (it names the export files and the dataset), not %s"},
	ldASpace: {"空格", "空格", "a space"},
	ldBadFormID: {
		"form_id %s %s；请写成 %s",
		"form_id %s %s；請寫成 %s",
		"form_id %s %s; write it as %s"},
	ldSettingsOneRow: {
		"settings 只取一行值（第 %d 行）：这一行及其下方各行都被忽略",
		"settings 只取一列值（第 %d 列）：這一列及其下方各列都被忽略",
		"settings take one row of values (row %d); this row and any below it are ignored"},
	ldSettingNoHeader: {
		"值 %s 上方没有表头，已忽略：请在第 %d 行写上设置名（例如 form_title）",
		"值 %s 上方沒有標題，已忽略：請在第 %d 列寫上設定名（例如 form_title）",
		"the value %s has no header above it and is ignored; put the setting's name (e.g. form_title) in row %d"},
	ldSettingTwice: {
		"设置 %s 出现了两次：请删除其中一列",
		"設定 %s 出現了兩次：請刪除其中一欄",
		"the setting %s appears twice; delete one of the columns"},
	ldSettingBoth: {
		"%s 和 %s 都设置了：使用 %s",
		"%s 和 %s 都設定了：使用 %s",
		"both %s and %s are set; %s is used"},
	ldPublicKey: {
		"public_key 不是 base64 编码的 RSA 公钥：请原样粘贴 .pem 文件中的密钥",
		"public_key 不是 base64 編碼的 RSA 公鑰：請原樣貼上 .pem 檔案中的金鑰",
		"public_key is not a base64 RSA public key; paste the key from the .pem file without changes"},
	ldAllowDupChoices: {
		"allow_choice_duplicates 为 %s：请写 yes 或 no",
		"allow_choice_duplicates 為 %s：請寫 yes 或 no",
		"allow_choice_duplicates is %s; write yes or no"},
	ldAddNoneOption: {
		"fieldbench 不支持 add_none_option（给每个选择题加上“无”选项）：请在需要的列表中自行添加 none 选项",
		"fieldbench 不支援 add_none_option（給每個選擇題加上「無」選項）：請在需要的清單中自行新增 none 選項",
		"add_none_option (a None choice added to every select) is not supported in fieldbench; add a none choice to the lists that need one"},
	ldOmitInstanceID: {
		"omit_instanceID 已忽略：fieldbench 给每条记录一个编号",
		"omit_instanceID 已忽略：fieldbench 給每筆記錄一個編號",
		"omit_instanceID is ignored: fieldbench gives every record an id"},
	ldExternalAlsoChoices: {
		"列表 %s 也在 choices 工作表中：select_one %s 使用那一个，这些行被忽略",
		"清單 %s 也在 choices 工作表中：select_one %s 使用那一個，這些列被忽略",
		"list %s is also on the choices sheet; select_one %s uses that one, and these rows are ignored"},
	ldDefaultLanguage: {
		"default_language %s 与任何 label 列都不匹配（现有语言：%s）：请照 label:: 后面的写法原样填写",
		"default_language %s 與任何 label 欄都不相符（現有語言：%s）：請照 label:: 後面的寫法原樣填寫",
		"default_language %s matches no label column (the languages are: %s); write it exactly as after label::"},
	ldOSMSheet: {
		"fieldbench 不支持 OpenStreetMap 标签：工作表 %s 已忽略",
		"fieldbench 不支援 OpenStreetMap 標籤：工作表 %s 已忽略",
		"OpenStreetMap tags are not supported in fieldbench; the sheet %s is ignored"},
	ldUnknownSheet: {
		"工作表 %s 不属于 XLSForm，已忽略%s",
		"工作表 %s 不屬於 XLSForm，已忽略%s",
		"the sheet %s is not part of XLSForm and is ignored%s"},
	ldMoreWarnings: {"另有 %d 条提醒", "另有 %d 條提醒", "and %d more warnings"},
	ldMoreProblems: {
		"另有 %d 个问题：请先改正上面这些",
		"另有 %d 個問題：請先改正上面這些",
		"and %d more problems; fix the ones above first"},
	ldDidYouMean: {"（是不是 %s？）", "（是不是 %s？）", " (did you mean %s?)"},

	ldColumnsSame: {
		"第 %s 列和第 %s 列都是 %s：请删除其中一列（只能读取一列）",
		"第 %s 欄和第 %s 欄都是 %s：請刪除其中一欄（只能讀取一欄）",
		"columns %s and %s are both %s; delete one of them (only one can be read)"},
	ldHeadersSameMeaning: {
		"%s 和 %s（两者意思相同）",
		"%s 和 %s（兩者意思相同）",
		"%s and %s (which mean the same)"},
	ldUnheaded: {
		"第 %s 列没有表头，其中的单元格（第一个是 %s）都被忽略：请给这一列加上表头，或删除这些单元格",
		"第 %s 欄沒有標題，其中的儲存格（第一個是 %s）都被忽略：請給這一欄加上標題，或刪除這些儲存格",
		"column %s has no header, so its cells (the first is %s) are ignored; give the column a header or delete the cells"},
	ldColumnIgnored: {
		"列 %s 已忽略：%s",
		"欄 %s 已忽略：%s",
		"column %s is ignored: %s"},

	ldChoicesNoColumn: {
		"%s 工作表没有 %s 列：它的表头行（第 %d 行）必须包含 list_name、name 和 label",
		"%s 工作表沒有 %s 欄：它的標題列（第 %d 列）必須包含 list_name、name 和 label",
		"the %s sheet has no %s column; its header row (row %d) must include list_name, name and label"},
	ldChoiceRowEmpty: {
		"这一行既没有 list_name 也没有 name，已忽略",
		"這一列既沒有 list_name 也沒有 name，已忽略",
		"this row has no list_name and no name and is ignored"},
	ldChoiceNoList: {
		"选项 %s 没有 list_name：请写上它所属的列表",
		"選項 %s 沒有 list_name：請寫上它所屬的清單",
		"the choice %s has no list_name; write the list it belongs to"},
	ldChoiceNoName: {
		"列表 %s 的这个选项没有 name：name 是选中时存下的值",
		"清單 %s 的這個選項沒有 name：name 是選取時存下的值",
		"this choice of list %s has no name; the name is the value stored when it is chosen"},
	ldChoiceDup: {
		"列表 %s 中已有名为 %s 的选项（第 %d 行）：请改名其中一个，或在 settings 工作表中把 allow_choice_duplicates 设为 yes",
		"清單 %s 中已有名為 %s 的選項（第 %d 列）：請改名其中一個，或在 settings 工作表中把 allow_choice_duplicates 設為 yes",
		"list %s already has a choice named %s (row %d); rename one, or set allow_choice_duplicates to yes on the settings sheet"},
	ldChoiceSpace: {
		"选项名 %s 含有空格，但列表 %s 被 select_multiple %s（第 %d 行）使用，其答案是以空格分隔的选项名：请给选项改名（例如 %s）",
		"選項名 %s 含有空格，但清單 %s 被 select_multiple %s（第 %d 列）使用，其答案是以空格分隔的選項名：請給選項改名（例如 %s）",
		"the choice name %s has a space, but list %s is used by the select_multiple %s (row %d), whose answer is the chosen names separated by spaces; rename the choice (e.g. %s)"},
	ldListNotExternal: {
		"列表 %s 在 choices 工作表中，不在 external_choices 中：请写 select_one %s（不带 _external）",
		"清單 %s 在 choices 工作表中，不在 external_choices 中：請寫 select_one %s（不帶 _external）",
		"list %s is on the choices sheet, not on external_choices; write select_one %s (without _external)"},
	ldNoExternalSheet: {
		"找不到列表 %s：表单没有 external_choices 工作表；请添加一个含 list_name、name 和 label 列的该工作表",
		"找不到清單 %s：表單沒有 external_choices 工作表；請新增一個含 list_name、name 和 label 欄的該工作表",
		"list %s not found: the form has no external_choices sheet; add one with list_name, name and label columns"},
	ldListNotOnExternal: {
		"external_choices 工作表中找不到列表 %s%s：请在那里添加它的选项",
		"external_choices 工作表中找不到清單 %s%s：請在那裡新增它的選項",
		"list %s not found on the external_choices sheet%s; add its choices there"},
	ldListIsExternal: {
		"列表 %s 在 external_choices 工作表中：请写 select_one_external %s，或把它的选项移到 choices 工作表",
		"清單 %s 在 external_choices 工作表中：請寫 select_one_external %s，或把它的選項移到 choices 工作表",
		"list %s is on the external_choices sheet; write select_one_external %s, or move its choices to the choices sheet"},
	ldNoChoicesSheet: {
		"找不到列表 %s：表单没有 choices 工作表%s；请添加一个含 list_name、name 和 label 列的 choices 工作表，写上该列表的选项",
		"找不到清單 %s：表單沒有 choices 工作表%s；請新增一個含 list_name、name 和 label 欄的 choices 工作表，寫上該清單的選項",
		"list %s not found: the form has no choices sheet%s; add a choices sheet with list_name, name and label columns and the list's choices"},
	ldMeantChoices: {
		"（工作表 %s 是不是想作为 choices？）",
		"（工作表 %s 是不是想作為 choices？）",
		" (is the sheet %s meant to be choices?)"},
	ldListNotFound: {
		"choices 工作表中找不到列表 %s%s：请添加 list_name 为 %s 的行",
		"choices 工作表中找不到清單 %s%s：請新增 list_name 為 %s 的列",
		"list %s not found on the choices sheet%s; add rows with list_name %s"},
	ldOrOtherBuiltin: {
		"内置列表 %s 不能使用 or_other：请另加一道文本题填写其他答案",
		"內建清單 %s 不能使用 or_other：請另加一道文字題填寫其他答案",
		"or_other cannot be used with the built-in list %s; add a separate text question for other answers"},
	ldOrOtherEmpty: {
		"列表 %s 没有选项：or_other 需要先有列表的选项",
		"清單 %s 沒有選項：or_other 需要先有清單的選項",
		"list %s has no choices; or_other needs the list's choices first"},
	ldOrOtherTaken: {
		"or_other 会添加名为 %s 的问题，但第 %d 行已使用这个名称：请给那道题改名，或去掉 or_other 自己写“其他”题",
		"or_other 會新增名為 %s 的問題，但第 %d 列已使用這個名稱：請給那道題改名，或去掉 or_other 自己寫「其他」題",
		"or_other adds a question named %s, but row %d already uses that name; rename that question, or drop or_other and write the other question yourself"},
	ldLoopNoList: {
		"循环 %s 遍历的列表 %s 不在 choices 工作表中：请添加该列表或改正其名称",
		"迴圈 %s 走訪的清單 %s 不在 choices 工作表中：請新增該清單或改正其名稱",
		"loop %s goes over list %s, which is not on the choices sheet; add the list or fix its name"},

	ldSurveyEmpty: {
		"survey 工作表是空的：请在第一行写表头 type、name 和 label，下面每行一道题",
		"survey 工作表是空的：請在第一列寫標題 type、name 和 label，下面每列一道題",
		"the survey sheet is empty; put the headers type, name and label in the first row and one question per row below"},
	ldSurveyNoColumn: {
		"survey 工作表没有 %s 列：表头行（第 %d 行）必须包含 type 和 name",
		"survey 工作表沒有 %s 欄：標題列（第 %d 列）必須包含 type 和 name",
		"the survey sheet has no %s column; the header row (row %d) must include type and name"},
	ldUnknownColumn: {
		"列 %s 不是 XLSForm 的列，已忽略%s",
		"欄 %s 不是 XLSForm 的欄，已忽略%s",
		"column %s is not an XLSForm column and is ignored%s"},
	ldNoEnd: {
		"begin %s %s 没有对应的 end %s：请在它的最后一道题后面加一行 end %s",
		"begin %s %s 沒有對應的 end %s：請在它的最後一道題後面加一列 end %s",
		"begin %s %s has no matching end %s; add an end %s row after its last question"},
	ldRowDisabled: {
		"这一行已停用（disabled = %s），已跳过",
		"這一列已停用（disabled = %s），已跳過",
		"this row is disabled (disabled = %s) and is skipped"},
	ldRowEmpty: {
		"这一行没有 type、name 或 label，已忽略",
		"這一列沒有 type、name 或 label，已忽略",
		"this row has no type, name or label and is ignored"},
	ldNoType: {
		"这一行没有 type：请填写类型（例如 text 或 integer），或删除这一行",
		"這一列沒有 type：請填寫類型（例如 text 或 integer），或刪除這一列",
		"this row has no type; fill in the type (e.g. text or integer) or delete the row"},
	ldBadType: {"type %s：%s", "type %s：%s", "type %s: %s"},
	ldExAppearance: {
		"外观 %s 在 ODK Collect 中会启动一个安卓应用；fieldbench 改为直接询问这个值",
		"外觀 %s 在 ODK Collect 中會啟動一個 Android 應用程式；fieldbench 改為直接詢問這個值",
		"the appearance %s launches an Android app in ODK Collect; fieldbench asks for the value instead"},
	ldNoBegin: {
		"%s 上方没有对应的 begin %s：请删除这一行，或加上 begin %s 行",
		"%s 上方沒有對應的 begin %s：請刪除這一列，或加上 begin %s 列",
		"%s has no matching begin %s above it; delete this row or add the begin %s row"},
	ldWrongEnd: {
		"%s 关闭了 %s，但它是在第 %[4]d 行开始的 %[3]s：这里请写 end %[5]s（分组和重复组按开始的相反顺序关闭）",
		"%s 關閉了 %s，但它是在第 %[4]d 列開始的 %[3]s：這裡請寫 end %[5]s（分組和重複組按開始的相反順序關閉）",
		"%s closes %s, which is a %s begun at row %d; write end %s here (groups and repeats close in the reverse order they begin)"},
	ldNoName: {
		"这道题没有 name：每道题都需要一个唯一的名称（字母、数字和 _），答案按它存储",
		"這道題沒有 name：每道題都需要一個唯一的名稱（字母、數字和 _），答案按它儲存",
		"this question has no name; every question needs a unique name (letters, digits and _), which is how its answer is stored"},
	ldBadName: {
		"名称 %s 无效：名称以字母或 _ 开头，只含字母、数字、-、_ 和 .（不能有空格）",
		"名稱 %s 無效：名稱以字母或 _ 開頭，只含字母、數字、-、_ 和 .（不能有空格）",
		"the name %s is not valid: a name starts with a letter or _ and has only letters, digits, -, _ and . (no spaces)"},
	ldReservedName: {
		"名称 %s 以 %s 开头，这是 fieldbench 在记录中存放自身数据用的（例如 %s）：请给这道题改名",
		"名稱 %s 以 %s 開頭，這是 fieldbench 在記錄中存放自身資料用的（例如 %s）：請給這道題改名",
		"the name %s starts with %s, which fieldbench keeps for its own data in a record (such as %s); rename the question"},
	ldNameTaken: {
		"名称 %s 已在第 %d 行用于同一%s中：并列的问题需要不同的名称，因为每个名称都是记录中的一个键",
		"名稱 %s 已在第 %d 列用於同一%s中：並列的問題需要不同的名稱，因為每個名稱都是記錄中的一個鍵",
		"the name %s is already used at row %d in the same %s; questions side by side need different names, because each name is a key of the record"},
	ldScopeForm:   {"表单（不在任何分组内）", "表單（不在任何分組內）", "form (outside any group)"},
	ldScopeRepeat: {"重复组 %s", "重複組 %s", "repeat %s"},
	ldScopeGroup:  {"分组 %s", "分組 %s", "group %s"},
	ldNameCase: {
		"名称 %s 和 %s（第 %d 行）只有大小写不同，导出时容易混淆",
		"名稱 %s 和 %s（第 %d 列）只有大小寫不同，匯出時容易混淆",
		"the names %s and %s (row %d) differ only in upper/lower case, which is easy to confuse in exports"},
	ldParameters: {
		"parameters 应写成 key=value（例如 start=0 end=10），而不是 %s",
		"parameters 應寫成 key=value（例如 start=0 end=10），而不是 %s",
		"parameters must be written key=value (e.g. start=0 end=10), not %s"},
	ldValidateNoAnswer: {
		"validate 只用于有答案的问题；%s 没有答案，请在这里去掉它",
		"validate 只用於有答案的問題；%s 沒有答案，請在這裡去掉它",
		"validate applies to questions with an answer; a %s has none, so remove it here"},
	ldSensitiveBad: {
		"sensitive 为 %s：请写 name、id_number、phone、address、bank_card 之一，或留空",
		"sensitive 為 %s：請寫 name、id_number、phone、address、bank_card 之一，或留空",
		"sensitive is %s; write one of name, id_number, phone, address, bank_card, or leave it empty"},
	ldSensitiveNoAnswer: {
		"sensitive 只用于有答案的问题；%s 没有答案，请在这里去掉它",
		"sensitive 只用於有答案的問題；%s 沒有答案，請在這裡去掉它",
		"sensitive applies to questions with an answer; a %s has none, so remove it here"},
	ldPlaceholder: {
		"占位符 %s 只在循环（begin loop over LIST）内有效：请把文字写完整",
		"佔位符 %s 只在迴圈（begin loop over LIST）內有效：請把文字寫完整",
		"the placeholder %s only works inside a loop (begin loop over LIST); write the text out"},
	ldChoiceFilterNoSelect: {
		"choice_filter 只用于 select_one 和 select_multiple 题；这一行是 %s，因此忽略",
		"choice_filter 只用於 select_one 和 select_multiple 題；這一列是 %s，因此忽略",
		"choice_filter only applies to select_one and select_multiple questions; this row is %s, so it is ignored"},
	ldChoiceFilterOrOther: {
		"choice_filter 不能与 or_other 同用：请在列表中加一个 'other' 选项，再加一道 relevant 为 selected(${%s}, 'other') 的文本题",
		"choice_filter 不能與 or_other 同用：請在清單中加一個 'other' 選項，再加一道 relevant 為 selected(${%s}, 'other') 的文字題",
		"choice_filter cannot be combined with or_other; add an 'other' choice to the list and a text question with relevant selected(${%s}, 'other')"},
	ldRepeatCountIgnored: {
		"repeat_count 只用于 begin repeat 行，这里忽略",
		"repeat_count 只用於 begin repeat 列，這裡忽略",
		"repeat_count only applies to begin repeat rows and is ignored here"},
	ldNoEffectOnContainer: {
		"%s 对 %s 不起作用，已忽略：请写在里面的问题上",
		"%s 對 %s 不起作用，已忽略：請寫在裡面的問題上",
		"%s has no effect on a %s and is ignored; put it on the questions inside"},
	ldCalculateEmpty: {
		"这一 calculate 行没有 calculation：请在 calculation 列写上表达式",
		"這一 calculate 列沒有 calculation：請在 calculation 欄寫上運算式",
		"this calculate row has no calculation; write the expression in the calculation column"},
	ldWarningMessageAlone: {
		"warning_message 旁边没有 warning 表达式，永远不会显示：请在 warning 列写上表达式",
		"warning_message 旁邊沒有 warning 運算式，永遠不會顯示：請在 warning 欄寫上運算式",
		"warning_message has no warning expression beside it and is never shown; add the expression in the warning column"},
	ldWarningNoAnswer: {
		"warning 用于采集员填写并确认的答案；%s 没有这样的答案，请把这项检查移到它所针对的问题上",
		"warning 用於採集員填寫並確認的答案；%s 沒有這樣的答案，請把這項檢查移到它所針對的問題上",
		"warning applies to answers a collector gives and confirms; %s has none, so move the check to the question it is about"},
	ldWhatType:       {"%s", "%s", "a %s"},
	ldWhatMeta:       {"元数据（%s）", "中繼資料（%s）", "metadata (%s)"},
	ldWhatCalculated: {"计算得出的问题", "計算得出的問題", "a calculated question"},

	ldWhyMedia: {"媒体在终端中不适用", "媒體在終端機中不適用", "media do not apply in a terminal"},
	ldWhyInstance: {
		"instance 属性只用于给导出的 XML 加标记",
		"instance 屬性只用於給匯出的 XML 加標記",
		"instance attributes only label the exported XML"},
	ldWhyBindAttr: {
		"没有 XForms 引擎处理这个属性（fieldbench 本来就把每个答案存为草稿）",
		"沒有 XForms 引擎處理這個屬性（fieldbench 本來就把每個答案存為草稿）",
		"no XForms engine acts on this attribute (fieldbench saves every answer as a draft anyway)"},
	ldWhyGPSAccuracy: {
		"不支持 GPS 精度阈值：fieldbench 不采集位置",
		"不支援 GPS 精度門檻：fieldbench 不擷取位置",
		"GPS accuracy thresholds are not supported; fieldbench does not capture locations"},
	ldWhyDisplayAttr: {
		"这个显示属性在终端中不适用",
		"這個顯示屬性在終端機中不適用",
		"this display attribute does not apply in a terminal"},
	ldWhyGuidanceHint: {
		"guidance_hint 用于纸质表单和培训；fieldbench 只显示 hint",
		"guidance_hint 用於紙本表單和培訓；fieldbench 只顯示 hint",
		"guidance hints are for printed forms and training; fieldbench shows hint only"},
	ldWhyAutoplay: {"媒体自动播放在终端中不适用", "媒體自動播放在終端機中不適用", "media autoplay does not apply in a terminal"},
	ldWhyRows:     {"文本框的高度在终端中不适用", "文字框的高度在終端機中不適用", "the height of a text box does not apply in a terminal"},
	ldWhyButtonText: {
		"按钮文字在终端中不适用",
		"按鈕文字在終端機中不適用",
		"button captions do not apply in a terminal"},
	ldWhyNoAppError: {
		"外部应用缺失时的提示不适用",
		"外部應用程式缺失時的提示不適用",
		"the message for a missing external app does not apply"},
	ldWhyListName: {
		"survey 工作表从 type 列取列表（select_one LIST）",
		"survey 工作表從 type 欄取清單（select_one LIST）",
		"the survey sheet takes the list from the type column (select_one LIST)"},
	ldWhyIntent: {
		"不支持启动外部应用（intent 列）",
		"不支援啟動外部應用程式（intent 欄）",
		"launching an external app (the intent column) is not supported"},
	ldWhyPreload: {
		"不支持预载（preload）：请用元数据类型 start、end、today、deviceid 或 username",
		"不支援預載（preload）：請用中繼資料類型 start、end、today、deviceid 或 username",
		"preloads are not supported; use the metadata types start, end, today, deviceid or username"},
	ldWhyBindType: {
		"不支持通过 bind 列改写数据类型：请设置 type 列",
		"不支援透過 bind 欄改寫資料類型：請設定 type 欄",
		"overriding the data type through a bind column is not supported; set the type column"},
	ldWhyLangSuffix: {
		"只有 label、hint、constraint_message、required_message 和 warning_message 可以带语言：请去掉后缀 ::%s",
		"只有 label、hint、constraint_message、required_message 和 warning_message 可以帶語言：請去掉後綴 ::%s",
		"only label, hint, constraint_message, required_message and warning_message take a language; remove the ::%s suffix"},
	ldWhyChoiceLang: {
		"只有 label 可以带语言：请去掉后缀 ::%s",
		"只有 label 可以帶語言：請去掉後綴 ::%s",
		"only label takes a language; remove the ::%s suffix"},

	ldTypeEmpty:   {"类型是空的", "類型是空的", "the type is empty"},
	ldTypeBgAudio: {"fieldbench 不支持后台录音", "fieldbench 不支援背景錄音", "recording audio in the background is not supported in fieldbench"},
	ldTypeInclude: {
		"不支持引入另一个表单（include）：请把它的行复制到本表单",
		"不支援引入另一個表單（include）：請把它的列複製到本表單",
		"including another form (include) is not supported; copy its rows into this form"},
	ldAuditName: {
		"audit 题的名称只能是 audit（或留空）：ODK 把它存为 meta/audit；请改名为 audit",
		"audit 題的名稱只能是 audit（或留空）：ODK 把它存為 meta/audit；請改名為 audit",
		"an audit is always named audit (or left unnamed): ODK keeps it as meta/audit; rename it audit"},
	ldBgGeopointTrigger: {
		"background-geopoint 题需要在 trigger 列写上触发它的问题（${name}）",
		"background-geopoint 題需要在 trigger 欄寫上觸發它的問題（${name}）",
		"a background-geopoint needs the question that triggers it (${name}) in the trigger column"},
	ldBgGeopointCalculation: {
		"background-geopoint 题的 calculation 列必须为空",
		"background-geopoint 題的 calculation 欄必須為空",
		"a background-geopoint takes no calculation; leave the calculation column empty"},
	ldTriggerRefs: {
		"trigger 应为一个或多个 ${name}，用逗号分开（这里是 %s）",
		"trigger 應為一個或多個 ${name}，用逗號分開（這裡是 %s）",
		"a trigger is one ${name}, or several separated by commas (here: %s)"},
	ldTriggerNotAnswered: {
		"${%s} 不是采集员回答的问题，不能触发 ${%s}",
		"${%s} 不是採集員回答的問題，不能觸發 ${%s}",
		"${%s} is not a question the collector answers, so it cannot trigger ${%s}"},
	ldTypeNeedsList: {
		"%s 后面需要列表名，例如 %s yes_no",
		"%s 後面需要清單名，例如 %s yes_no",
		"%s needs a list name after it, e.g. %s yes_no"},
	ldTypeUnknown: {
		"未知类型 %s%s；XLSForm 的类型见：text、integer、decimal、date、time、dateTime、select_one LIST、select_multiple LIST、note、calculate、begin group、begin repeat……",
		"未知類型 %s%s；XLSForm 的類型見：text、integer、decimal、date、time、dateTime、select_one LIST、select_multiple LIST、note、calculate、begin group、begin repeat……",
		"unknown type %s%s; see the XLSForm types: text, integer, decimal, date, time, dateTime, select_one LIST, select_multiple LIST, note, calculate, begin group, begin repeat..."},
	ldBeginNeedsKind: {"begin 后面需要 group 或 repeat", "begin 後面需要 group 或 repeat", "begin needs group or repeat after it"},
	ldLoopSyntax: {
		"循环请写成 begin loop over LIST，写明要遍历的选项列表",
		"迴圈請寫成 begin loop over LIST，寫明要走訪的選項清單",
		"write a loop as begin loop over LIST, naming the choice list to loop over"},
	ldAfterBegin: {
		"begin %[2]s 后面多了 %[1]s：分组的名称写在 name 列",
		"begin %[2]s 後面多了 %[1]s：分組的名稱寫在 name 欄",
		"unexpected %s after begin %s; the group's name goes in the name column"},
	ldAfterEnd: {
		"end %[2]s 后面多了 %[1]s",
		"end %[2]s 後面多了 %[1]s",
		"unexpected %s after end %s"},
	ldSelectFromAnswers: {
		"以前面的答案作选项要写成 select_one ${name}，name 是一道题的名称，后面不能再有别的（这里是 %s）",
		"以前面的答案作選項要寫成 select_one ${name}，name 是一道題的名稱，後面不能再有別的（這裡是 %s）",
		"choices from earlier answers are written select_one ${name}, name being one question's name, with nothing after it (here: %s)"},
	ldChoicesFromNoAnswer: {
		"select_one ${%s} 以这道题的答案作选项，但它是 %s，没有答案",
		"select_one ${%s} 以這道題的答案作選項，但它是 %s，沒有答案",
		"select_one ${%s} takes its choices from that question's answers, but it is a %s and has none"},
	ldAfterList: {
		"列表名后面多了 %s：类型应写成例如 select_one %s（或 select_one %s or_other）",
		"清單名後面多了 %s：類型應寫成例如 select_one %s（或 select_one %s or_other）",
		"unexpected %s after the list name; the type is e.g. select_one %s (or select_one %s or_other)"},

	ldExprSyntax: {
		"表达式 %q 无法解析，第 %d 个字符处：%s",
		"運算式 %q 無法解析，第 %d 個字元處：%s",
		"the expression %q does not parse at column %d: %s"},
	ldExprParse: {
		"表达式 %q 无法解析：%v",
		"運算式 %q 無法解析：%v",
		"the expression %q does not parse %v"},
	ldRefAmbiguous: {
		"${%s} 有歧义：有 %d 道题都叫 %q（第 %s 行）：请改名其中一道，让引用明确",
		"${%s} 有歧義：有 %d 道題都叫 %q（第 %s 列）：請改名其中一道，讓引用明確",
		"${%s} is ambiguous: %d questions are named %q (rows %s); rename one so the reference is clear"},
	ldRefUnknown: {
		"${%s} 没有指向本表单的任何问题：请检查名称（区分大小写）",
		"${%s} 沒有指向本表單的任何問題：請檢查名稱（區分大小寫）",
		"${%s} refers to no question of this form; check the name (names are case-sensitive)"},
	ldValidateRule: {
		"validate 规则 %q 不可用：%s",
		"validate 規則 %q 不可用：%s",
		"validate rule %q: %s"},
	ldValidateRuleIn: {
		"validate 规则 %q（在 %q 中）不可用：%s",
		"validate 規則 %q（在 %q 中）不可用：%s",
		"validate rule %q in %q: %s"},
	ldCycle: {
		"这些问题互相依赖，形成循环，都无法算出：%s",
		"這些問題互相依賴，形成循環，都無法算出：%s",
		"these questions depend on each other in a circle, so none can be worked out: %s"},
	ldNameTakenInGroup: {
		"名称 %q 已在同一分组的第 %d 行使用：请改名其中一个",
		"名稱 %q 已在同一分組的第 %d 列使用：請改名其中一個",
		"the name %q is already used in the same group at row %d; rename one"},
}
