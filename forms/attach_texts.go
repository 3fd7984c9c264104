package forms

// The messages about attached data files (attach*.go), in zh-Hans,
// zh-Hant and en, joined to loadMessages at init.
const (
	ldAttachMissing      loadKey = "attach_missing"
	ldAttachBadName      loadKey = "attach_bad_name"
	ldAttachSameInstance loadKey = "attach_same_instance"
	ldAttachTooMany      loadKey = "attach_too_many"
	ldAttachNotNamed     loadKey = "attach_not_named"
	ldAttachNone         loadKey = "attach_none"
	ldAttachUnused       loadKey = "attach_unused"
	ldAttachTwice        loadKey = "attach_twice"
	ldAttachTooLarge     loadKey = "attach_too_large"
	ldAttachListClash    loadKey = "attach_list_clash"
	ldFromFileOrOther    loadKey = "from_file_or_other"
	ldFromFileExtension  loadKey = "from_file_extension"
	ldExternalNoName     loadKey = "external_no_name"
	ldPulldataNotCSV     loadKey = "pulldata_not_csv"
	ldInstanceUnknown    loadKey = "instance_unknown"

	ldDataNotUTF8        loadKey = "data_not_utf8"
	ldDataLooksGBK       loadKey = "data_looks_gbk"
	ldDataNoHeader       loadKey = "data_no_header"
	ldDataBlankHeader    loadKey = "data_blank_header"
	ldDataDupHeader      loadKey = "data_dup_header"
	ldDataLongRow        loadKey = "data_long_row"
	ldDataTooManyRows    loadKey = "data_too_many_rows"
	ldDataTooManyColumns loadKey = "data_too_many_columns"
	ldDataCSV            loadKey = "data_csv"
	ldDataXML            loadKey = "data_xml"
	ldDataXMLEmpty       loadKey = "data_xml_empty"
	ldDataXMLItemName    loadKey = "data_xml_item_name"
	ldDataXMLDeep        loadKey = "data_xml_deep"
	ldDataXMLText        loadKey = "data_xml_text"
	ldDataXMLDirective   loadKey = "data_xml_directive"
	ldDataJSON           loadKey = "data_json"
	ldDataGeoCollection  loadKey = "data_geo_collection"
	ldDataGeoFeature     loadKey = "data_geo_feature"
	ldDataGeoType        loadKey = "data_geo_type"
	ldDataGeoCoordinates loadKey = "data_geo_coordinates"

	ldFileNoColumn      loadKey = "file_no_column"
	ldFileColumnParam   loadKey = "file_column_param"
	ldFileChoiceNoValue loadKey = "file_choice_no_value"
	ldFileChoiceDup     loadKey = "file_choice_dup"
	ldFileChoiceSpace   loadKey = "file_choice_space"
)

func init() {
	for k, v := range attachMessages {
		loadMessages[k] = v
	}
}

var attachMessages = map[loadKey][3]string{
	ldAttachMissing: {
		"表单需要附件 %s（%s），但没有提供：请用 --attach %s 附上它",
		"表單需要附件 %s（%s），但沒有提供：請用 --attach %s 附上它",
		"the form needs the file %s (%s), which was not given; attach it with --attach %s"},
	ldAttachBadName: {
		"附件名 %s 不可用：写文件名本身（不带文件夹），以 .csv、.xml 或 .geojson 结尾",
		"附件名 %s 不可用：寫檔名本身（不帶資料夾），以 .csv、.xml 或 .geojson 結尾",
		"the file name %s cannot be used; write the file's own name (no folder), ending in .csv, .xml or .geojson"},
	ldAttachSameInstance: {
		"附件 %s 与 %s 在表达式中同名（instance('%s')）：请给其中一个改名",
		"附件 %s 與 %s 在運算式中同名（instance('%s')）：請給其中一個改名",
		"the files %s and %s have the same name in expressions (instance('%s')); rename one of them"},
	ldAttachTooMany: {
		"附件超过 %d 个：请合并数据文件",
		"附件超過 %d 個：請合併資料檔",
		"more than %d attached files; merge some data files"},
	ldAttachNotNamed: {
		"表单没有用到文件 %s：只附上表单用到的文件（%s）",
		"表單沒有用到檔案 %s：只附上表單用到的檔案（%s）",
		"the form does not use the file %s; attach only the files it uses (%s)"},
	ldAttachNone: {"它不用任何文件", "它不用任何檔案", "it uses none"},
	ldAttachUnused: {
		"给出的表单都没有用到文件 %s：只附上表单用到的文件",
		"給出的表單都沒有用到檔案 %s：只附上表單用到的檔案",
		"none of the forms given uses the file %s; attach only the files they use"},
	ldAttachTwice: {
		"文件 %s 附上了两次：每个文件只附一次",
		"檔案 %s 附上了兩次：每個檔案只附一次",
		"the file %s is attached twice; attach each file once"},
	ldAttachTooLarge: {
		"文件有 %s，超过附件的上限（%s）：请拆分或精简数据",
		"檔案有 %s，超過附件的上限（%s）：請拆分或精簡資料",
		"the file is %s, more than an attachment may be (%s); split or trim the data"},
	ldAttachListClash: {
		"附件 %s 与 choices 工作表的列表 %s 同名：instance() 会分不清，请给其中一个改名",
		"附件 %s 與 choices 工作表的清單 %s 同名：instance() 會分不清，請給其中一個改名",
		"the file %s has the name of the list %s on the choices sheet, which instance() cannot tell apart; rename one"},
	ldFromFileOrOther: {
		"选项来自文件 %s 的题目不能用 or_other：请在文件中加一行 other",
		"選項來自檔案 %s 的題目不能用 or_other：請在檔案中加一列 other",
		"or_other cannot be used with choices from the file %s; add an other row to the file"},
	ldFromFileExtension: {
		"请写出文件 %s 的扩展名：.csv、.xml 或 .geojson",
		"請寫出檔案 %s 的副檔名：.csv、.xml 或 .geojson",
		"write the file %s with its extension: .csv, .xml or .geojson"},
	ldExternalNoName: {
		"%s-external 需要在 name 列写数据文件名（不带扩展名）",
		"%s-external 需要在 name 欄寫資料檔名（不帶副檔名）",
		"%s-external needs the data file's name (without extension) in the name column"},
	ldPulldataNotCSV: {
		"pulldata(%s, ...) 只读 CSV 文件，但 %s 不是 CSV",
		"pulldata(%s, ...) 只讀 CSV 檔案，但 %s 不是 CSV",
		"pulldata(%s, ...) reads CSV files, and %s is not one"},
	ldInstanceUnknown: {
		"instance(%s) 既不是表单的选项列表，也不是附件：请加一行 csv-external %s，或检查名称%s",
		"instance(%s) 既不是表單的選項清單，也不是附件：請加一列 csv-external %s，或檢查名稱%s",
		"instance(%s) is neither a choice list of the form nor an attached file; add a csv-external %s row, or check the name%s"},

	ldDataNotUTF8: {
		"这一行不是 UTF-8 文本%s：请把文件另存为 UTF-8（Excel 中选“CSV UTF-8”）",
		"這一列不是 UTF-8 文字%s：請把檔案另存為 UTF-8（Excel 中選「CSV UTF-8」）",
		"this line is not UTF-8 text%s; save the file as UTF-8 (in Excel, CSV UTF-8)"},
	ldDataLooksGBK: {"（看起来是 GBK 编码）", "（看起來是 GBK 編碼）", " (it looks like GBK)"},
	ldDataNoHeader: {
		"文件是空的：第一行要写出各列的名称",
		"檔案是空的：第一列要寫出各欄的名稱",
		"the file is empty; its first row must name the columns"},
	ldDataBlankHeader: {
		"第 %s 列没有名称：在第一行写上列名",
		"第 %s 欄沒有名稱：在第一列寫上欄名",
		"column %s has no name; write one in the first row"},
	ldDataDupHeader: {
		"列名 %s 出现了两次（%s 列和 %s 列）：请给其中一列改名",
		"欄名 %s 出現了兩次（%s 欄和 %s 欄）：請給其中一欄改名",
		"the column name %s is used twice (columns %s and %s); rename one"},
	ldDataLongRow: {
		"这一行有 %d 个值，但第一行只有 %d 个列名",
		"這一列有 %d 個值，但第一列只有 %d 個欄名",
		"this row has %d values but the first row names %d columns"},
	ldDataTooManyRows: {
		"文件超过 %d 行：请拆分数据",
		"檔案超過 %d 列：請拆分資料",
		"the file has more than %d rows; split the data"},
	ldDataTooManyColumns: {
		"文件有 %d 列，超过上限（%d 列）",
		"檔案有 %d 欄，超過上限（%d 欄）",
		"the file has %d columns, more than the %d allowed"},
	ldDataCSV: {
		"不能作为 CSV 读取（%v）",
		"無法作為 CSV 讀取（%v）",
		"cannot be read as CSV (%v)"},
	ldDataXML: {
		"不能作为 XML 读取（%v）",
		"無法作為 XML 讀取（%v）",
		"cannot be read as XML (%v)"},
	ldDataXMLEmpty: {
		"XML 文件没有内容：应为 <root><item>…</item></root>",
		"XML 檔案沒有內容：應為 <root><item>…</item></root>",
		"the XML file has no content; it should be <root><item>…</item></root>"},
	ldDataXMLItemName: {
		"元素 %s 与前面的 %s 不同：所有条目要用同一个元素名",
		"元素 %s 與前面的 %s 不同：所有條目要用同一個元素名",
		"the element %s differs from the earlier %s; all items must use one element name"},
	ldDataXMLDeep: {
		"元素 %s 嵌套太深：fieldbench 读取 <root><item><列名>值</列名></item></root>",
		"元素 %s 巢狀太深：fieldbench 讀取 <root><item><欄名>值</欄名></item></root>",
		"the element %s is nested too deep; fieldbench reads <root><item><column>value</column></item></root>"},
	ldDataXMLText: {
		"文本 %s 不在任何条目的值中",
		"文字 %s 不在任何條目的值中",
		"the text %s is outside any item's value"},
	ldDataXMLDirective: {
		"XML 附件不能含 DOCTYPE 或其他声明",
		"XML 附件不能含 DOCTYPE 或其他宣告",
		"an XML attachment cannot have a DOCTYPE or other declaration"},
	ldDataJSON: {
		"不能作为 JSON 读取（%v）",
		"無法作為 JSON 讀取（%v）",
		"cannot be read as JSON (%v)"},
	ldDataGeoCollection: {
		"GeoJSON 文件应为一个 FeatureCollection，而不是 %s",
		"GeoJSON 檔案應為一個 FeatureCollection，而不是 %s",
		"a GeoJSON file must be one FeatureCollection, not %s"},
	ldDataGeoFeature: {
		"这不是 GeoJSON 要素（type 应为 Feature）",
		"這不是 GeoJSON 要素（type 應為 Feature）",
		"this is not a GeoJSON feature (its type must be Feature)"},
	ldDataGeoType: {
		"几何类型 %s 不受支持：请用 Point、LineString 或 Polygon",
		"幾何類型 %s 不受支援：請用 Point、LineString 或 Polygon",
		"the geometry type %s is not supported; use Point, LineString or Polygon"},
	ldDataGeoCoordinates: {
		"坐标不可用：%s",
		"座標不可用：%s",
		"the coordinates cannot be used: %s"},

	ldFileNoColumn: {
		"文件没有 %s 列，但题目 %s（survey 第 %d 行）要用它%s",
		"檔案沒有 %s 欄，但題目 %s（survey 第 %d 列）要用它%s",
		"the file has no %s column, which the question %s (survey row %d) needs%s"},
	ldFileColumnParam: {
		"：请加上这一列，或在 parameters 列写 %s=列名",
		"：請加上這一欄，或在 parameters 欄寫 %s=欄名",
		"; add it, or name another column in the parameters column with %s=COLUMN"},
	ldFileChoiceNoValue: {
		"这一行的 %s 列是空的：每个选项都要有值",
		"這一列的 %s 欄是空的：每個選項都要有值",
		"the %s column of this row is blank; every choice needs a value"},
	ldFileChoiceDup: {
		"值 %s 已在第 %d 行出现：请改掉一个，或在 settings 工作表把 allow_choice_duplicates 设为 yes",
		"值 %s 已在第 %d 列出現：請改掉一個，或在 settings 工作表把 allow_choice_duplicates 設為 yes",
		"the value %s is already on line %d; change one, or set allow_choice_duplicates to yes on the settings sheet"},
	ldFileChoiceSpace: {
		"值 %s 含空格，多选题 %s 存不下它：请用下划线代替空格",
		"值 %s 含空格，多選題 %s 存不下它：請用底線代替空格",
		"the value %s has a space, which the select_multiple %s cannot store; use _ instead of spaces"},
}
