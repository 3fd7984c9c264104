package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const followup = "../../forms/samples/household_followup.xlsx"

// TestEntitiesFollowUpLoop is issue 17's proof, with the real binary and a
// real `fieldbench serve` on each backend: laptops A and B of township
// 110105001 and C of 110105002. A registers 3 households offline and
// follows one up before its first sync; B receives the 3, C none. A and B
// then update the same household offline; both sync; the catalogue keeps
// both updates and flags the conflict; a reviewer resolves it, and the
// next sync brings the resolution to A and B.
func TestEntitiesFollowUpLoop(t *testing.T) {
	t.Parallel()
	eachBackend(t, entitiesFollowUpLoop)
}

func entitiesFollowUpLoop(t *testing.T, where []string) {
	bin := buildBinary(t)
	dir := t.TempDir()
	fb := func(args ...string) (string, error) {
		t.Helper()
		cmd := inEnglish(exec.Command(bin, args...))
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	must := func(args ...string) string {
		t.Helper()
		out, err := fb(args...)
		if err != nil {
			t.Fatalf("fieldbench %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	for _, form := range []string{household, followup} {
		must(append([]string{"catalogue", "publish", form, "--township", "110105"}, where...)...)
	}
	_, url := serveProcess(t, bin, where)
	laptops := map[string]string{}
	for _, l := range []struct{ name, township string }{{"A", "110105001"}, {"B", "110105001"}, {"C", "110105002"}} {
		out := must(append([]string{"catalogue", "device", "add", "--township", l.township}, where...)...)
		fields := strings.Fields(out)
		laptops[l.name] = filepath.Join(dir, l.name+".db")
		must("enrol", "--db", laptops[l.name], url, fields[len(fields)-1])
	}
	file := func(name string, lines ...map[string]any) string { return writeJSONL(t, dir, name, lines...) }
	type entity struct {
		ID         string            `json:"id"`
		Label      string            `json:"label"`
		Version    int64             `json:"version"`
		Conflict   bool              `json:"conflict"`
		Properties map[string]string `json:"properties"`
		LastVisit  string            `json:"last_visit"`
	}
	decode := func(out string) map[string]entity {
		t.Helper()
		byLabel := map[string]entity{}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var e entity
			if err := json.Unmarshal([]byte(line), &e); err != nil {
				t.Fatalf("%v: %q", err, line)
			}
			byLabel[strings.SplitN(e.Label, "（", 2)[0]] = e
		}
		return byLabel
	}
	onLaptop := func(l string) map[string]entity {
		t.Helper()
		return decode(must("entities", "households", "--format", "jsonl", "--db", laptops[l]))
	}
	inCatalogue := func() map[string]entity {
		t.Helper()
		return decode(must(append([]string{"catalogue", "entities", "households", "--format", "jsonl"}, where...)...))
	}
	sync := func(l, want string) {
		t.Helper()
		if out := must("--sync", "--db", laptops[l]); !strings.Contains(out, want) {
			t.Fatalf("laptop %s's sync:\n%s", l, out)
		}
	}
	followUp := func(l, id string, size int, phone, dibao, date string) {
		t.Helper()
		path := file(l+date+".jsonl", map[string]any{"hh": id, "hh_size": size, "head_phone": phone, "low_income": dibao, "visit_date": date})
		must("import", "--db", laptops[l], "--form", "household_followup", path)
	}

	// A, offline: the forms as published, 3 households registered and one
	// followed up, which its own list shows at once.
	must("forms", "add", "--db", laptops["A"], household, followup)
	if out := must("import", "--db", laptops["A"], "--form", "household_visit", file("reg.jsonl", registrations("张建国", "李明", "王芳")...)); !strings.Contains(out, "3 accepted") {
		t.Fatalf("registrations:\n%s", out)
	}
	a := onLaptop("A")
	zhang := a["张建国"].ID
	if len(a) != 3 || zhang == "" || a["张建国"].Version != 1 {
		t.Fatalf("A's households after registering: %+v", a)
	}
	// Visited when the records say (their end time), not at the import.
	const registered = "2026-11-20T01:30:00.000000000Z"
	if a["李明"].LastVisit != registered {
		t.Errorf("A's 李明 last visited %q, want the registration's end time %s", a["李明"].LastVisit, registered)
	}
	followUp("A", zhang, 5, "13811062547", "yes", "2026-11-25")
	if a := onLaptop("A"); a["张建国"].Version != 2 || a["张建国"].Properties["size"] != "5" || a["张建国"].Properties["dibao"] != "yes" {
		t.Fatalf("A's household after its follow-up: %+v", a["张建国"])
	}

	sync("A", "4 sent, 0 already there, 0 conflicts, 0 rejected")
	sync("B", "2 forms updated")
	sync("C", "2 forms updated")
	cat := inCatalogue()
	if len(cat) != 3 || cat["张建国"].Version != 2 || cat["张建国"].Properties["size"] != "5" || cat["张建国"].Conflict {
		t.Fatalf("the catalogue after A's sync: %+v", cat)
	}
	b := onLaptop("B")
	if len(b) != 3 || b["张建国"].ID != zhang || b["张建国"].Version != 2 || b["李明"].Version != 1 || b["王芳"].ID != a["王芳"].ID {
		t.Fatalf("B's households: %+v", b)
	}
	// B shows when A visited the households it registered.
	if b["李明"].LastVisit != registered || cat["李明"].LastVisit != registered {
		t.Errorf("李明's last visit: %q on B, %q in the catalogue; want %s", b["李明"].LastVisit, cat["李明"].LastVisit, registered)
	}
	// The sample asks for the phone in clear (entities_clear), so B's
	// follow-up can prefill it; the catalogue's own listing masks it.
	if p := b["李明"].Properties["phone"]; p != "13811062547" {
		t.Errorf("B holds 李明's phone as %q, want it in clear", p)
	}
	if p := cat["李明"].Properties["phone"]; p == "13811062547" {
		t.Errorf("the catalogue's listing shows the phone in clear")
	}
	if out, err := fb("entities", "households", "--format", "jsonl", "--db", laptops["C"]); err == nil || strings.Contains(out, "{") {
		t.Fatalf("C, of another township, holds households: %v\n%s", err, out)
	}

	// A and B update the same household offline, both from version 2.
	followUp("A", zhang, 6, "13811062547", "yes", "2026-12-02")
	followUp("B", zhang, 3, "13911112222", "no", "2026-12-03")
	sync("A", "1 sent, 0 already there, 0 conflicts, 0 rejected")
	sync("B", "1 sent, 0 already there, 0 conflicts, 0 rejected")
	cat = inCatalogue()
	if z := cat["张建国"]; z.Version != 4 || !z.Conflict || z.Properties["size"] != "3" || cat["李明"].Conflict {
		t.Fatalf("the catalogue after both updates: %+v", cat)
	}
	token := strings.Fields(must(append([]string{"catalogue", "user", "add", "--role", "reviewer", "--county", "110105", "--name", "李审核"}, where...)...))
	review := func(args ...string) string {
		t.Helper()
		return must(append(append([]string{"review"}, args...), "--url", url, "--token", token[len(token)-1])...)
	}
	// Both updates are kept: B's is the current version, A's the one
	// before the conflict.
	out := review("conflicts")
	lines := strings.Split(out, "\n")
	if !strings.Contains(out, "1 open conflict") || len(lines) < 2 || !strings.Contains(lines[1], zhang) ||
		!strings.Contains(lines[1], "size=3") || !strings.Contains(lines[1], "size=6") {
		t.Fatalf("review conflicts:\n%s", out)
	}
	if out := review("resolve", strings.Fields(lines[1])[0], "--keep", "set", "--set", "size=7"); !strings.Contains(out, "version 5") {
		t.Fatalf("review resolve:\n%s", out)
	}
	if z := inCatalogue()["张建国"]; z.Version != 5 || z.Conflict || z.Properties["size"] != "7" {
		t.Fatalf("the catalogue after the resolution: %+v", z)
	}
	for _, l := range []string{"A", "B"} {
		sync(l, "1 entity downloaded")
		if z := onLaptop(l)["张建国"]; z.Version != 5 || z.Conflict || z.Properties["size"] != "7" || z.Properties["dibao"] != "no" {
			t.Errorf("laptop %s after the resolution: %+v", l, z)
		}
	}
	if out := review("conflicts"); !strings.Contains(out, "0 open conflicts") {
		t.Errorf("conflicts left open:\n%s", out)
	}
}

// registrations are household_visit records of township 110105001, one
// household of one member per head named: each registers a household
// (labelled by the head) and a person.
func registrations(heads ...string) []map[string]any {
	var regs []map[string]any
	for _, head := range heads {
		regs = append(regs, map[string]any{"consent": "OK", "province": "11", "city": "1101", "county": "110105", "township": "110105001",
			"village": "花家地北里社区", "address": head + "家", "head_name": head, "head_id": "110105196805140036", "head_phone": "13811062547",
			"hh_size": 1, "members": []map[string]any{{"m_name": head, "m_relation": "head", "m_sex": "male", "m_birth": "1968-05-14",
				"m_id": "110105196805140036", "m_work": "salaried"}}, "income": 36000, "dwelling": "public", "low_income": "no",
			"visit_date": "2026-11-20", "end": "2026-11-20T09:30:00+08:00"})
	}
	return regs
}

// writeJSONL writes records to a file of dir, one a line.
func writeJSONL(t *testing.T, dir, name string, lines ...map[string]any) string {
	t.Helper()
	var b strings.Builder
	for _, l := range lines {
		data, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(append(data, '\n'))
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
