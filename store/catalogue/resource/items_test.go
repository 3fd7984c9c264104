package resource

import (
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/samples"
)

func loadSample(t testing.TB, name string) *forms.Form {
	t.Helper()
	b, err := samples.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := forms.Load(name, b)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestInfoItemsHouseholdVisit(t *testing.T) {
	items := InfoItems(loadSample(t, "household_visit.xlsx"))
	byName := map[string]InfoItem{}
	var order []string
	for _, it := range items {
		if _, dup := byName[it.Name]; dup {
			t.Errorf("item %q listed twice", it.Name)
		}
		byName[it.Name] = it
		order = append(order, it.Name)
	}
	want := []InfoItem{
		{Name: "start", Label: "开始填报时间", Type: TypeDateTime, Datatype: "dateTime"},
		{Name: "today", Label: "填报日期", Type: TypeDate, Datatype: "date"},
		{Name: "consent", Label: "已向被访户说明本次登记的用途和个人信息保护要求，被访户同意登记。", Type: TypeBoolean, Datatype: "string"},
		{Name: "province", Label: "省（自治区、直辖市）", Type: TypeEnum, Datatype: "string"},
		{Name: "address", Label: "详细地址", Type: TypeString, Datatype: "string", Sensitive: "address"},
		{Name: "head_name", Label: "户主姓名", Type: TypeString, Datatype: "string", Sensitive: "name"},
		{Name: "hh_size", Label: "家庭人口数", Type: TypeNumber, Datatype: "integer"},
		{Name: "members/m_name", Label: "家庭成员/姓名", Type: TypeString, Datatype: "string", Sensitive: "name"},
		{Name: "members/m_birth", Label: "家庭成员/出生日期", Type: TypeDate, Datatype: "date"},
		{Name: "members/m_age", Label: "家庭成员/m_age", Type: TypeString, Datatype: "string"},
		{Name: "members/m_work", Label: "家庭成员/就业情况（可多选）", Type: TypeEnum, Datatype: "string", Multiple: true},
		{Name: "income", Label: "上年家庭总收入", Type: TypeNumber, Datatype: "decimal"},
		{Name: "visit_date", Label: "入户日期", Type: TypeDate, Datatype: "date"},
	}
	for _, w := range want {
		if got, ok := byName[w.Name]; !ok {
			t.Errorf("no item %q", w.Name)
		} else if got != w {
			t.Errorf("item %q = %+v, want %+v", w.Name, got, w)
		}
	}
	// Notes, groups and repeats hold no value of their own.
	for _, name := range []string{"summary", "location", "head", "members", "m_name"} {
		if _, ok := byName[name]; ok {
			t.Errorf("item %q should not be listed", name)
		}
	}
	// 5 metadata + consent + 6 location + 3 head + hh_size + 9 in members
	// + n_members, income, dwelling, dwelling_other, low_income,
	// subsidy_amount, visit_date.
	if len(items) != 32 {
		t.Errorf("%d items, want 32: %v", len(items), order)
	}
	if order[0] != "start" || order[len(order)-1] != "visit_date" {
		t.Errorf("items not in document order: %v", order)
	}
}

func TestItemsText(t *testing.T) {
	got := itemsText([]InfoItem{{Label: "户主姓名", Type: TypeString}, {Label: "家庭成员/出生日期", Type: TypeDate}})
	if want := "户主姓名（字符型）；家庭成员/出生日期（日期型）"; got != want {
		t.Errorf("itemsText = %q, want %q", got, want)
	}
}
