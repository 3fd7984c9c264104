package main

import (
	"strings"

	embedded "github.com/fieldbench/fieldbench/forms/samples"
)

// householdFollowup is 入户回访 / Household follow-up: the return visit to a
// household registered by household_visit. The collector picks the
// household from the township's entity list (households.csv, which the
// laptop and the catalogue serve from their copy of the list), sees what
// the last visit recorded, and updates the household's size, phone and
// minimum living allowance (低保) status; each of those is prefilled from
// the list when the household is picked (the trigger column), so only
// what changed needs typing.
var householdFollowup = form{
	File:  "household_followup",
	Title: "入户回访 / Household follow-up",
	Survey: []question{
		fromVisit("start", nil),
		fromVisit("end", nil),
		fromVisit("today", nil),
		fromVisit("deviceid", nil),
		fromVisit("username", nil),

		{
			Type: "select_one_from_file households.csv", Name: "hh",
			LabelZH: "回访户", LabelEN: "Household to visit",
			HintZH: "可输入户主姓名、村名或拼音查找", HintEN: "Search by the head's name, the village or pinyin",
			Required: "yes", RequiredMsgZH: "请选择回访户", RequiredMsgEN: "Choose the household",
		},
		{
			Type: "calculate", Name: "prev_size",
			Calculation: "instance('households')/root/item[name=${hh}]/size",
		},
		{
			Type: "calculate", Name: "prev_phone",
			Calculation: "instance('households')/root/item[name=${hh}]/phone",
		},
		{
			Type: "calculate", Name: "prev_dibao",
			Calculation: "instance('households')/root/item[name=${hh}]/dibao",
		},
		{
			Type: "calculate", Name: "prev_visit",
			Calculation: "instance('households')/root/item[name=${hh}]/last_visit",
		},
		{
			Type: "note", Name: "previous",
			LabelZH: "上次登记（${prev_visit}）：家庭人口 ${prev_size} 人，联系电话 ${prev_phone}，低保：${prev_dibao}。下面已按上次情况填好，只需修改有变化的项目。",
			LabelEN: "Last visit (${prev_visit}): ${prev_size} member(s), phone ${prev_phone}, dibao: ${prev_dibao}. The answers below start from the last visit; change only what has changed.",
		},
		fromVisit("hh_size", func(q *question) {
			q.Warning = "${prev_size} = '' or abs(. - ${prev_size}) <= 3"
			q.WarningMsgZH = "与上次登记相差超过3人，请核实"
			q.WarningMsgEN = "More than 3 people more or fewer than at the last visit: please check"
			q.Calculation, q.Trigger, q.SaveTo = "${prev_size}", "${hh}", "size"
		}),
		fromVisit("head_phone", func(q *question) {
			q.Calculation, q.Trigger, q.SaveTo = "${prev_phone}", "${hh}", "phone"
		}),
		fromVisit("low_income", func(q *question) {
			q.Calculation, q.Trigger, q.SaveTo = "${prev_dibao}", "${hh}", "dibao"
		}),
		{
			Type: "date", Name: "visit_date",
			LabelZH: "回访日期", LabelEN: "Date of visit",
			Default:  "today()",
			Required: "yes", RequiredMsgZH: "请填写回访日期", RequiredMsgEN: "Enter the date of the visit",
			Constraint:      ". <= today()",
			ConstraintMsgZH: "回访日期不能晚于今天",
			ConstraintMsgEN: "The date of the visit cannot be in the future",
			SaveTo:          "last_visit",
		},
		{
			Type: "text", Name: "visit_note",
			LabelZH: "回访情况说明", LabelEN: "Notes on the visit",
		},
	},
	Choices: visitChoices("yesno"),
	Settings: []setting{
		{"form_id", "household_followup"},
		{"form_title", "入户回访 / Household follow-up"},
		{"version", embedded.HouseholdFollowupVersion},
		{"instance_name", "concat(instance('households')/root/item[name=${hh}]/label, ' ', ${visit_date})"},
		{"default_language", langZH},
	},
	// An update of the household picked: its label stays as registered.
	Entities: []entity{
		{List: "households", EntityID: "${hh}"},
	},
}

// fromVisit is the household visit's question of that name, changed by
// edit (nil: as it is): the follow-up asks what the visit asked, in the
// same words, with what a follow-up adds.
func fromVisit(name string, edit func(q *question)) question {
	for _, q := range householdVisit.Survey {
		if q.Name == name && !strings.HasPrefix(q.Type, "end ") { // not a group's end row
			q.SaveTo = ""
			if edit != nil {
				edit(&q)
			}
			return q
		}
	}
	panic("mksamples: household_visit has no question " + name)
}

// visitChoices is the household visit's choices of a list.
func visitChoices(list string) []choice {
	var out []choice
	for _, c := range householdVisit.Choices {
		if c.List == list {
			out = append(out, c)
		}
	}
	return out
}
