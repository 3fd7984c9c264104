package main

import embedded "github.com/fieldbench/fieldbench/forms/samples"

// householdVisit is 入户登记 / Household visit: the household register a
// village or community worker fills in at the door. The address uses
// fieldbench's built-in division lists (cn_province … cn_township), which need
// no rows in the choices sheet.
var householdVisit = form{
	File:  "household_visit",
	Title: "入户登记 / Household visit",
	Survey: []question{
		{Type: "start", Name: "start"},
		{Type: "end", Name: "end"},
		{Type: "today", Name: "today"},
		{Type: "deviceid", Name: "deviceid"},
		{Type: "username", Name: "username"},

		{
			Type: "acknowledge", Name: "consent",
			LabelZH:       "已向被访户说明本次登记的用途和个人信息保护要求，被访户同意登记。",
			LabelEN:       "The purpose of this registration and how personal information is protected have been explained to the household, and the household agrees to register.",
			Required:      "yes",
			RequiredMsgZH: "须先取得被访户同意",
			RequiredMsgEN: "The household's consent is needed first",
		},

		{Type: "begin group", Name: "location", LabelZH: "住址", LabelEN: "Address", Appearance: "field-list"},
		{
			Type: "select_one cn_province", Name: "province",
			LabelZH: "省（自治区、直辖市）", LabelEN: "Province",
			Required: "yes", RequiredMsgZH: "请选择省份", RequiredMsgEN: "Choose the province",
		},
		{
			Type: "select_one cn_city", Name: "city",
			LabelZH: "市（地区、州、盟）", LabelEN: "City or prefecture",
			Required: "yes", RequiredMsgZH: "请选择市", RequiredMsgEN: "Choose the city",
			ChoiceFilter: "province=${province}",
		},
		{
			Type: "select_one cn_county", Name: "county",
			LabelZH: "县（区、县级市）", LabelEN: "County or district",
			Required: "yes", RequiredMsgZH: "请选择县（区）", RequiredMsgEN: "Choose the county or district",
			ChoiceFilter: "city=${city}",
		},
		{
			Type: "select_one cn_township", Name: "township",
			LabelZH: "乡（镇、街道）", LabelEN: "Township, town or subdistrict",
			Required: "yes", RequiredMsgZH: "请选择乡镇（街道）", RequiredMsgEN: "Choose the township",
			ChoiceFilter: "county=${county}",
			SaveTo:       "households#township",
		},
		{
			Type: "text", Name: "village",
			LabelZH: "村（社区）", LabelEN: "Village or community",
			HintZH: "村民委员会或社区居民委员会名称", HintEN: "Name of the villagers' or residents' committee",
			Required: "yes", RequiredMsgZH: "请填写村（社区）名称", RequiredMsgEN: "Enter the village or community",
			SaveTo: "households#village",
		},
		{
			Type: "text", Name: "address",
			LabelZH: "详细地址", LabelEN: "Street address",
			HintZH: "组、门牌号，如：三组18号", HintEN: "Group and house number, e.g. Group 3, No. 18",
			Sensitive: "address",
		},
		{Type: "end group", Name: "location"},

		{Type: "begin group", Name: "head", LabelZH: "户主信息", LabelEN: "Head of household", Appearance: "field-list"},
		{
			Type: "text", Name: "head_name",
			LabelZH: "户主姓名", LabelEN: "Name of the head of household",
			HintZH: "与身份证一致，2至20个字", HintEN: "As on the ID card, 2 to 20 characters",
			Required: "yes", RequiredMsgZH: "请填写户主姓名", RequiredMsgEN: "Enter the name of the head of household",
			Validate: "min=2,max=20", Sensitive: "name",
		},
		{
			Type: "text", Name: "head_id",
			LabelZH: "户主公民身份号码", LabelEN: "Resident ID number of the head of household",
			HintZH: "18位，末位可以是X", HintEN: "18 characters; the last may be X",
			Required: "yes", RequiredMsgZH: "请填写户主身份号码", RequiredMsgEN: "Enter the head of household's ID number",
			Validate: "cn_id", Sensitive: "id_number",
		},
		{
			Type: "text", Name: "head_phone",
			LabelZH: "联系电话（手机）", LabelEN: "Mobile phone",
			HintZH: "11位手机号码", HintEN: "11-digit mobile number",
			Validate: "cn_mobile", Sensitive: "phone",
			SaveTo: "households#phone",
		},
		{Type: "end group", Name: "head"},

		{
			Type: "integer", Name: "hh_size",
			LabelZH: "家庭人口数", LabelEN: "Number of household members",
			HintZH: "含户主本人", HintEN: "Including the head of household",
			Required: "yes", RequiredMsgZH: "请填写家庭人口数", RequiredMsgEN: "Enter the number of household members",
			Constraint:      ". >= 1 and . <= 30",
			ConstraintMsgZH: "家庭人口数应在1到30之间",
			ConstraintMsgEN: "The household has 1 to 30 members",
			Warning:         ". <= 10",
			WarningMsgZH:    "户人数超过10人，请核实",
			WarningMsgEN:    "More than 10 people in the household: please check",
			SaveTo:          "households#size",
		},

		{
			Type: "begin repeat", Name: "members",
			LabelZH: "家庭成员", LabelEN: "Household member",
			HintZH: "每位成员（含户主）登记一次", HintEN: "One entry per member, the head included",
			RepeatCount: "${hh_size}",
		},
		{
			Type: "text", Name: "m_name",
			LabelZH: "姓名", LabelEN: "Name",
			Required: "yes", RequiredMsgZH: "请填写成员姓名", RequiredMsgEN: "Enter the member's name",
			Sensitive: "name",
			SaveTo:    "persons#full_name",
		},
		{
			Type: "select_one relation", Name: "m_relation",
			LabelZH: "与户主关系", LabelEN: "Relationship to the head of household",
			Required: "yes", RequiredMsgZH: "请选择与户主关系", RequiredMsgEN: "Choose the relationship to the head",
			SaveTo: "persons#relation",
		},
		{
			Type: "select_one sex", Name: "m_sex",
			LabelZH: "性别", LabelEN: "Sex",
			Required: "yes", RequiredMsgZH: "请选择性别", RequiredMsgEN: "Choose the sex",
			SaveTo: "persons#sex",
		},
		{
			Type: "text", Name: "m_id",
			LabelZH: "公民身份号码", LabelEN: "Resident ID number",
			HintZH: "16周岁及以上必填", HintEN: "Required from age 16",
			Required:      "${m_age} >= 16",
			RequiredMsgZH: "16周岁及以上成员须填写身份号码",
			RequiredMsgEN: "Members aged 16 or over need an ID number",
			Validate:      "cn_id", Sensitive: "id_number",
		},
		{
			// Characters 7 to 14 of a resident ID are the birth date: the
			// date question offers it (a default blank when the member
			// was added, so it is offered, never stored unasked).
			Type: "calculate", Name: "m_id_birth",
			Calculation: "if(string-length(${m_id}) = 18, concat(substr(${m_id}, 6, 10), '-', substr(${m_id}, 10, 12), '-', substr(${m_id}, 12, 14)), '')",
		},
		{
			Type: "date", Name: "m_birth",
			LabelZH: "出生日期", LabelEN: "Date of birth",
			HintZH: "已填身份号码时按 Enter 采用其中的出生日期", HintEN: "With the ID number given, Enter takes its birth date",
			Default:  "${m_id_birth}",
			Required: "yes", RequiredMsgZH: "请填写出生日期", RequiredMsgEN: "Enter the date of birth",
			Constraint:      ". <= today()",
			ConstraintMsgZH: "出生日期不能晚于今天",
			ConstraintMsgEN: "The date of birth cannot be in the future",
			SaveTo:          "persons#birth",
		},
		{
			Type: "calculate", Name: "m_age",
			Calculation: "int((today() - ${m_birth}) div 365.25)",
		},
		{
			Type: "select_one school", Name: "m_school",
			LabelZH: "在学情况", LabelEN: "Schooling",
			Relevant: "${m_age} >= 6 and ${m_age} <= 18",
		},
		{
			Type: "select_multiple work", Name: "m_work",
			LabelZH: "就业情况（可多选）", LabelEN: "Work (select all that apply)",
			Relevant:        "${m_age} >= 16",
			Constraint:      "not(selected(., 'none') and count-selected(.) > 1)",
			ConstraintMsgZH: "“无工作”不能与其他选项同时选择",
			ConstraintMsgEN: "无工作 (no work) cannot be combined with other answers",
		},
		{Type: "end repeat", Name: "members"},

		{
			Type: "calculate", Name: "n_members",
			Calculation: "count(${members})",
		},

		{
			Type: "decimal", Name: "income",
			LabelZH: "上年家庭总收入", LabelEN: "Household income last year",
			HintZH: "单位：元", HintEN: "In yuan (元)",
			Constraint:      ". >= 0",
			ConstraintMsgZH: "收入不能为负数",
			ConstraintMsgEN: "Income cannot be negative",
		},
		{
			Type: "select_one dwelling", Name: "dwelling",
			LabelZH: "住房情况", LabelEN: "Dwelling",
		},
		{
			Type: "text", Name: "dwelling_other",
			LabelZH: "请说明其他住房情况", LabelEN: "Describe the dwelling",
			Relevant:      "selected(${dwelling}, 'other')",
			Required:      "yes",
			RequiredMsgZH: "选择“其他”时须说明",
			RequiredMsgEN: "Describe the dwelling when 其他 (other) is chosen",
		},
		{
			Type: "select_one yesno", Name: "low_income",
			LabelZH: "是否享受最低生活保障（低保）", LabelEN: "Does the household receive the minimum living allowance (dibao)?",
			SaveTo: "households#dibao",
		},
		{
			Type: "decimal", Name: "subsidy_amount",
			LabelZH: "每月低保金额", LabelEN: "Monthly allowance",
			HintZH: "单位：元", HintEN: "In yuan (元)",
			Relevant:        "${low_income} = 'yes'",
			Constraint:      ". >= 0",
			ConstraintMsgZH: "金额不能为负数",
			ConstraintMsgEN: "The amount cannot be negative",
		},
		{
			Type: "date", Name: "visit_date",
			LabelZH: "入户日期", LabelEN: "Date of visit",
			Default:  "today()",
			Required: "yes", RequiredMsgZH: "请填写入户日期", RequiredMsgEN: "Enter the date of the visit",
			Constraint:      ". <= today()",
			ConstraintMsgZH: "入户日期不能晚于今天",
			ConstraintMsgEN: "The date of the visit cannot be in the future",
			SaveTo:          "households#last_visit",
		},
		{
			Type: "note", Name: "summary",
			LabelZH: "本户共登记 ${n_members} 人，户主：${head_name}。请与户主核对后提交。",
			LabelEN: "${n_members} member(s) registered; head of household: ${head_name}. Check with the head of household before submitting.",
		},
	},
	Choices: []choice{
		{"relation", "head", "户主", "Head of household"},
		{"relation", "spouse", "配偶", "Spouse"},
		{"relation", "child", "子女", "Child"},
		{"relation", "parent", "父母", "Parent"},
		{"relation", "other", "其他", "Other"},

		{"sex", "male", "男", "Male"},
		{"sex", "female", "女", "Female"},

		{"school", "preschool", "学前教育", "Preschool"},
		{"school", "primary", "小学", "Primary school"},
		{"school", "junior", "初中", "Junior secondary"},
		{"school", "senior", "普通高中", "Senior secondary"},
		{"school", "vocational", "中等职业教育", "Secondary vocational"},
		{"school", "higher", "大专及以上", "College or university"},
		{"school", "not_in_school", "未在学", "Not in school"},

		{"work", "farming", "务农", "Farming"},
		{"work", "local", "本地务工", "Wage work nearby"},
		{"work", "migrant", "外出务工", "Migrant work"},
		{"work", "business", "个体经营", "Own business"},
		{"work", "salaried", "单位就业", "Employed by an organisation"},
		{"work", "student", "在校学生", "Student"},
		{"work", "retired", "离退休", "Retired"},
		{"work", "none", "无工作", "No work"},

		{"dwelling", "own", "自有住房", "Own home"},
		{"dwelling", "rent", "租住", "Rented"},
		{"dwelling", "relative", "借住亲友家", "With relatives or friends"},
		{"dwelling", "public", "公租房", "Public rental housing"},
		{"dwelling", "other", "其他", "Other"},

		{"yesno", "yes", "是", "Yes"},
		{"yesno", "no", "否", "No"},
	},
	Settings: []setting{
		{"form_id", "household_visit"},
		{"form_title", "入户登记 / Household visit"},
		{"version", embedded.HouseholdVisitVersion},
		{"instance_name", "concat(${head_name}, ' ', ${village})"},
		// Laptops of the township get the household's phone in clear: the
		// follow-up prefills it and a visitor calls ahead. ID numbers are
		// never saved to the list.
		{"entities_clear", "phone"},
		{"default_language", langZH},
		// The catalogue description (store/catalogue/resource/README.md),
		// so that a new catalogue shows the sample as a complete entry.
		// Illustrative values: a real form names its own department.
		{"resource_name", "入户登记（示例）"},
		{"resource_code", "201001/00001"},
		{"provider", "示例县民政局"},
		{"provider_uscc", "91350100M000100Y43"},
		{"summary", "示例表单：农村家庭户入户登记，含户主及家庭成员基本情况。"},
		{"category", "主题/社区治理"},
		{"format", "数据库/CSV"},
		{"sharing_type", "不予共享"},
		{"sharing_condition", "含公民身份号码等个人信息，依《个人信息保护法》不予共享"},
		{"update_cycle", "每月"},
		{"issued", "2026-11-27"},
		{"series", "2026年入户登记"},
	},
	// The entity lists a follow-up visit (household_followup) reads: a
	// household per record, labelled by its head and address, and a person
	// per member. Identifier numbers are not saved: a follow-up needs no
	// ID number, and a list travels to every laptop of the township.
	Entities: []entity{
		{List: "households", Label: "concat(${head_name}, '（', ${village}, ${address}, '）')"},
		{List: "persons", Label: "${m_name}"},
	},
}
