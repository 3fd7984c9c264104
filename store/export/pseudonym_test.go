package export

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/xuri/excelize/v2"
)

// pseudonymMD has an ID number marked sensitive, one only validated as
// cn_id, one inside a repeat, a question already named like a pseudonym
// column, and a free-text remark.
const pseudonymMD = `
| survey |
| | type | name | label | sensitive | validate |
| | text | head_id | 身份证号 | id_number | cn_id |
| | text | spouse_id | 配偶身份证号 | | cn_id |
| | text | spouse_id_pseudonym | 另一个问题 | | |
| | text | uscc | 信用代码 | | cn_uscc |
| | begin repeat | members | 成员 | | |
| | text | m_id | 身份证号 | id_number | |
| | end repeat | | | | |
| | text | remark | 备注 | | |
| settings |
| | form_id | version |
| | p | 1 |
`

var pseudonymRecords = []struct{ id, data string }{
	{"uuid:1", `{"head_id":"11010519491231002X","spouse_id":"510129198504201231","spouse_id_pseudonym":"x",` +
		`"uscc":"91350100M000100Y43","members":[{"m_id":"11010519491231002X"},{"m_id":""}],"remark":"另登记110105196805140036"}`},
	{"uuid:2", `{"head_id":"510129198504201231"}`},
}

func pseudonymForm(t *testing.T) (*forms.Form, Options) {
	t.Helper()
	f, err := forms.Load("p.md", []byte(pseudonymMD))
	if err != nil {
		t.Fatal(err)
	}
	return f, Options{Pseudonyms: forms.NewPseudonymizer(bytes.Repeat([]byte{7}, 32))}
}

// Pseudonym columns sit beside each ID number, masked or not, and hold
// the pseudonym of the clear number: equal for one person everywhere.
func TestPseudonymColumnsCSV(t *testing.T) {
	f, opts := pseudonymForm(t)
	p := opts.Pseudonyms
	a, b := p.Of("11010519491231002X"), p.Of("510129198504201231")
	for _, masked := range []bool{false, true} {
		opts.Masked = masked
		files := map[string]*bytes.Buffer{}
		open := func(name string) (io.Writer, error) { files[name] = &bytes.Buffer{}; return files[name], nil }
		if _, err := WriteCSV(open, f, source(pseudonymRecords), opts); err != nil {
			t.Fatal(err)
		}
		head, spouse, remark := "11010519491231002X", "510129198504201231", "另登记110105196805140036"
		if masked {
			head, spouse, remark = "110105********002X", "510129********1231", "另登记110105********0036"
		}
		want := bom + "KEY,head_id,head_id_pseudonym,spouse_id,spouse_id_pseudonym_,spouse_id_pseudonym,uscc,remark\n" +
			"uuid:1," + head + "," + a + "," + spouse + "," + b + ",x,91350100M000100Y43," + remark + "\n" +
			"uuid:2," + spouse + "," + b + ",,,,,\n"
		if got := files["p.csv"].String(); got != want {
			t.Errorf("masked %v, main level:\n got %q\nwant %q", masked, got, want)
		}
		members := bom + "PARENT_KEY,KEY,m_id,m_id_pseudonym\n" +
			"uuid:1,uuid:1/members[1]," + head + "," + a + "\n" +
			"uuid:1,uuid:1/members[2],,\n"
		if got := files["p-members.csv"].String(); got != members {
			t.Errorf("masked %v, members:\n got %q\nwant %q", masked, got, members)
		}
	}
	// Without a pseudonymizer the shape is the laptop export's.
	files := map[string]*bytes.Buffer{}
	open := func(name string) (io.Writer, error) { files[name] = &bytes.Buffer{}; return files[name], nil }
	WriteCSV(open, f, source(pseudonymRecords), Options{})
	if strings.Contains(files["p.csv"].String(), "head_id_pseudonym") {
		t.Error("a pseudonym column without a key")
	}
}

func TestPseudonymKeysJSONL(t *testing.T) {
	f, opts := pseudonymForm(t)
	a, b := opts.Pseudonyms.Of("11010519491231002X"), opts.Pseudonyms.Of("510129198504201231")
	cases := []struct {
		masked bool
		want   string
	}{
		{false, `{"head_id":"11010519491231002X","head_id_pseudonym":"` + a + `","spouse_id":"510129198504201231","spouse_id_pseudonym_":"` + b + `",` +
			`"spouse_id_pseudonym":"x","uscc":"91350100M000100Y43","members":[{"m_id":"11010519491231002X","m_id_pseudonym":"` + a + `"},{"m_id":"","m_id_pseudonym":""}],` +
			`"remark":"另登记110105196805140036"}`},
		{true, `{"head_id":"110105********002X","head_id_pseudonym":"` + a + `","spouse_id":"510129********1231","spouse_id_pseudonym_":"` + b + `",` +
			`"spouse_id_pseudonym":"x","uscc":"91350100M000100Y43","members":[{"m_id":"110105********002X","m_id_pseudonym":"` + a + `"},{"m_id":"","m_id_pseudonym":""}],` +
			`"remark":"另登记110105********0036"}`},
	}
	for _, c := range cases {
		opts.Masked = c.masked
		var buf bytes.Buffer
		if _, err := WriteJSONL(&buf, f, source(pseudonymRecords), opts); err != nil {
			t.Fatal(err)
		}
		line := strings.SplitN(buf.String(), "\n", 2)[0]
		if line != c.want {
			t.Errorf("masked %v:\n got %s\nwant %s", c.masked, line, c.want)
		}
	}
}

// Masking without pseudonyms still hides a cn_id field with no sensitive
// class, an ID typed into a remark and one in a key the form does not
// know; unmasked, nothing changes.
func TestMaskedWithoutSensitiveColumn(t *testing.T) {
	f, _ := pseudonymForm(t)
	recs := []struct{ id, data string }{{"uuid:9", `{"spouse_id":"510129198504201231","old_key":["ID 11010519491231002X"],"n":110105196805140036}`}}
	var buf bytes.Buffer
	if _, err := WriteJSONL(&buf, f, source(recs), Options{Masked: true}); err != nil {
		t.Fatal(err)
	}
	want := `{"spouse_id":"510129********1231","n":"110105********0036","old_key":["ID 110105********002X"]}` + "\n"
	if buf.String() != want {
		t.Errorf("got  %swant %s", buf.String(), want)
	}
	buf.Reset()
	WriteJSONL(&buf, f, source(recs), Options{})
	if buf.String() != recs[0].data+"\n" {
		t.Errorf("unmasked changed: %s", buf.String())
	}
}

func TestPseudonymColumnsXLSX(t *testing.T) {
	f, opts := pseudonymForm(t)
	opts.Masked = true
	var buf bytes.Buffer
	if _, err := WriteXLSX(&buf, f, source(pseudonymRecords), opts); err != nil {
		t.Fatal(err)
	}
	book, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	rows, err := book.GetRows("p")
	if err != nil || len(rows) != 3 {
		t.Fatalf("rows %v %v", rows, err)
	}
	if rows[0][2] != "head_id_pseudonym" || rows[1][1] != "110105********002X" || rows[1][2] != opts.Pseudonyms.Of("11010519491231002X") {
		t.Errorf("sheet: %q", rows[:2])
	}
}

// BenchmarkExportJSONL exports 10,000 copies of a real household record
// (four members, five ID numbers) as the catalogue does: byte for byte,
// with pseudonyms (re-encoded), and masked with pseudonyms.
func BenchmarkExportJSONL(b *testing.B) {
	f, err := forms.LoadFile("../../forms/samples/household_visit.xlsx")
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile("../../testdata/forms/household_visit.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	rec := bytes.SplitN(data, []byte("\n"), 2)[0]
	const records = 10000
	src := func(yield func(string, []byte) error) error {
		for i := range records {
			if err := yield("uuid:"+strconv.Itoa(i), rec); err != nil {
				return err
			}
		}
		return nil
	}
	p := forms.NewPseudonymizer(make([]byte, 32))
	for _, c := range []struct {
		name string
		opts Options
	}{
		{"raw", Options{}},
		{"pseudonyms", Options{Pseudonyms: p}},
		{"masked+pseudonyms", Options{Masked: true, Pseudonyms: p}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if n, err := WriteJSONL(io.Discard, f, src, c.opts); err != nil || n != records {
					b.Fatal(n, err)
				}
			}
			b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
