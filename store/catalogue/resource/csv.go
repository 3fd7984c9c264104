package resource

import (
	"encoding/csv"
	"io"
	"strings"
)

// CSVHeader is the header of the catalogue table, in the Guide's order of
// the core elements, which is the column order of the filing templates.
var CSVHeader = []string{
	"信息资源分类", "信息资源名称", "信息资源代码", "信息资源提供方", "提供方代码",
	"信息资源摘要", "信息资源格式", "信息项信息", "共享类型", "共享条件", "共享方式",
	"开放属性", "更新周期", "发布日期", "关联资源代码",
}

// bom makes Excel read the file as UTF-8; without it a Chinese Excel
// assumes GBK and shows mojibake.
const bom = "\ufeff"

// CSV writes one row per dataset under a Chinese header, UTF-8 with a byte
// order mark and CRLF line ends, as Excel expects. The sharing type is the
// effective one, as in the JSON-LD. A cell starting with = + - @ gets a
// leading apostrophe so that Excel shows it instead of running it as a
// formula (the usual CSV-injection guard); codes never start that way.
func CSV(w io.Writer, datasets []Dataset) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, d := range datasets {
		m := d.Metadata
		row := []string{
			m.Category, m.Title, m.Code, m.Provider, m.ProviderCode,
			m.Summary, m.Format, itemsText(d.Items), m.EffectiveSharing(), m.SharingCondition, m.SharingMethod,
			m.OpenAccess, m.UpdateCycle, m.Issued, strings.Join(m.Related, "；"),
		}
		for i, cell := range row {
			row[i] = guardFormula(cell)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func guardFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
