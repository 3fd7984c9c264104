package catalogue

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/fieldbench/fieldbench/store/catalogue/resource"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// describedForm is a form whose settings sheet states some elements of
// its catalogue entry, one of them (the credit code) wrong.
func describedForm(version, provider, uscc string) []byte {
	return []byte(`| survey |
| | type | name      | label  |
| | text | head_name | 户主姓名 |
| settings |
| | form_id | version | form_title | 提供方 | provider_uscc | sharing_type |
| | hh | ` + version + ` | 入户登记 | ` + provider + ` | ` + uscc + ` | conditional |
`)
}

func TestCatalogueEntry(t *testing.T) {
	backends(t, func(t *testing.T, w where) {
		ctx := context.Background()
		db := openDB(t, w)
		if _, err := db.Entry(ctx, "hh"); !errors.Is(err, wire.ErrNotFound) {
			t.Fatalf("entry of an unpublished form: %v", err)
		}
		// The settings' elements are taken, the one that fails its check is not.
		if _, err := db.Publish(ctx, "hh.md", describedForm("1", "朝阳区民政局", "91350100M000100Y44"), []string{township}); err != nil {
			t.Fatal(err)
		}
		e, err := db.Entry(ctx, "hh")
		if err != nil {
			t.Fatal(err)
		}
		m := e.Metadata
		if m.Title != "入户登记" || m.Provider != "朝阳区民政局" || m.ProviderCode != "" || m.SharingType != resource.SharingConditional || m.Version != "1" {
			t.Fatalf("entry from settings: %+v", m)
		}
		if m.Catalogued() || m.EffectiveSharing() != resource.SharingNone {
			t.Fatalf("an incomplete entry counts as described: %v %s", m.Missing(), m.EffectiveSharing())
		}

		// describe: one bad value changes nothing.
		if _, err := db.Describe(ctx, "hh", [][2]string{{"summary", "全县入户登记"}, {"sharing_type", "sometimes"}}, "describe"); err == nil {
			t.Fatal("a bad sharing type was accepted")
		}
		if e, _ := db.Entry(ctx, "hh"); e.Metadata.Summary != "" {
			t.Fatal("a refused describe stored its other values")
		}
		sets := [][2]string{
			{"资源代码", "201001/00001"}, {"provider_uscc", "91350100M000100Y43"}, {"summary", "全县入户登记"},
			{"category", "基础"}, {"format", "数据库"}, {"sharing_condition", "仅限民政部门"},
			{"sharing_method", "共享平台"}, {"update_cycle", "monthly"}, {"issued", "2026-03-01"},
		}
		e, err = db.Describe(ctx, "hh", sets, "describe")
		if err != nil {
			t.Fatal(err)
		}
		if !e.Metadata.Catalogued() || e.Metadata.EffectiveSharing() != resource.SharingConditional || e.Metadata.UpdateCycle != "每月" {
			t.Fatalf("described entry: missing %v, %+v", e.Metadata.Missing(), e.Metadata)
		}
		sources := map[string]string{}
		for _, el := range e.Elements {
			sources[el.Key] = el.Source
		}
		if sources["provider"] != "form 1" || sources["resource_code"] != "describe" {
			t.Fatalf("sources %v", sources)
		}

		// A new version's settings have the last word on what they state;
		// the rest stays as described.
		if _, err := db.Publish(ctx, "hh2.md", describedForm("2", "朝阳区民政局社会事务科", "91350100M000100Y43"), []string{township}); err != nil {
			t.Fatal(err)
		}
		e, _ = db.Entry(ctx, "hh")
		if e.Metadata.Provider != "朝阳区民政局社会事务科" || e.Metadata.Summary != "全县入户登记" || e.Metadata.Version != "2" {
			t.Fatalf("after version 2: %+v", e.Metadata)
		}
		// Clearing an element.
		if e, _ = db.Describe(ctx, "hh", [][2]string{{"summary", ""}}, "describe"); e.Metadata.Summary != "" || e.Metadata.Catalogued() {
			t.Fatalf("after clearing the summary: %+v", e.Metadata)
		}
		// Every change is in the history, in order.
		var got []string
		rows, err := db.query(ctx, `SELECT key, value, source FROM dataset_history WHERE form_id = 'hh' AND key = ? ORDER BY set_at`, "summary")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k, v, s string
			rows.Scan(&k, &v, &s)
			got = append(got, v+"|"+s)
		}
		rows.Close()
		if want := []string{"全县入户登记|describe", "|describe"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("summary history %q, want %q", got, want)
		}
		all, err := db.Entries(ctx)
		if err != nil || len(all) != 1 || all[0].FormID != "hh" {
			t.Fatalf("entries %v %v", all, err)
		}
	})
}
