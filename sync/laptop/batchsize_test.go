package laptop

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// planBatch keeps every batch within the budget, sets aside only what
// fits in no batch, and leaves what merely did not fit beside the others
// for the next batch.
func TestPlanBatchCutsByBytes(t *testing.T) {
	record := func(i, size int) store.QueuedVersion {
		data := fmt.Sprintf(`{"remark":"%s"}`, strings.Repeat("x", size))
		return store.QueuedVersion{RecordID: fmt.Sprintf("r%d", i), VersionID: fmt.Sprintf("v%d", i),
			FormID: "f", FormVersion: "1", SHA256: "s", Data: []byte(data), Collector: "王芳", CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	}
	const budget = 100 << 10
	vs := []store.QueuedVersion{
		record(0, 30<<10), record(1, 200<<10), record(2, 30<<10), record(3, 30<<10),
		record(4, 150<<10), // over budget only by its data: set aside unencoded
		record(5, 60<<10),  // fits alone, not beside 0, 2 and 3: the next batch's
		record(6, 10<<10),
	}
	p, err := planBatch("d1", vs, budget, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(p.Use) != "[0 2 3]" {
		t.Errorf("batch holds %v, want [0 2 3]", p.Use)
	}
	if len(p.SetAside) != 2 || p.SetAside[0].Index != 1 || p.SetAside[1].Index != 4 ||
		!strings.Contains(p.SetAside[0].Note, "not sent: the record's data is 0.2 MB, more than the 0.1 MB the catalogue takes in one batch") {
		t.Errorf("set aside: %+v", p.SetAside)
	}
	plain := gunzip(t, p.Body)
	if len(plain) > budget {
		t.Errorf("the batch is %d bytes, over the budget of %d", len(plain), budget)
	}
	var b wire.Batch
	if err := json.Unmarshal(plain, &b); err != nil || len(b.Records) != 3 || b.Records[1].RecordID != "r2" {
		t.Fatalf("%v %+v", err, b.Records)
	}
	if !bytes.Equal(b.Records[2].Data, vs[3].Data) {
		t.Error("a record's data changed on the way")
	}

	// What is left goes next, and a record that fills a batch alone goes
	// alone.
	p, err = planBatch("d1", vs[5:], budget, nil)
	if err != nil || fmt.Sprint(p.Use) != "[0 1]" || len(p.SetAside) != 0 {
		t.Errorf("next batch: %v %+v %v", p.Use, p.SetAside, err)
	}
	p, err = planBatch("d1", []store.QueuedVersion{record(7, 102000), record(8, 10)}, budget, nil)
	if err != nil || fmt.Sprint(p.Use) != "[0]" || len(p.SetAside) != 0 {
		t.Errorf("a record near the budget: %v %+v %v", p.Use, p.SetAside, err)
	}
	// Nothing that fits: no batch, only what is set aside.
	p, err = planBatch("d1", []store.QueuedVersion{record(9, 101<<10)}, budget, nil)
	if err != nil || len(p.Use) != 0 || p.Body != nil || len(p.SetAside) != 1 {
		t.Errorf("only a record too large: %v %+v %v", p.Use, p.SetAside, err)
	}
}

func gunzip(t *testing.T, body []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return plain
}

// The outbox keeps a queued batch gzipped, and the client sends it as it
// is.
func TestBuildBatchIsGzippedJSON(t *testing.T) {
	p, err := planBatch("d1", []store.QueuedVersion{{RecordID: "r1", VersionID: "v1", Data: []byte(`{"a":"1"}`)}}, 1<<20, nil)
	body := p.Body
	if err != nil || !isGzip(body) || len(p.Use) != 1 {
		t.Fatalf("%x %v", body, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	var b wire.Batch
	if err := json.Unmarshal(plain, &b); err != nil || b.DeviceID != "d1" || len(b.BatchID) != 36 {
		t.Fatalf("%s %v", plain, err)
	}
	if isGzip([]byte(`{"batch_id":"x"}`)) || isGzip(nil) {
		t.Error("JSON taken for gzip")
	}
}
