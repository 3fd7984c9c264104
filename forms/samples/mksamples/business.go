package main

import embedded "github.com/fieldbench/fieldbench/forms/samples"

// businessCensus is 经营主体普查 / Business census: one record per
// enterprise, individually-owned business (个体工商户) or farmers'
// cooperative found in the township, checked against its business licence.
var businessCensus = form{
	File:  "business_census",
	Title: "经营主体普查 / Business census",
	Survey: []question{
		{Type: "start", Name: "start"},
		{Type: "end", Name: "end"},
		{Type: "today", Name: "today"},
		{Type: "deviceid", Name: "deviceid"},
		{Type: "username", Name: "username"},

		{Type: "begin group", Name: "entity", LabelZH: "主体信息", LabelEN: "The business", Appearance: "field-list"},
		{
			Type: "text", Name: "uscc",
			LabelZH: "统一社会信用代码", LabelEN: "Unified social credit code",
			HintZH: "营业执照上的18位代码", HintEN: "The 18-character code on the business licence",
			Required: "yes", RequiredMsgZH: "请填写统一社会信用代码", RequiredMsgEN: "Enter the unified social credit code",
			Constraint:      "string-length(.) = 18",
			ConstraintMsgZH: "统一社会信用代码应为18位，请与营业执照核对",
			ConstraintMsgEN: "The code has 18 characters; check it against the licence",
			Validate:        "cn_uscc",
		},
		{
			Type: "text", Name: "biz_name",
			LabelZH: "名称", LabelEN: "Name of the business",
			HintZH: "与营业执照一致", HintEN: "As on the business licence",
			Required: "yes", RequiredMsgZH: "请填写名称", RequiredMsgEN: "Enter the name of the business",
		},
		{
			Type: "select_one biz_type", Name: "biz_type",
			LabelZH: "主体类型", LabelEN: "Type of business",
			Required: "yes", RequiredMsgZH: "请选择主体类型", RequiredMsgEN: "Choose the type of business",
		},
		{
			Type: "select_one industry", Name: "industry",
			LabelZH: "所属行业", LabelEN: "Industry",
			HintZH: "按主要业务填写", HintEN: "By its main activity",
			Required: "yes", RequiredMsgZH: "请选择所属行业", RequiredMsgEN: "Choose the industry",
		},
		{
			Type: "date", Name: "founded",
			LabelZH: "成立日期", LabelEN: "Date founded",
			HintZH: "营业执照上的成立日期", HintEN: "As on the business licence",
			Constraint:      ". <= today()",
			ConstraintMsgZH: "成立日期不能晚于今天",
			ConstraintMsgEN: "The date founded cannot be in the future",
		},
		{Type: "end group", Name: "entity"},

		{Type: "begin group", Name: "operator", LabelZH: "法定代表人（经营者）", LabelEN: "Legal representative or operator", Appearance: "field-list"},
		{
			Type: "text", Name: "legal_rep",
			LabelZH: "姓名", LabelEN: "Name",
			Required: "yes", RequiredMsgZH: "请填写法定代表人（经营者）姓名", RequiredMsgEN: "Enter the name of the legal representative or operator",
			Sensitive: "name",
		},
		{
			Type: "text", Name: "legal_rep_id",
			LabelZH: "公民身份号码", LabelEN: "Resident ID number",
			HintZH: "18位，末位可以是X", HintEN: "18 characters; the last may be X",
			Validate: "cn_id", Sensitive: "id_number",
		},
		{
			Type: "text", Name: "phone",
			LabelZH: "联系电话（手机）", LabelEN: "Mobile phone",
			HintZH: "11位手机号码", HintEN: "11-digit mobile number",
			Validate: "cn_mobile", Sensitive: "phone",
		},
		{Type: "end group", Name: "operator"},

		{Type: "begin group", Name: "premises", LabelZH: "经营场所", LabelEN: "Premises", Appearance: "field-list"},
		{
			Type: "text", Name: "division_code",
			LabelZH: "所在地统计用区划代码", LabelEN: "Statistical division code of the premises",
			HintZH: "9位（乡镇、街道）或12位（村、社区）", HintEN: "9 digits (township) or 12 digits (village or community)",
			Validate: "cn_division",
		},
		{
			Type: "text", Name: "address",
			LabelZH: "经营地址", LabelEN: "Business address",
			Sensitive: "address",
		},
		{
			Type: "text", Name: "postcode",
			LabelZH: "邮政编码", LabelEN: "Postcode",
			HintZH: "6位数字", HintEN: "6 digits",
			Validate: "cn_postcode",
		},
		{Type: "end group", Name: "premises"},

		{Type: "begin group", Name: "operations", LabelZH: "经营情况", LabelEN: "Operations", Appearance: "field-list"},
		{
			Type: "integer", Name: "employees",
			LabelZH: "从业人员数", LabelEN: "Number of people working",
			HintZH: "含经营者本人", HintEN: "The operator included",
			Required: "yes", RequiredMsgZH: "请填写从业人员数", RequiredMsgEN: "Enter the number of people working",
			Constraint:      ". >= 0 and . <= 100000",
			ConstraintMsgZH: "从业人员数应在0到100000之间",
			ConstraintMsgEN: "Between 0 and 100,000",
		},
		{
			Type: "integer", Name: "female_employees",
			LabelZH: "其中：女性", LabelEN: "Of whom women",
			Constraint:      ". <= ${employees}",
			ConstraintMsgZH: "女性从业人员不能多于从业人员总数",
			ConstraintMsgEN: "Cannot be more than the number of people working",
		},
		{
			Type: "decimal", Name: "revenue",
			LabelZH: "上年营业收入（万元）", LabelEN: "Revenue last year (10,000 yuan)",
			HintZH: "单位：万元", HintEN: "In 万元 (units of 10,000 yuan)",
			Constraint:      ". >= 0",
			ConstraintMsgZH: "营业收入不能为负数",
			ConstraintMsgEN: "Revenue cannot be negative",
		},
		{
			Type: "select_one yesno", Name: "has_license",
			LabelZH: "是否取得行业经营许可证", LabelEN: "Does it hold a sector operating permit?",
			HintZH: "如食品经营许可证、道路运输经营许可证", HintEN: "E.g. a food business or road transport permit",
			Required: "yes", RequiredMsgZH: "请选择是否取得许可证", RequiredMsgEN: "Say whether it holds a permit",
		},
		{
			Type: "text", Name: "license_no",
			LabelZH: "许可证编号", LabelEN: "Permit number",
			Relevant:      "${has_license} = 'yes'",
			Required:      "yes",
			RequiredMsgZH: "请填写许可证编号",
			RequiredMsgEN: "Enter the permit number",
		},
		{
			Type: "select_multiple channels", Name: "online_sales",
			LabelZH: "网络销售渠道（可多选）", LabelEN: "Online sales channels (select all that apply)",
			Constraint:      "not(selected(., 'none') and count-selected(.) > 1)",
			ConstraintMsgZH: "“无网络销售”不能与其他选项同时选择",
			ConstraintMsgEN: "无网络销售 (none) cannot be combined with other answers",
		},
		{Type: "end group", Name: "operations"},

		{
			Type: "acknowledge", Name: "confirm",
			LabelZH:       "以上信息已由法定代表人（经营者）核实确认。",
			LabelEN:       "The legal representative or operator has checked and confirmed the answers above.",
			Required:      "yes",
			RequiredMsgZH: "提交前须经经营者确认",
			RequiredMsgEN: "The operator must confirm before submitting",
		},
	},
	Choices: []choice{
		{"biz_type", "enterprise", "企业", "Enterprise"},
		{"biz_type", "individual", "个体工商户", "Individually-owned business"},
		{"biz_type", "cooperative", "农民专业合作社", "Farmers' specialised cooperative"},

		{"industry", "agriculture", "农、林、牧、渔业", "Agriculture, forestry, animal husbandry and fishery"},
		{"industry", "manufacturing", "制造业", "Manufacturing"},
		{"industry", "construction", "建筑业", "Construction"},
		{"industry", "wholesale_retail", "批发和零售业", "Wholesale and retail"},
		{"industry", "transport", "交通运输、仓储和邮政业", "Transport, storage and post"},
		{"industry", "hospitality", "住宿和餐饮业", "Accommodation and catering"},
		{"industry", "it", "信息传输、软件和信息技术服务业", "Information transmission, software and IT services"},
		{"industry", "resident_services", "居民服务、修理和其他服务业", "Household services, repairs and other services"},
		{"industry", "other", "其他行业", "Other"},

		{"channels", "none", "无网络销售", "None"},
		{"channels", "platform", "电商平台（淘宝、京东、拼多多等）", "Marketplaces (Taobao, JD, Pinduoduo…)"},
		{"channels", "livestream", "直播带货（抖音、快手等）", "Live-stream selling (Douyin, Kuaishou…)"},
		{"channels", "wechat", "微信及社群", "WeChat and group selling"},
		{"channels", "takeaway", "外卖平台", "Food-delivery platforms"},
		{"channels", "own_site", "自建网站或小程序", "Own website or mini-program"},

		{"yesno", "yes", "是", "Yes"},
		{"yesno", "no", "否", "No"},
	},
	Settings: []setting{
		{"form_id", "business_census"},
		{"form_title", "经营主体普查 / Business census"},
		{"version", embedded.BusinessCensusVersion},
		{"instance_name", "concat(${biz_name}, ' ', ${uscc})"},
		{"default_language", langZH},
		// The catalogue description, as in the household sample.
		{"resource_name", "经营主体普查（示例）"},
		{"resource_code", "201002/00001"},
		{"provider", "示例县市场监督管理局"},
		{"provider_uscc", "91350100M000100Y43"},
		{"summary", "示例表单：辖区经营主体基本情况普查，含经营者联系方式。"},
		{"category", "主题/市场监管"},
		{"format", "数据库/CSV"},
		{"sharing_type", "不予共享"},
		{"sharing_condition", "含经营者公民身份号码和手机号码，依《个人信息保护法》不予共享"},
		{"update_cycle", "每年"},
		{"issued", "2026-11-27"},
		{"series", "2026年经营主体普查"},
	},
}
