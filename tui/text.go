package tui

import "strings"

// Interface languages, in the order of the columns of uiText.
var uiLanguages = []string{"zh-Hans", "zh-Hant", "en"}

// uiLang picks the supported interface language for a setting or a
// locale: zh-Hans unless Traditional Chinese or English is asked for.
func uiLang(s string) string {
	l := strings.ToLower(s)
	switch {
	case strings.HasPrefix(l, "zh-hant"), strings.HasPrefix(l, "zh_tw"), strings.HasPrefix(l, "zh-tw"),
		strings.HasPrefix(l, "zh_hk"), strings.HasPrefix(l, "zh-hk"):
		return "zh-Hant"
	case strings.HasPrefix(l, "en"):
		return "en"
	}
	return "zh-Hans"
}

// t is the interface text for key in lang.
func t(lang, key string) string {
	row, ok := uiText[key]
	if !ok {
		return key
	}
	for i, l := range uiLanguages {
		if l == lang {
			return row[i]
		}
	}
	return row[0]
}

// uiText holds every string the screens draw: Simplified Chinese,
// Traditional Chinese, English.
var uiText = map[string][3]string{
	"app":                {"采集工作台", "採集工作台", "fieldbench"},
	"collector":          {"采集员", "採集員", "Collector"},
	"no_collector":       {"（未设置，按 s 设置）", "（未設定，按 s 設定）", "(not set: press s)"},
	"forms":              {"表单", "表單", "Forms"},
	"drafts":             {"草稿", "草稿", "drafts"},
	"finalized":          {"已完成", "已完成", "final"},
	"sent":               {"已发送", "已傳送", "sent"},
	"returned":           {"退回", "退回", "returned"},
	"rejected":           {"拒收", "拒收", "rejected"},
	"queued":             {"发送中", "傳送中", "queued"},
	"conflict":           {"冲突", "衝突", "conflict"},
	"resume":             {"未完成的草稿", "未完成的草稿", "Unfinished drafts"},
	"no_drafts":          {"没有未完成的草稿", "沒有未完成的草稿", "No unfinished drafts"},
	"last_sync":          {"上次同步", "上次同步", "Last sync"},
	"never":              {"从未", "從未", "never"},
	"waiting":            {"待发送", "待傳送", "waiting to be sent"},
	"unnamed":            {"（未命名）", "（未命名）", "(no name yet)"},
	"home_keys":          {"上下键 选择  Enter 打开  r 记录  d 质量  y 同步  s 设置  ? 帮助  q 退出", "上下鍵 選擇  Enter 開啟  r 記錄  d 品質  y 同步  s 設定  ? 說明  q 離開", "Up/Down  Enter open  r records  d quality  y sync  s settings  ? help  q quit"},
	"q_title":            {"数据质量：%s", "資料品質：%s", "Data quality: %s"},
	"q_loading":          {"正在检查全部记录...", "正在檢查全部記錄...", "Checking every record..."},
	"q_no_records":       {"这个表单还没有记录。", "這個表單還沒有記錄。", "This form has no records yet."},
	"q_summary":          {"记录 %d（%s） 有错误 %d 条  有提醒 %d 条", "記錄 %d（%s） 有錯誤 %d 筆  有提醒 %d 筆", "%d records (%s), %d with errors, %d with warnings"},
	"q_sep":              {"，", "，", ", "},
	"q_tab_fields":       {"字段完整度", "欄位完整度", "Completeness"},
	"q_tab_dups":         {"重复证件号 %d", "重複證件號 %d", "Duplicate IDs %d"},
	"q_tab_days":         {"采集员每日记录", "採集員每日記錄", "Per collector per day"},
	"q_h_field":          {"题目", "題目", "Question"},
	"q_h_complete":       {"完整度", "完整度", "Complete"},
	"q_h_answered":       {"已答/应答", "已答/應答", "answered"},
	"q_h_failed":         {"错误", "錯誤", "failed"},
	"q_h_warned":         {"提醒", "提醒", "warned"},
	"q_h_kind":           {"类型", "類型", "Kind"},
	"q_h_value":          {"号码（已脱敏）", "號碼（已遮蔽）", "Number (masked)"},
	"q_h_records":        {"记录数", "記錄數", "Records"},
	"q_h_where":          {"题目", "題目", "Questions"},
	"q_h_day":            {"日期", "日期", "Day"},
	"q_h_collector":      {"采集员", "採集員", "Collector"},
	"q_kind_id":          {"身份证号", "身分證號", "ID card"},
	"q_kind_uscc":        {"信用代码", "信用代碼", "Credit code"},
	"q_no_dups":          {"没有重复的身份证号或统一社会信用代码。", "沒有重複的身分證號或統一社會信用代碼。", "No resident ID or credit code occurs twice."},
	"q_no_collector":     {"（未设置）", "（未設定）", "(not set)"},
	"q_scroll":           {"第 %d-%d 行，共 %d 行", "第 %d-%d 列，共 %d 列", "rows %d-%d of %d"},
	"q_keys":             {"左右键 切换  上下键 滚动  Esc 返回", "左右鍵 切換  上下鍵 捲動  Esc 返回", "Left/Right tab  Up/Down scroll  Esc back"},
	"fill_keys":          {"Enter 确认  上下键 换题  PgUp/PgDn 翻页  Ctrl+G 题目列表  Ctrl+F 完成  Esc 返回", "Enter 確認  上下鍵 換題  PgUp/PgDn 翻頁  Ctrl+G 題目列表  Ctrl+F 完成  Esc 返回", "Enter accept  Up/Down move  PgUp/PgDn page  ^G list  ^F finish  Esc back"},
	"saved_draft":        {"已保存草稿", "已儲存草稿", "Draft saved"},
	"required_mark":      {"（必填）", "（必填）", " (required)"},
	"date_format":        {"格式：年-月-日，如 2026-11-27、2026.11.27、20261127", "格式：年-月-日，如 2026-11-27、2026.11.27、20261127", "format: YYYY-MM-DD, e.g. 2026-11-27, 2026.11.27, 20261127"},
	"cleared":            {"已保存；不再可选、已清除：%s", "已儲存；不再可選、已清除：%s", "Saved; cleared as no longer offered: %s"},
	"stored_as":          {"已保存草稿，记为 %s", "已儲存草稿，記為 %s", "Draft saved as %s"},
	"offer":              {"%s（按 Enter 采用）", "%s（按 Enter 採用）", "%s (Enter to use)"},
	"time_format":        {"格式：时:分，如 09:30", "格式：時:分，如 09:30", "format: HH:MM, e.g. 09:30"},
	"datetime_fmt":       {"格式：年-月-日T时:分，如 2026-11-27T09:30", "格式：年-月-日T時:分，如 2026-11-27T09:30", "format: YYYY-MM-DDTHH:MM"},
	"integer_hint":       {"填写整数", "填寫整數", "a whole number"},
	"decimal_hint":       {"填写数字", "填寫數字", "a number"},
	"filter":             {"输入文字筛选", "輸入文字篩選", "type to filter"},
	"matches":            {"项", "項", "matching"},
	"no_matches":         {"没有符合的选项", "沒有符合的選項", "nothing matches"},
	"multi_keys":         {"空格 选中/取消  Enter 确认", "空白鍵 選取/取消  Enter 確認", "Space toggle  Enter accept"},
	"single_keys":        {"上下键 移动  Enter 选定", "上下鍵 移動  Enter 選定", "Up/Down move  Enter choose"},
	"ack_keys":           {"按 Enter 确认", "按 Enter 確認", "press Enter to acknowledge"},
	"ack_done":           {"已确认", "已確認", "acknowledged"},
	"note_keys":          {"按 Enter 继续", "按 Enter 繼續", "press Enter to go on"},
	"repeat_count":       {"共 %d 项", "共 %d 項", "%d entries"},
	"repeat_add":         {"a 再添加一项  Enter 继续", "a 再新增一項  Enter 繼續", "a add another  Enter go on"},
	"repeat_fixed":       {"项数由前面的回答决定  Enter 继续", "項數由前面的回答決定  Enter 繼續", "the number comes from an earlier answer  Enter go on"},
	"remove_ask":         {"删除第 %s 项及其全部回答？(y/n)", "刪除第 %s 項及其全部回答？(y/n)", "Remove entry %s and all its answers? (y/n)"},
	"remove_key":         {"Ctrl+D 删除当前这一项及其回答（会先确认）", "Ctrl+D 刪除目前這一項及其回答（會先確認）", "Ctrl+D remove this entry and its answers (asks first)"},
	"saved":              {"已保存", "已儲存", "Saved"},
	"repeat_fixed_rm":    {"项数由前面的回答决定：请修改那道题", "項數由前面的回答決定：請修改那道題", "The number of entries comes from an earlier answer: change that answer instead"},
	"removed":            {"已删除", "已刪除", "Removed"},
	"jump_title":         {"题目列表（Enter 跳转，Esc 关闭）", "題目列表（Enter 跳轉，Esc 關閉）", "Questions (Enter jump, Esc close)"},
	"summary_title":      {"提交前检查", "提交前檢查", "Before finalizing"},
	"summary_ok":         {"全部完成。按 Enter 提交，Esc 返回修改。", "全部完成。按 Enter 提交，Esc 返回修改。", "Everything is answered. Enter to finalize, Esc to go back."},
	"summary_miss":       {"还有 %d 处需要处理（Enter 跳到该题）：", "還有 %d 處需要處理（Enter 跳到該題）：", "%d things to fix (Enter jumps there):"},
	"warn_prefix":        {"提醒：", "提醒：", "Warning: "},
	"warn_keys":          {"答案无误请再按 Enter 确认；否则修改答案", "答案無誤請再按 Enter 確認；否則修改答案", "Enter again confirms the answer is right; or change it"},
	"warn_confirmed":     {"已确认提醒，记入记录和审计日志", "已確認提醒，記入記錄和稽核日誌", "Warning confirmed: kept in the record and the audit trail"},
	"summary_warn":       {"请确认以下 %d 条提醒（Enter 确认无误，e 回到该题修改）：", "請確認以下 %d 條提醒（Enter 確認無誤，e 回到該題修改）：", "Confirm %d warnings (Enter: the answer is right, e: go and change it):"},
	"summary_warn_after": {"另有 %d 条提醒待确认", "另有 %d 條提醒待確認", "then %d warnings to confirm"},
	"finalized_msg":      {"已提交：%s", "已提交：%s", "Finalized: %s"},
	"edited_msg":         {"已保存修改（新版本）：%s", "已儲存修改（新版本）：%s", "Saved as a new version: %s"},
	"edits_title":        {"未保存的修改（已完成的记录）", "未儲存的修改（已完成的記錄）", "Unsaved edits of finalized records"},
	"edit_of":            {"修改「%s」", "修改「%s」", "Edit of \"%s\""},
	"edit_kept":          {"修改已逐项保存在本机，尚未成为新版本；可从首页继续", "修改已逐項儲存在本機，尚未成為新版本；可從首頁繼續", "Edit kept on this laptop, not yet a new version; resume it from Home"},
	"edit_answer_kept":   {"修改已保存在本机（尚未成为新版本）", "修改已儲存在本機（尚未成為新版本）", "Edit kept on this laptop (not yet a new version)"},
	"edit_unsaved":       {"有未保存的修改", "有未儲存的修改", "unsaved edit"},
	"edit_view_hint":     {"有未保存的修改：按 e 继续修改；在列表中按 d 放弃（已完成的版本保持不变）。", "有未儲存的修改：按 e 繼續修改；在列表中按 d 放棄（已完成的版本保持不變）。", "This record has an unsaved edit: press e to resume it, or d in the list to discard it (the finalized version stays as it is)."},
	"discard_edit_ask":   {"放弃对「%s」的修改？已完成的版本保持不变。(y/n)", "放棄對「%s」的修改？已完成的版本保持不變。(y/n)", "Discard the edit of \"%s\"? The finalized version stays. (y/n)"},
	"edit_discarded":     {"已放弃修改，记录保持原样", "已放棄修改，記錄保持原樣", "Edit discarded; the record is as it was"},
	"records_title":      {"记录", "記錄", "Records"},
	"records_keys":       {"左右键 状态  / 搜索  Enter 查看  e 修改  d 删除草稿/放弃修改  Esc 返回", "左右鍵 狀態  / 搜尋  Enter 檢視  e 修改  d 刪除草稿/放棄修改  Esc 返回", "Left/Right state  / search  Enter view  e edit  d discard draft/edit  Esc back"},
	"all":                {"全部", "全部", "all"},
	"search":             {"搜索", "搜尋", "search"},
	"no_records":         {"没有记录", "沒有記錄", "No records"},
	"discard_ask":        {"删除草稿「%s」？此操作不能撤销。(y/n)", "刪除草稿「%s」？此操作不能復原。(y/n)", "Discard the draft \"%s\"? This cannot be undone. (y/n)"},
	"discarded":          {"草稿已删除", "草稿已刪除", "Draft discarded"},
	"view_keys":          {"上下键 滚动  e 修改  Esc 返回", "上下鍵 捲動  e 修改  Esc 返回", "Up/Down scroll  e edit  Esc back"},
	"sync_title":         {"同步", "同步", "Sync"},
	"sync_queue":         {"待发送的记录", "待傳送的記錄", "Records waiting to be sent"},
	"sync_none":          {"尚未配置中心目录，暂不能同步。已完成的记录会保留在本机，配置后用 fieldbench --sync 发送。", "尚未設定中心目錄，暫不能同步。已完成的記錄會保留在本機，設定後用 fieldbench --sync 傳送。", "No catalogue is configured yet, so nothing can be sent. Finalized records stay on this laptop; once one is configured, fieldbench --sync sends them."},
	"sync_keys":          {"Esc 返回", "Esc 返回", "Esc back"},
	"sync_keys_run":      {"Enter 立即同步  Esc 返回", "Enter 立即同步  Esc 返回", "Enter sync now  Esc back"},
	"sync_to":            {"中心目录", "中心目錄", "Catalogue"},
	"sync_running":       {"正在同步：%d/%d", "正在同步：%d/%d", "Syncing: %d/%d"},
	"sync_unreachable":   {"连不上中心目录（没有网络，或服务器没有开）。", "連不上中心目錄（沒有網路，或伺服器沒有開）。", "The catalogue cannot be reached (no network, or the server is down). "},
	"sync_not_catalogue": {"回答的不是中心目录（可能要先登录 Wi-Fi）。", "回答的不是中心目錄（可能要先登入 Wi-Fi）。", "Something that is not the catalogue answered (a Wi-Fi login page?). "},
	"sync_revoked":       {"中心目录不再接受这台电脑，请向管理员要新的登记码。", "中心目錄不再接受這台電腦，請向管理員要新的登記碼。", "The catalogue no longer accepts this laptop; ask the administrator for a new enrolment code. "},
	"sync_kept":          {"所有记录都安全地保存在本机，下次同步时再发送。", "所有記錄都安全地保存在本機，下次同步時再傳送。", "Every record is safe on this laptop and goes next time."},
	"sync_result":        {"已发送 %d，已存在 %d，冲突 %d，拒收 %d，退回 %d，新表单 %d", "已傳送 %d，已存在 %d，衝突 %d，拒收 %d，退回 %d，新表單 %d", "%d sent, %d already there, %d conflicts, %d rejected, %d returned, %d new forms"},
	"sync_attention":     {"需要处理的记录", "需要處理的記錄", "Records that need attention"},
	"settings_title":     {"设置", "設定", "Settings"},
	"set_ui":             {"界面语言", "介面語言", "Interface language"},
	"set_form":           {"表单语言", "表單語言", "Form language"},
	"set_collector":      {"采集员姓名", "採集員姓名", "Collector's name"},
	"set_theme":          {"边框样式", "邊框樣式", "Borders"},
	"auto":               {"自动", "自動", "automatic"},
	"theme_unicode":      {"Unicode", "Unicode", "Unicode"},
	"theme_ascii":        {"ASCII", "ASCII", "ASCII"},
	"settings_keys":      {"上下键 选择  左右键 更改  Enter 编辑姓名  Esc 返回", "上下鍵 選擇  左右鍵 更改  Enter 編輯姓名  Esc 返回", "Up/Down choose  Left/Right change  Enter edit name  Esc back"},
	"help_title":         {"按键说明（任意键关闭）", "按鍵說明（任意鍵關閉）", "Keys (any key closes)"},
	"restored":           {"已恢复原来的回答「%s」，输入的内容没有保存。再按 Esc 返回。", "已恢復原來的回答「%s」，輸入的內容沒有儲存。再按 Esc 返回。", "The accepted answer %q is back; what was typed is not saved. Esc again to go back."},
	"edit_keys1":         {"Ctrl+U 删除光标前的内容  Ctrl+K 删除光标后的内容  Ctrl+W 删除前一个词", "Ctrl+U 刪除游標前的內容  Ctrl+K 刪除游標後的內容  Ctrl+W 刪除前一個詞", "Ctrl+U delete before cursor  Ctrl+K delete after it  Ctrl+W delete word"},
	"edit_keys2":         {"左右键 移动光标  Home/End 行首/行尾  Tab/Shift+Tab 下一题/上一题", "左右鍵 移動游標  Home/End 行首/行尾  Tab/Shift+Tab 下一題/上一題", "Left/Right move cursor  Home/End line start/end  Tab/Shift+Tab next/previous"},
	"edit_keys3":         {"Esc 返回（输入有误时先恢复原来的回答）  F1 或 ? 本说明", "Esc 返回（輸入有誤時先恢復原來的回答）  F1 或 ? 本說明", "Esc back (first puts back the accepted answer over a refused one)  F1 or ? this help"},
	"home_esc":           {"这里是首页。按 q 或 Ctrl+C 退出，草稿都已保存。", "這裡是首頁。按 q 或 Ctrl+C 離開，草稿都已儲存。", "This is the home screen. Press q or Ctrl+C to quit; drafts are kept."},
	"quit_keys":          {"Ctrl+C 随时退出，已确认的回答都已保存。", "Ctrl+C 隨時離開，已確認的回答都已儲存。", "Ctrl+C quits at any time; every accepted answer is already saved."},
	"error":              {"出错了", "出錯了", "Error"},
	"not_ready":          {"还有未完成的题目", "還有未完成的題目", "Some questions still need answers"},
	"too_large":          {"记录太大（%s，上限 %s），未提交：请缩短最长的答案", "記錄太大（%s，上限 %s），未提交：請縮短最長的答案", "Too large to finalize (%s, limit %s): shorten the longest answers"},
	"page":               {"第 %d/%d 页", "第 %d/%d 頁", "page %d/%d"},
	"yes":                {"是", "是", "yes"},
	"no":                 {"否", "否", "no"},
	"review_comment":     {"审核意见", "審核意見", "Reviewer's comment"},
	"returned_by":        {"审核意见（%s，%s）", "審核意見（%s，%s）", "Reviewer's comment (%s, %s)"},
	"returned_hint":      {"审核退回：按 e 修改，下次同步时作为新版本发送。", "審核退回：按 e 修改，下次同步時作為新版本傳送。", "Returned by review: press e to correct it; the next sync sends the correction as a new version."},
	"sync_reason":        {"原因", "原因", "Reason"},
}
