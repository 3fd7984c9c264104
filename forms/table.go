package forms

import "strings"

// table is a sheet with its header parsed.
type table struct {
	sh     *sheet
	header int              // index in sh.Rows of the header row
	cols   []column         // non-blank headers, in sheet order
	single map[string]int   // canonical key → index in cols, for untranslated columns
	texts  map[string][]int // translatable key → indexes in cols, one per language
}

func (t *table) col(key string) *column {
	if i, ok := t.single[key]; ok {
		return &t.cols[i]
	}
	return nil
}

// value is the trimmed cell of key in row, and the column's header.
func (t *table) value(row []string, key string) (string, string) {
	c := t.col(key)
	if c == nil {
		return "", ""
	}
	return strings.TrimSpace(cell(row, c.index)), c.header
}

// text gathers a translatable column into a Text; nil when all are blank.
// Inner line breaks are kept: labels are written on several lines on purpose.
func (t *table) text(row []string, key string) Text {
	var out Text
	for _, i := range t.texts[key] {
		c := &t.cols[i]
		v := strings.TrimSpace(cell(row, c.index))
		if v == "" {
			continue
		}
		if out == nil {
			out = Text{}
		}
		out[c.lang] = v
	}
	return out
}

// parseTable reads the header row: the first row with any content. Blank
// header cells are skipped; after blankRunLimit of them in a row the rest of
// the row is ignored, as XLSForm says.
func (b *builder) parseTable(sh *sheet, classify func(string) column) *table {
	hdr := nextFilledRow(sh, 0)
	if hdr < 0 {
		return nil
	}
	t := &table{sh: sh, header: hdr, single: map[string]int{}, texts: map[string][]int{}}
	seen := map[string]int{} // duplicate detection key → index in cols
	blank := 0
	for j, h := range sh.Rows[hdr] {
		h = strings.TrimSpace(h)
		if h == "" {
			blank++
			if blank >= blankRunLimit {
				break
			}
			continue
		}
		blank = 0
		c := classify(h)
		c.index = j
		dupKey := ""
		switch c.kind {
		case colUsed:
			dupKey = c.key
			if c.tagged || t.isTranslatable(c.key) {
				dupKey += "::" + c.lang
			}
		case colExtra:
			// help::en and help::fr are two translations of one unknown
			// column, not the same column twice.
			dupKey = "extra:" + c.key + "::" + c.lang
		}
		if dupKey != "" {
			if prev, dup := seen[dupKey]; dup {
				p := t.cols[prev]
				var what any = quote(p.header)
				if p.header != h {
					what = loadMsg(ldHeadersSameMeaning, quote(p.header), quote(h))
				}
				b.errorAt(b.loc(sh, hdr, h), ldColumnsSame,
					columnName(p.index), columnName(j), what)
				continue
			}
			seen[dupKey] = len(t.cols)
		}
		if c.kind == colUsed {
			if c.tagged || t.isTranslatable(c.key) {
				t.texts[c.key] = append(t.texts[c.key], len(t.cols))
			} else {
				t.single[c.key] = len(t.cols)
			}
		}
		t.cols = append(t.cols, c)
	}
	b.checkUnheaded(t)
	return t
}

func (t *table) isTranslatable(key string) bool {
	return translatable[key] || key == "label"
}

// checkUnheaded warns, once per column, about cells under no header: they
// cannot be read, and dropping them unannounced would lose what was typed.
func (b *builder) checkUnheaded(t *table) {
	covered := map[int]bool{}
	last := -1
	for _, c := range t.cols {
		covered[c.index] = true
		last = max(last, c.index)
	}
	warned := map[int]bool{}
	for i := t.header + 1; i < len(t.sh.Rows); i++ {
		for j, v := range t.sh.Rows[i] {
			if covered[j] || warned[j] || strings.TrimSpace(v) == "" {
				continue
			}
			warned[j] = true
			b.warnAt(b.loc(t.sh, i, ""), ldUnheaded,
				columnName(j), quote(clip(strings.TrimSpace(v))))
			if len(warned) > 20 {
				return
			}
		}
	}
}

// warnIgnored warns once for each ignored column that has content.
func (b *builder) warnIgnored(t *table) {
	for _, c := range t.cols {
		if c.kind != colIgnored {
			continue
		}
		for i := t.header + 1; i < len(t.sh.Rows); i++ {
			if strings.TrimSpace(cell(t.sh.Rows[i], c.index)) != "" {
				b.warnAt(b.loc(t.sh, t.header, c.header), ldColumnIgnored, quote(c.header), c.why)
				break
			}
		}
	}
}

// refuseCells reports every filled cell of a refused column in row.
func (b *builder) refuseCells(t *table, row []string, idx int) {
	for _, c := range t.cols {
		if c.kind == colRefused && strings.TrimSpace(cell(row, c.index)) != "" {
			b.errorAt(b.loc(t.sh, idx, c.header), c.why.key, c.why.args...)
		}
	}
}

// columnName is the spreadsheet letter of a 0-based column index.
func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

// clip shortens a cell value for a message.
func clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
