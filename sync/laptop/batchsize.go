package laptop

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// Batches are cut by bytes as well as by count: the catalogue refuses a
// body larger than its MaxBodyBytes (413) before reading any of it, and a
// batch it refuses whole would be resent, and refused, on every sync
// until a person stepped in, holding back every record queued after it.

// batchBudget is how many decoded bytes a batch may take when the
// catalogue takes maxBody: a little under, since the limit applies to the
// gzipped body too, and gzip makes data it cannot compress slightly
// larger. A catalogue that does not say gets the default limit.
func batchBudget(maxBody int64) int64 {
	if maxBody <= 0 {
		maxBody = wire.DefaultMaxBodyBytes
	}
	return maxBody - maxBody/64 - 1024
}

// planBatch puts the offered versions, in order, into one batch whose
// decoded JSON stays within budget, and gzips it. A version that would not
// fit even alone is set aside for a person; the first one that only does
// not fit beside the others ends the batch, and it and the rest wait for
// the next.
func planBatch(deviceID string, vs []store.QueuedVersion, budget int64, sealer *batchSealer) (store.BatchPlan, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return store.BatchPlan{}, err
	}
	p := store.BatchPlan{ID: id.String()}
	size := 64
	for i := range vs {
		size += len(vs[i].Data) + 400
	}
	out := make([]byte, 0, min(int64(size), budget+4096))
	out = wire.AppendBatchHead(out, p.ID, deviceID, sealer.batchKeys(vs))
	head := len(out)
	const tail = len("]}")
	for i, v := range vs {
		// The masked data goes on the wire as it is or larger (base64),
		// and beside its sealed part, so a record whose masked data alone
		// is over budget needs no encoding to know it will never go.
		if int64(head+len(v.Data)+tail) > budget {
			p.SetAside = append(p.SetAside, tooLarge(i, clearSize(&vs[i]), budget))
			continue
		}
		mark := len(out)
		if len(p.Use) > 0 {
			out = append(out, ',')
		}
		rec := wire.Record{RecordID: v.RecordID, VersionID: v.VersionID, Replaces: v.ServerHead, FormID: v.FormID,
			FormVersion: v.FormVersion, Collector: v.Collector, CreatedAt: when.WithOffset(v.CreatedAt)}
		if err := sealer.fill(&rec, &vs[i]); err != nil {
			return p, err
		}
		out = wire.AppendRecord(out, &rec)
		if int64(len(out)+tail) <= budget {
			p.Use = append(p.Use, i)
			continue
		}
		alone := head + len(out) - mark + tail
		if len(p.Use) > 0 {
			alone-- // the comma
		}
		out = out[:mark]
		if int64(alone) > budget {
			p.SetAside = append(p.SetAside, tooLarge(i, clearSize(&vs[i]), budget))
			continue
		}
		break
	}
	if len(p.Use) == 0 {
		return p, nil
	}
	p.Body = gzipBytes(append(out, "]}"...))
	return p, nil
}

// tooLarge is the note of a record set aside: it tells the collector what
// to do, in the English of the catalogue's own reasons.
func tooLarge(i, bytes int, budget int64) store.SetAside {
	return store.SetAside{Index: i, Note: fmt.Sprintf(
		"not sent: the record's data is %s, more than the %s the catalogue takes in one batch; edit the record to shorten its longest answers, or ask the catalogue's administrator",
		megabytes(int64(bytes)), megabytes(budget))}
}

func megabytes(n int64) string {
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
