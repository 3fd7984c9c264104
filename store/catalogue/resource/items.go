package resource

import (
	"strings"

	"github.com/fieldbench/fieldbench/forms"
)

// Data types of 信息项 in the Guide's words. The brief names 字符型, 数值型,
// 日期型, 日期时间型 and 枚举型; 逻辑型 is from memory of the Guide's type
// list and unverified, like the absence of a time-only type there (a time
// answer is therefore 字符型, with xsd:time in the JSON-LD schema).
const (
	TypeString   = "字符型"
	TypeNumber   = "数值型"
	TypeDate     = "日期型"
	TypeDateTime = "日期时间型"
	TypeEnum     = "枚举型"
	TypeBoolean  = "逻辑型"
)

// InfoItem is one 信息项: a value every record of the resource may carry.
type InfoItem struct {
	// Name is the item's path in a record: its key, behind the keys of the
	// repeats holding it ("members/m_name"), as the record JSON nests them.
	Name string
	// Label is the question's label in Chinese when the form has Chinese,
	// else in the form's default language; a fixed Chinese label for the
	// metadata the device fills; the key when there is no label at all. It is
	// prefixed by the labels of the enclosing repeats ("家庭成员/姓名").
	Label     string
	Type      string // TypeString...
	Datatype  string // the XML Schema datatype, without prefix: string, integer, decimal, date...
	Multiple  bool   // select_multiple: several choice names separated by spaces
	Sensitive string // the field's sensitivity class (name, id_number...), "" if none
}

// metaLabels name what the device fills, which a form rarely labels.
var metaLabels = map[forms.Type]string{
	forms.TypeStart:        "开始填报时间",
	forms.TypeEnd:          "结束填报时间",
	forms.TypeToday:        "填报日期",
	forms.TypeDeviceID:     "设备标识",
	forms.TypeUsername:     "填报人",
	forms.TypePhoneNumber:  "设备电话号码",
	forms.TypeEmail:        "设备电子邮箱",
	forms.TypeSimSerial:    "SIM卡序列号",
	forms.TypeSubscriberID: "用户识别码",
}

// InfoItems lists the 信息项 of a form in document order: every field that
// puts a value in a record, including calculations and device metadata
// (they are stored, so they are part of the resource), and excluding notes,
// groups and repeats themselves.
func InfoItems(f *forms.Form) []InfoItem {
	lang := f.MatchLanguage(forms.LangHans)
	var out []InfoItem
	for _, fl := range f.Fields {
		if !fl.Type.HasAnswer() {
			continue
		}
		typ, xsd := itemType(fl.Type)
		name, label := fl.Key, fieldLabel(fl, lang)
		for r := fl.Repeat; r != nil; r = r.Repeat {
			name = r.Key + "/" + name
			label = fieldLabel(r, lang) + "/" + label
		}
		out = append(out, InfoItem{
			Name: name, Label: label, Type: typ, Datatype: xsd,
			Multiple: fl.Type == forms.TypeSelectMultiple, Sensitive: fl.Sensitive,
		})
	}
	return out
}

func fieldLabel(fl *forms.Field, lang string) string {
	if l := strings.TrimSpace(fl.Label.In(lang)); l != "" {
		return l
	}
	if l, ok := metaLabels[fl.Type]; ok {
		return l
	}
	return fl.Key
}

// itemType maps a question type to the Guide's data type and an XML Schema
// datatype. Attachments are 字符型 because the record holds the file's name.
func itemType(t forms.Type) (guide, xsd string) {
	switch t {
	case forms.TypeInteger:
		return TypeNumber, "integer"
	case forms.TypeDecimal:
		return TypeNumber, "decimal"
	case forms.TypeDate, forms.TypeToday:
		return TypeDate, "date"
	case forms.TypeDateTime, forms.TypeStart, forms.TypeEnd:
		return TypeDateTime, "dateTime"
	case forms.TypeTime:
		return TypeString, "time"
	case forms.TypeSelectOne, forms.TypeSelectMultiple:
		return TypeEnum, "string"
	case forms.TypeAcknowledge:
		return TypeBoolean, "string"
	}
	return TypeString, "string"
}

// itemsText is the 信息项信息 cell of the CSV: 名称（数据类型） joined by
// "；", the way catalogue templates list items in one cell.
func itemsText(items []InfoItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = it.Label + "（" + it.Type + "）"
	}
	return strings.Join(parts, "；")
}
