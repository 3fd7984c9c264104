package store

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms"
)

// draftQuestions is the length of the form the draft writer fills.
const draftQuestions = 300

// draftFormMD is a flat form of text questions q1..qN.
func draftFormMD() string {
	var b strings.Builder
	b.WriteString("| survey |\n| | type | name | label |\n")
	for i := 1; i <= draftQuestions; i++ {
		fmt.Fprintf(&b, "| | text | q%d | 问题 %d |\n", i, i)
	}
	b.WriteString("| settings |\n| | form_id | version |\n| | drafts | 1 |\n")
	return b.String()
}

func answerFor(i int) string { return fmt.Sprintf("答案%d-%s", i, strings.Repeat("x", i%7)) }

// TestDraftWriterProcess is not a test on its own: TestDraftSurvivesSIGKILL
// runs the test binary again with FIELDBENCH_DRAFT_WRITER set, and this
// function becomes a process that answers a form question by question,
// saving the draft after each answer as the data-entry screen does, and
// printing "saved N" once each save has committed.
func TestDraftWriterProcess(t *testing.T) {
	path := os.Getenv("FIELDBENCH_DRAFT_WRITER")
	if path == "" {
		return // only meaningful as the child process
	}
	ctx := context.Background()
	db, err := Open(path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	form, err := db.Form(ctx, "drafts", "1")
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	id := os.Getenv("FIELDBENCH_DRAFT_ID")
	in := form.NewInstance(forms.Options{})
	if data, err := db.Resume(ctx, id); err == nil && len(data) > 0 {
		obj, _ := forms.DecodeRecord(data)
		in, _ = form.Fill(obj, forms.Options{})
	}
	out := bufio.NewWriter(os.Stdout)
	for i := 1; i <= draftQuestions; i++ {
		path := fmt.Sprintf("q%d", i)
		old, _, _ := in.Value(path)
		if old == answerFor(i) {
			continue // answered before the last kill
		}
		in.Set(path, answerFor(i))
		data, _ := in.MarshalJSON()
		if err := db.SaveDraft(ctx, id, data, &AnswerChange{Path: path, Old: old, New: answerFor(i)}); err != nil {
			fmt.Fprintln(out, "error", err)
			out.Flush()
			os.Exit(3)
		}
		fmt.Fprintf(out, "saved %d\n", i)
		out.Flush()
	}
	os.Exit(0)
}

// TestDraftSurvivesSIGKILL kills the draft writer at random moments, ten
// times, each time resuming the same draft, and checks that every answer
// reported saved is in the draft, the database is intact, the draft is
// offered for resumption, and the audit trail verifies.
func TestDraftSurvivesSIGKILL(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "fb.db")
	ctx := context.Background()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddForm(ctx, "drafts.md", []byte(draftFormMD())); err != nil {
		t.Fatal(err)
	}
	id, err := db.NewDraft(ctx, "drafts", "1")
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	reported := 0
	for kill := 1; kill <= 10 && reported < draftQuestions; kill++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestDraftWriterProcess$")
		cmd.Env = append(os.Environ(), "FIELDBENCH_DRAFT_WRITER="+path, "FIELDBENCH_DRAFT_ID="+id)
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill after a random number of further saves, at a random moment
		// within the next one.
		stopAfter := reported + 1 + rng.Intn(40)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "error") {
				t.Fatalf("draft writer: %s", line)
			}
			var n int
			if _, err := fmt.Sscanf(line, "saved %d", &n); err == nil {
				reported = n
			}
			if reported >= stopAfter {
				time.Sleep(time.Duration(rng.Intn(3000)) * time.Microsecond)
				break
			}
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		db, err := Open(path)
		if err != nil {
			t.Fatalf("kill %d: reopening: %v", kill, err)
		}
		var ok string
		db.sql.QueryRow(`PRAGMA integrity_check`).Scan(&ok)
		if ok != "ok" {
			t.Fatalf("kill %d: integrity_check = %q", kill, ok)
		}
		drafts, err := db.Drafts(ctx)
		if err != nil || len(drafts) != 1 || drafts[0].ID != id {
			t.Fatalf("kill %d: drafts offered for resumption = %v, %v", kill, drafts, err)
		}
		data, err := db.Resume(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]string
		json.Unmarshal(data, &got)
		for i := 1; i <= reported; i++ {
			if got[fmt.Sprintf("q%d", i)] != answerFor(i) {
				t.Fatalf("kill %d: answer %d was reported saved but the draft has %q", kill, i, got[fmt.Sprintf("q%d", i)])
			}
		}
		t.Logf("kill %d: %d answers reported saved, %d in the draft", kill, reported, len(got))
		db.Close()
	}
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, problem, err := db.VerifyAudit(ctx); err != nil || problem != nil {
		t.Fatalf("audit after the kills: %d events, %v, %v", n, problem, err)
	}
}
