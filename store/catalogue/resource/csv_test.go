package resource

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
)

func TestCSV(t *testing.T) {
	c := testCatalog(t)
	formula := Metadata{Title: "=HYPERLINK(\"http://x\")", Summary: "-开头的摘要"}
	datasets := append(c.Datasets, Dataset{FormID: "odd", Metadata: formula})
	var buf bytes.Buffer
	if err := CSV(&buf, datasets); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	if !bytes.HasPrefix(out, []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatalf("no UTF-8 byte order mark: % x", out[:min(8, len(out))])
	}
	if !bytes.Contains(out, []byte("\r\n")) {
		t.Error("lines do not end with CRLF")
	}
	rows, err := csv.NewReader(bytes.NewReader(out[3:])).ReadAll()
	if err != nil {
		t.Fatalf("reading back: %v", err)
	}
	wantHeader := []string{"信息资源分类", "信息资源名称", "信息资源代码", "信息资源提供方", "提供方代码",
		"信息资源摘要", "信息资源格式", "信息项信息", "共享类型", "共享条件", "共享方式",
		"开放属性", "更新周期", "发布日期", "关联资源代码"}
	if len(rows) != 4 || !reflect.DeepEqual(rows[0], wantHeader) {
		t.Fatalf("%d rows, header %q", len(rows), rows[0])
	}
	row := map[string]string{}
	for i, h := range rows[0] {
		row[h] = rows[1][i]
	}
	want := map[string]string{
		"信息资源分类": "主题/社区治理", "信息资源名称": "入户登记", "信息资源代码": "201001/00001",
		"信息资源提供方": "某县民政局", "提供方代码": goodUSCC, "信息资源摘要": complete.Summary,
		"信息资源格式": "数据库/CSV", "共享类型": SharingConditional, "共享条件": complete.SharingCondition,
		"共享方式": "共享平台/接口", "开放属性": OpenNone, "更新周期": "每月", "发布日期": "2026-11-27",
		"关联资源代码": "101002/00003；201001/00002",
	}
	for h, w := range want {
		if row[h] != w {
			t.Errorf("%s = %q, want %q", h, row[h], w)
		}
	}
	if !strings.HasPrefix(row["信息项信息"], "开始填报时间（日期时间型）；") ||
		!strings.Contains(row["信息项信息"], "；家庭成员/姓名（字符型）；") {
		t.Errorf("信息项信息 = %q", row["信息项信息"])
	}
	if got := rows[2][8]; got != SharingNone {
		t.Errorf("half-described entry's 共享类型 = %q, want %q", got, SharingNone)
	}
	if rows[3][1] != "'=HYPERLINK(\"http://x\")" || rows[3][5] != "'-开头的摘要" {
		t.Errorf("formula cells not guarded: %q, %q", rows[3][1], rows[3][5])
	}
}
