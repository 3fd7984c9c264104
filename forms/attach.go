package forms

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"sort"
	"strings"

	"github.com/fieldbench/fieldbench/forms/expr"
)

// Attachment is a data file a form names: the file of a
// select_one_from_file, of pulldata('name', ...), of a csv-external or
// xml-external row, or one an instance('name') lookup reads. A form
// version and its attachments are one thing: the store and the
// catalogue keep them together, hashed, and never change either.
type Attachment struct {
	Name     string   // the file name as the form writes it: "villages.csv"
	Instance string   // what instance('...') and pulldata() call it: the name without extension
	Kind     string   // "csv", "xml" or "geojson"
	Use      string   // how the form first names it, for messages: "select_one_from_file", "pulldata()"...
	Loc      Location // the cell that first names it
	// Size and SHA256 (hex) are the given file's; zero until it is given.
	Size   int64
	SHA256 string
	data   *DataTable
}

// Given reports whether the file's content was given to Load.
func (a *Attachment) Given() bool { return a.data != nil }

// Data is the file's content as read; nil when it was not given.
func (a *Attachment) Data() *DataTable { return a.data }

// File is the content of one attached file, named as the form names it
// (a path is reduced to its base name).
type File struct {
	Name string
	Data []byte
}

// AttachmentHashes is the SHA-256 of each given file by name: what the
// stores keep to tell one version's data from another's.
func (f *Form) AttachmentHashes() map[string]string {
	out := make(map[string]string, len(f.Attachments))
	for _, a := range f.Attachments {
		if a.Given() {
			out[a.Name] = a.SHA256
		}
	}
	return out
}

// DifferentFile names a file whose hash differs between two sets of a
// version's files (AttachmentHashes), or that only one has; "" when they
// are the same.
func DifferentFile(a, b map[string]string) string {
	names := make([]string, 0, len(a)+len(b))
	for n := range a {
		names = append(names, n)
	}
	for n := range b {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if a[n] != b[n] {
			return n
		}
	}
	return ""
}

// VersionKey names a form version's whole content, for caching parsed
// forms: its definition's hash and its files' hashes, since the same
// definition with other data checks records differently.
func VersionKey(definitionSHA string, files map[string]string) string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		definitionSHA += " " + n + "=" + files[n]
	}
	return definitionSHA
}

// FileData is the content of the given file a form knows as name, nil
// when none is.
func FileData(files []File, name string) []byte {
	for _, f := range files {
		if FileName(f.Name) == name {
			return f.Data
		}
	}
	return nil
}

// Named is the given files the form names, in the order given.
func (f *Form) Named(files []File) []File {
	var out []File
	for _, file := range files {
		if f.Attachment(FileName(file.Name)) != nil {
			out = append(out, file)
		}
	}
	return out
}

// UnusedFiles is a located error for each given file that none of the
// forms names (forms that did not load are nil and skipped), for
// commands that take several forms and one set of files.
func UnusedFiles(files []File, loaded []*Form) LoadErrors {
	var errs LoadErrors
	for _, file := range files {
		name, used := FileName(file.Name), false
		for _, f := range loaded {
			used = used || f != nil && f.Attachment(name) != nil
		}
		if !used {
			errs = append(errs, newLoadError(Location{File: name}, ldAttachUnused, quote(name)))
		}
	}
	return errs
}

// FileName is the name a form knows a given file by: a path's last part,
// whichever separator it was written with.
func FileName(p string) string { return path.Base(strings.ReplaceAll(p, `\`, "/")) }

// fileChoices is a select's choice list that comes from an attached file,
// filled once the file is given.
type fileChoices struct {
	list         *ChoiceList
	att          *Attachment
	value, label string // columns chosen by the parameters column; "" for the default
	field        *Field
	multi        bool
}

// attachmentKinds maps a file extension to the kind of data.
var attachmentKinds = map[string]string{".csv": "csv", ".xml": "xml", ".geojson": "geojson"}

// Attachment is the attached file of that name, nil if the form names none.
func (f *Form) Attachment(name string) *Attachment {
	for _, a := range f.Attachments {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// MissingAttachments is a located error for each file the form names that
// was not given (nil when every one was). A form loaded for inspection
// (LoadForShow) answers it; Load refuses such a form outright.
func (f *Form) MissingAttachments() LoadErrors {
	var errs LoadErrors
	for _, a := range f.Attachments {
		if !a.Given() {
			errs = append(errs, missingError(a))
		}
	}
	return errs
}

func missingError(a *Attachment) *LoadError {
	return newLoadError(a.Loc, ldAttachMissing, quote(a.Name), a.Use, a.Name)
}

// declareAttachment records that the form needs the file name, or adds
// to the problems why it cannot.
func (f *Form) declareAttachment(name, use string, loc Location) (*Attachment, *LoadError) {
	if a := f.Attachment(name); a != nil {
		return a, nil
	}
	ext := strings.ToLower(path.Ext(name))
	kind, ok := attachmentKinds[ext]
	if !ok || name != path.Base(name) || strings.ContainsAny(name, `\/:`) || len(name) == len(ext) {
		return nil, newLoadError(loc, ldAttachBadName, quote(name))
	}
	inst := name[:len(name)-len(ext)]
	for _, a := range f.Attachments {
		if a.Instance == inst {
			return nil, newLoadError(loc, ldAttachSameInstance, quote(name), quote(a.Name), inst)
		}
	}
	if len(f.Attachments) >= MaxAttachments {
		return nil, newLoadError(loc, ldAttachTooMany, MaxAttachments)
	}
	a := &Attachment{Name: name, Instance: inst, Kind: kind, Use: use, Loc: loc}
	f.Attachments = append(f.Attachments, a)
	return a, nil
}

// fileSelect makes the choice list of a select_one_from_file question:
// empty until the file is given (bindFiles fills it). Questions reading
// one file with the same parameters share a list.
func (r *surveyReader) fileSelect(fd *Field, q qtype, loc Location) *ChoiceList {
	b := r.b
	if q.orOther {
		b.errorAt(loc, ldFromFileOrOther, q.list)
		return nil
	}
	use := "select_one_from_file"
	if fd.Type == TypeSelectMultiple {
		use = "select_multiple_from_file"
	}
	a, lerr := b.f.declareAttachment(q.list, use, loc)
	if lerr != nil {
		b.errs = append(b.errs, lerr)
		return nil
	}
	value, label := fd.Parameters["value"], fd.Parameters["label"]
	key := a.Name
	if value != "" || label != "" {
		key += " (value=" + value + ", label=" + label + ")"
	}
	if l := b.f.Lists[key]; l != nil && l.fromFile {
		for _, fc := range b.f.fileLists {
			if fc.list == l && fd.Type == TypeSelectMultiple {
				fc.multi = true
			}
		}
		return l
	}
	l := &ChoiceList{Name: key, Loc: loc, fromFile: true}
	b.f.Lists[key] = l
	b.f.fileLists = append(b.f.fileLists, &fileChoices{list: l, att: a, value: value, label: label,
		field: fd, multi: fd.Type == TypeSelectMultiple})
	return l
}

// externalFile reads a csv-external or xml-external row: no question, the
// file NAME.csv or NAME.xml made available to instance('NAME').
func (r *surveyReader) externalFile(q qtype, name string, idx int, nameHdr, typeHdr string) {
	b := r.b
	if name == "" {
		b.errorAt(b.loc(r.t.sh, idx, typeHdr), ldExternalNoName, q.extFile)
		return
	}
	loc := b.loc(r.t.sh, idx, nameHdr)
	// The row is an element of its section, as pyxform has it: its name
	// may not be another's there.
	r.claimName(r.stack[len(r.stack)-1].field, name, idx, loc)
	if _, lerr := b.f.declareAttachment(name+"."+q.extFile, q.extFile+"-external", loc); lerr != nil {
		b.errs = append(b.errs, lerr)
	}
}

// lastSavedInstance is the secondary instance ODK reads
// ${last-saved#name} from: a file of that name would take its place.
const lastSavedInstance = "__last-saved"

// instanceUse is an instance('name') found in an expression, checked once
// every file the form names is known.
type instanceUse struct {
	name string
	loc  Location
}

// declareInstances records what one compiled expression reads: a
// pulldata() file is an attachment (a CSV); instance() names are checked
// by resolveInstances.
func (f *Form) declareInstances(x *expr.Expr, loc Location, uses []instanceUse) ([]instanceUse, LoadErrors) {
	var errs LoadErrors
	f.columnReads = append(f.columnReads, x.InstanceColumns()...)
	for _, u := range x.Instances() {
		if !u.Pulldata {
			uses = append(uses, instanceUse{u.Name, loc})
			continue
		}
		if a := f.attachmentFor(u.Name); a != nil {
			if a.Kind != "csv" {
				errs = append(errs, newLoadError(loc, ldPulldataNotCSV, quote(u.Name), quote(a.Name)))
			}
			continue
		}
		if _, lerr := f.declareAttachment(u.Name+".csv", "pulldata()", loc); lerr != nil {
			errs = append(errs, lerr)
		}
	}
	return uses, errs
}

func (f *Form) attachmentFor(instance string) *Attachment {
	for _, a := range f.Attachments {
		if a.Instance == instance {
			return a
		}
	}
	return nil
}

// resolveInstances checks every instance('name') against the attached
// files and the choice lists, and makes the lists read that way available.
func (f *Form) resolveInstances(uses []instanceUse) LoadErrors {
	var errs LoadErrors
	for _, a := range f.Attachments {
		if l := f.Lists[a.Instance]; l != nil && !l.fromFile {
			errs = append(errs, newLoadError(a.Loc, ldAttachListClash, quote(a.Name), quote(a.Instance)))
		}
	}
	for _, u := range uses {
		if f.attachmentFor(u.name) != nil || f.instances[u.name] != nil {
			continue
		}
		l := f.Lists[u.name]
		if l == nil {
			l = builtinList(u.name)
		}
		if l == nil || l.fromFile {
			names := make([]string, 0, len(f.Lists)+len(f.Attachments))
			for n, l := range f.Lists {
				if !l.fromFile {
					names = append(names, n)
				}
			}
			for _, a := range f.Attachments {
				names = append(names, a.Instance)
			}
			sort.Strings(names)
			errs = append(errs, newLoadError(u.loc, ldInstanceUnknown, quote(u.name), u.name, didYouMeanText(closest(u.name, names))))
			continue
		}
		if f.instances == nil {
			f.instances = map[string]expr.Instance{}
		}
		f.instances[u.name] = newChoiceInstance(l, f.DefaultLanguage)
	}
	sort.SliceStable(f.Attachments, func(i, j int) bool { return f.Attachments[i].Loc.Row < f.Attachments[j].Loc.Row })
	return errs
}

// bindFiles reads the given files into the attachments that name them
// and fills the choice lists that come from them; mode says what is an
// error.
func (f *Form) bindFiles(files []File, mode bindMode) LoadErrors {
	var errs LoadErrors
	seen := map[string]bool{}
	for _, file := range files {
		name := FileName(file.Name)
		a := f.Attachment(name)
		switch {
		case a == nil && mode == bindAmong:
			continue
		case a == nil:
			errs = append(errs, newLoadError(Location{File: name}, ldAttachNotNamed, quote(name), f.attachmentNames()))
			continue
		case seen[name]:
			errs = append(errs, newLoadError(Location{File: name}, ldAttachTwice, quote(name)))
			continue
		}
		seen[name] = true
		if len(file.Data) > MaxAttachmentBytes {
			errs = append(errs, newLoadError(Location{File: name}, ldAttachTooLarge, Kilobytes(len(file.Data)), Kilobytes(MaxAttachmentBytes)))
			continue
		}
		var t *DataTable
		var perrs LoadErrors
		switch a.Kind {
		case "csv":
			t, perrs = parseCSV(name, file.Data)
		case "xml":
			t, perrs = parseXML(name, file.Data)
		default:
			t, perrs = parseGeoJSON(name, file.Data)
		}
		if perrs != nil {
			errs = append(errs, perrs...)
			continue
		}
		sum := sha256.Sum256(file.Data)
		a.data, a.Size, a.SHA256 = t, int64(len(file.Data)), hex.EncodeToString(sum[:])
		if f.instances == nil {
			f.instances = map[string]expr.Instance{}
		}
		f.instances[a.Instance] = t
	}
	if mode != bindLenient {
		for _, a := range f.Attachments {
			// A file given but unreadable has said why already.
			if !a.Given() && !seen[a.Name] {
				errs = append(errs, missingError(a))
			}
		}
	}
	for _, fc := range f.fileLists {
		if fc.att.Given() {
			errs = append(errs, fc.fill(f.allowDupChoices)...)
		}
	}
	if len(errs) > maxLoadErrors {
		errs = append(errs[:maxLoadErrors:maxLoadErrors], newLoadError(errs[maxLoadErrors].Loc, ldMoreProblems, len(errs)-maxLoadErrors))
	}
	return errs
}

// attachmentNames lists the files the form names, for a message.
func (f *Form) attachmentNames() any {
	if len(f.Attachments) == 0 {
		return loadMsg(ldAttachNone)
	}
	names := make([]string, len(f.Attachments))
	for i, a := range f.Attachments {
		names[i] = a.Name
	}
	return strings.Join(names, ", ")
}
