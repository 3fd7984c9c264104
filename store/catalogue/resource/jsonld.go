package resource

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms/divisions"
)

// Catalog is the catalogue as published: the county's 政务信息资源目录.
type Catalog struct {
	// BaseIRI is where the catalogue is served, e.g.
	// "https://catalogue.example.gov.cn/"; dataset IRIs are made under it.
	// Empty gives urn:fieldbench: IRIs, good for a file but not dereferenceable.
	BaseIRI       string
	Title         string // default 政务信息资源目录
	Publisher     string // the body keeping the catalogue
	PublisherCode string // its 统一社会信用代码
	Modified      time.Time
	Datasets      []Dataset
}

// Dataset is one form registered as a resource.
type Dataset struct {
	FormID   string
	Metadata Metadata
	Items    []InfoItem // InfoItems of the newest version
	Versions []Version  // published versions, newest first
	Modified time.Time  // when a record last arrived; zero if none has
}

// Version is one published form version and the records whose latest
// version was filled in it.
type Version struct {
	Version string
	Records int
}

// Records is the number of records of every version.
func (d Dataset) Records() int {
	n := 0
	for _, v := range d.Versions {
		n += v.Records
	}
	return n
}

// The @context is written inline, never referenced by URL, so that a reader
// without network (a county office's intranet) can expand the document.
var jsonldContext = map[string]string{
	"dcat": "http://www.w3.org/ns/dcat#",
	"dct":  "http://purl.org/dc/terms/",
	"foaf": "http://xmlns.com/foaf/0.1/",
	"skos": "http://www.w3.org/2004/02/skos/core#",
	"xsd":  "http://www.w3.org/2001/XMLSchema#",
	"rdf":  "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
	"rdfs": "http://www.w3.org/2000/01/rdf-schema#",
	"csvw": "http://www.w3.org/ns/csvw#",
}

// EU Publications Office authority tables, as DCAT-AP uses them. The access
// rights are those the reference maps the sharing types to; the frequency
// codes are from memory ([R]) and 不定期 maps to IRREG.
const (
	accessRightBase = "http://publications.europa.eu/resource/authority/access-right/"
	frequencyBase   = "http://publications.europa.eu/resource/authority/frequency/"
	mediaTypeBase   = "https://www.iana.org/assignments/media-types/"
)

var accessRights = map[string]string{
	SharingUnconditional: "PUBLIC",
	SharingConditional:   "RESTRICTED",
	SharingNone:          "NON_PUBLIC",
}

var frequencies = map[string]string{
	"实时": "UPDATE_CONT", "每日": "DAILY", "每周": "WEEKLY", "每月": "MONTHLY",
	"每季度": "QUARTERLY", "每半年": "ANNUAL_2", "每年": "ANNUAL", "不定期": "IRREG",
}

// mediaTypes recognises the usual words of 信息资源格式, lower-cased.
var mediaTypes = map[string]string{
	"csv": "text/csv", "json": "application/json", "xml": "application/xml",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"xls":  "application/vnd.ms-excel",
}

type obj = map[string]any

func zh(s string) obj { return obj{"@value": s, "@language": "zh-Hans"} }

func typed(v, t string) obj { return obj{"@value": v, "@type": t} }

// JSONLD writes the catalogue as DCAT v3 JSON-LD. Chinese values are kept
// verbatim as zh-Hans literals beside the DCAT terms they map to, so that
// nothing of the Guide's entry is lost to a DCAT reader. A dataset's access
// rights follow EffectiveSharing: an entry not yet complete is NON_PUBLIC.
func JSONLD(w io.Writer, c Catalog) error {
	base, err := baseIRI(c.BaseIRI)
	if err != nil {
		return err
	}
	title := c.Title
	if title == "" {
		title = "政务信息资源目录"
	}
	cat := obj{
		"@context":     jsonldContext,
		"@id":          iri(base, "catalogue"),
		"@type":        "dcat:Catalog",
		"dct:title":    zh(title),
		"dcat:dataset": []any{},
	}
	if c.Publisher != "" || c.PublisherCode != "" {
		cat["dct:publisher"] = agent(c.Publisher, c.PublisherCode)
	}
	if !c.Modified.IsZero() {
		cat["dct:modified"] = typed(c.Modified.UTC().Format(time.RFC3339), "xsd:dateTime")
	}
	list := make([]any, 0, len(c.Datasets))
	for _, d := range c.Datasets {
		if d.FormID == "" {
			return fmt.Errorf("a dataset has no form id; every dataset is a registered form")
		}
		list = append(list, dataset(base, d))
	}
	cat["dcat:dataset"] = list
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(cat)
}

func baseIRI(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("catalogue base IRI %q is not an absolute URL such as https://catalogue.example.gov.cn/", s)
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s, nil
}

// iri makes a resource's IRI from path segments, each escaped so that a form
// id or series name cannot break out of its segment.
func iri(base string, parts ...string) string {
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	if base == "" {
		return "urn:fieldbench:" + strings.Join(parts, ":")
	}
	return base + strings.Join(parts, "/")
}

func agent(name, code string) obj {
	a := obj{"@type": "foaf:Agent"}
	if name != "" {
		a["foaf:name"] = zh(name)
	}
	if code != "" {
		a["dct:identifier"] = code
	}
	return a
}

func dataset(base string, d Dataset) obj {
	m := d.Metadata
	ds := obj{
		"@id":   iri(base, "datasets", d.FormID),
		"@type": "dcat:Dataset",
	}
	if m.Title != "" {
		ds["dct:title"] = zh(m.Title)
	}
	if m.Code != "" {
		ds["dct:identifier"] = m.Code
	}
	if m.Summary != "" {
		ds["dct:description"] = zh(m.Summary)
	}
	if m.Provider != "" || m.ProviderCode != "" {
		ds["dct:publisher"] = agent(m.Provider, m.ProviderCode)
	}
	if m.Category != "" {
		theme := obj{"@type": "skos:Concept", "skos:prefLabel": zh(m.Category)}
		if allDigits(m.Category) {
			theme["skos:notation"] = m.Category
		}
		ds["dcat:theme"] = theme
	}
	sharing := m.EffectiveSharing()
	ds["dct:accessRights"] = obj{
		"@id": accessRightBase + accessRights[sharing], "@type": "dct:RightsStatement",
		"skos:prefLabel": zh(sharing),
	}
	ds["dct:rights"] = rights(m, sharing)
	if f, ok := frequencies[m.UpdateCycle]; ok {
		ds["dct:accrualPeriodicity"] = obj{"@id": frequencyBase + f, "@type": "dct:Frequency",
			"skos:prefLabel": zh(m.UpdateCycle)}
	}
	if m.Issued != "" {
		ds["dct:issued"] = typed(m.Issued, "xsd:date")
	}
	if !d.Modified.IsZero() {
		ds["dct:modified"] = typed(d.Modified.UTC().Format(time.RFC3339), "xsd:dateTime")
	}
	versions(base, d, ds)
	if m.Series != "" {
		ds["dcat:inSeries"] = obj{"@id": iri(base, "series", m.Series), "@type": "dcat:DatasetSeries",
			"dct:title": zh(m.Series)}
	}
	if dist := distributions(m); len(dist) > 0 {
		ds["dcat:distribution"] = dist
	}
	if len(m.Spatial) > 0 {
		var places []any
		for _, code := range m.Spatial {
			p := obj{"@type": "dct:Location", "skos:notation": code}
			if div, ok := divisions.Resolve(code); ok {
				p["skos:prefLabel"] = zh(div.Name)
			}
			places = append(places, p)
		}
		ds["dct:spatial"] = places
	}
	if len(m.Related) > 0 {
		var rel []any
		for _, code := range m.Related {
			rel = append(rel, obj{"dct:identifier": code})
		}
		ds["dct:relation"] = rel
	}
	n := d.Records()
	ds["dct:extent"] = obj{"@type": "dct:SizeOrDuration",
		"rdf:value":  typed(strconv.Itoa(n), "xsd:nonNegativeInteger"),
		"rdfs:label": zh(strconv.Itoa(n) + " 条记录")}
	if len(d.Items) > 0 {
		ds["dct:conformsTo"] = schema(base, d)
	}
	return ds
}

// rights holds the Guide's sharing and open-access attributes verbatim: the
// declared type (which may differ from the effective one while the entry is
// incomplete), the condition and the method; then the open-access attribute.
func rights(m Metadata, effective string) []any {
	share := obj{"@type": "dct:RightsStatement", "rdfs:label": zh("共享属性：" + effective)}
	var notes []string
	if m.SharingType != "" && m.SharingType != effective {
		notes = append(notes, "申报共享类型："+m.SharingType+"（目录信息未填全，暂按不予共享）")
	}
	if m.SharingCondition != "" {
		notes = append(notes, "共享条件："+m.SharingCondition)
	}
	if m.SharingMethod != "" {
		notes = append(notes, "共享方式："+m.SharingMethod)
	}
	if len(notes) > 0 {
		share["dct:description"] = zh(strings.Join(notes, "\n"))
	}
	out := []any{share}
	if m.OpenAccess != "" {
		open := obj{"@type": "dct:RightsStatement", "rdfs:label": zh("开放属性：" + m.OpenAccess)}
		if m.OpenCondition != "" {
			open["dct:description"] = zh("开放条件：" + m.OpenCondition)
		}
		out = append(out, open)
	}
	return out
}

// versions links the dataset to its published form versions: DCAT v3 treats
// each as a version of the resource, the newest being the one described.
func versions(base string, d Dataset, ds obj) {
	version := d.Metadata.Version
	if version == "" && len(d.Versions) > 0 {
		version = d.Versions[0].Version
	}
	if version != "" {
		ds["dcat:version"] = version
	}
	prev := d.Metadata.PreviousVersion
	if prev == "" {
		for i, v := range d.Versions {
			if v.Version == version && i+1 < len(d.Versions) {
				prev = d.Versions[i+1].Version
				break
			}
		}
	}
	if prev != "" {
		ds["dcat:previousVersion"] = obj{"@id": iri(base, "datasets", d.FormID, "versions", prev)}
	}
	var has []any
	for _, v := range d.Versions {
		has = append(has, obj{
			"@id": iri(base, "datasets", d.FormID, "versions", v.Version), "@type": "dcat:Dataset",
			"dcat:version": v.Version,
			"dct:extent": obj{"@type": "dct:SizeOrDuration",
				"rdf:value": typed(strconv.Itoa(v.Records), "xsd:nonNegativeInteger")},
		})
	}
	if len(has) > 0 {
		ds["dcat:hasVersion"] = has
	}
}

// distributions gives one dcat:Distribution per word of 信息资源格式
// ("数据库/CSV" gives two), with an IANA media type where the word is one,
// and the sharing method (共享方式), which is how a department obtains it.
func distributions(m Metadata) []any {
	var out []any
	for _, word := range formatWords(m.Format) {
		dist := obj{"@type": "dcat:Distribution", "dct:format": word, "dct:title": zh(word)}
		if mt, ok := mediaTypes[strings.ToLower(word)]; ok {
			dist["dcat:mediaType"] = obj{"@id": mediaTypeBase + mt}
		}
		if m.SharingMethod != "" {
			dist["dct:description"] = zh("共享方式：" + m.SharingMethod)
		}
		out = append(out, dist)
	}
	return out
}

func formatWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case '/', '／', ',', '，', '、', ';', '；', ' ', '\u3000', '\n', '\t', '\r':
			return true
		}
		return false
	})
}

// schema is the 信息项信息, which DCAT has no element for: the reference maps
// it to dct:conformsTo a schema, written here as a CSVW table schema.
func schema(base string, d Dataset) obj {
	cols := make([]any, len(d.Items))
	for i, it := range d.Items {
		col := obj{
			"@type":         "csvw:Column",
			"csvw:name":     it.Name,
			"csvw:title":    zh(it.Label),
			"csvw:datatype": obj{"@id": "xsd:" + it.Datatype},
			"dct:type":      zh(it.Type),
		}
		cols[i] = col
	}
	version := d.Metadata.Version
	if version == "" && len(d.Versions) > 0 {
		version = d.Versions[0].Version
	}
	parts := []string{"datasets", d.FormID, "schema"}
	if version != "" {
		parts = []string{"datasets", d.FormID, "versions", version, "schema"}
	}
	return obj{
		"@id":         iri(base, parts...),
		"@type":       []any{"dct:Standard", "csvw:Schema"},
		"csvw:column": obj{"@list": cols},
	}
}
