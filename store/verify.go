package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
)

// DataProblem is one record or record version that does not agree with
// the audit trail.
type DataProblem struct {
	RecordID  string
	VersionID string // "" for a problem with the record itself
	Msg       string
}

func (p DataProblem) String() string {
	if p.VersionID == "" {
		return fmt.Sprintf("record %s: %s", p.RecordID, p.Msg)
	}
	return fmt.Sprintf("record %s version %s: %s", p.RecordID, p.VersionID, p.Msg)
}

// maxDataProblems caps the problems listed; Count still counts them all.
const maxDataProblems = 50

// DataReport is what VerifyData found: the versions checked and the first
// problems (Count is all of them).
type DataReport struct {
	Versions int
	Problems []DataProblem
	Count    int
}

func (r *DataReport) add(p DataProblem) {
	r.Count++
	if len(r.Problems) < maxDataProblems {
		r.Problems = append(r.Problems, p)
	}
}

// recorded is what the trail says of a version: its record, the SHA-256
// of its data, and the row that says it.
type recorded struct {
	recordID string
	sum      string
	seq      int64
}

// VerifyData checks the stored records against the hashes the audit trail
// holds for them: every version's data must hash to the SHA-256 its
// finalized, edited or imported row recorded (and to the one stored
// beside it), every version the trail names must be there, every record
// it names must be there unless its draft was discarded, and no record or
// version may be missing from it. The chain itself is VerifyAudit's; a
// version cannot be changed without dropping its triggers, so any
// problem here means the file was changed with another tool.
func (db *DB) VerifyData(ctx context.Context) (*DataReport, error) {
	versions := map[string]recorded{} // by version id
	records := map[string]int64{}     // record id: the first row naming it
	discarded := map[string]bool{}
	rows, err := db.sql.QueryContext(ctx, `SELECT seq, event, record_id, detail FROM audit ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var ev Event
		var recordID, detail string
		if err := rows.Scan(&seq, &ev, &recordID, &detail); err != nil {
			return nil, err
		}
		if recordID != "" {
			if _, ok := records[recordID]; !ok {
				records[recordID] = seq
			}
		}
		switch ev {
		case EventDiscarded:
			discarded[recordID] = true
		case EventFinalized, EventEdited:
			var d struct {
				VersionID string `json:"version_id"`
				SHA256    string `json:"sha256"`
				NewSHA256 string `json:"new_sha256"`
			}
			// The chain vouches for the detail; one that does not parse
			// names no version, and the version is then reported as
			// missing from the trail.
			if json.Unmarshal([]byte(detail), &d) == nil && d.VersionID != "" {
				versions[d.VersionID] = recorded{recordID, d.SHA256 + d.NewSHA256, seq}
			}
		case EventImported, EventSealed:
			var d struct {
				Records []struct {
					ID        string `json:"id"`
					VersionID string `json:"version_id"`
					SHA256    string `json:"sha256"`
				} `json:"records"`
			}
			if json.Unmarshal([]byte(detail), &d) == nil {
				for _, r := range d.Records {
					versions[r.VersionID] = recorded{r.ID, r.SHA256, seq}
					if _, ok := records[r.ID]; !ok {
						records[r.ID] = seq
					}
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()

	rep := &DataReport{}
	seen := make(map[string]bool, len(versions))
	vrows, err := db.sql.QueryContext(ctx, `SELECT version_id, record_id, data, sha256 FROM record_versions ORDER BY rowid`)
	if err != nil {
		return nil, err
	}
	defer vrows.Close()
	var data []byte
	for vrows.Next() {
		var vid, rid, stored string
		if err := vrows.Scan(&vid, &rid, &data, &stored); err != nil {
			return nil, err
		}
		rep.Versions++
		seen[vid] = true
		sum := sha256.Sum256(data)
		got := hex.EncodeToString(sum[:])
		rec, ok := versions[vid]
		switch {
		case !ok:
			rep.add(DataProblem{rid, vid, "it is not in the audit trail (stored behind fieldbench's back, or the row that recorded it was deleted)"})
		case rec.recordID != rid:
			rep.add(DataProblem{rid, vid, fmt.Sprintf("audit row %d recorded it for record %s", rec.seq, rec.recordID)})
		case got != rec.sum:
			rep.add(DataProblem{rid, vid, fmt.Sprintf("its data was changed after it was stored (SHA-256 %s, audit row %d recorded %s)", got, rec.seq, rec.sum)})
		case stored != rec.sum:
			rep.add(DataProblem{rid, vid, fmt.Sprintf("the SHA-256 stored beside it was changed (audit row %d recorded %s)", rec.seq, rec.sum)})
		}
	}
	if err := vrows.Err(); err != nil {
		return nil, err
	}
	vrows.Close()
	var gone []string
	for vid := range versions {
		if !seen[vid] {
			gone = append(gone, vid)
		}
	}
	sort.Slice(gone, func(i, j int) bool { return versions[gone[i]].seq < versions[gone[j]].seq })
	for _, vid := range gone {
		rec := versions[vid]
		rep.add(DataProblem{rec.recordID, vid, fmt.Sprintf("recorded in audit row %d, it is gone (deleted)", rec.seq)})
	}

	present := map[string]bool{}
	rrows, err := db.sql.QueryContext(ctx, `SELECT id FROM records ORDER BY rowid`)
	if err != nil {
		return nil, err
	}
	defer rrows.Close()
	for rrows.Next() {
		var id string
		if err := rrows.Scan(&id); err != nil {
			return nil, err
		}
		present[id] = true
		if _, ok := records[id]; !ok {
			rep.add(DataProblem{RecordID: id, Msg: "it is not in the audit trail (stored behind fieldbench's back, or the rows that recorded it were deleted)"})
		}
	}
	if err := rrows.Err(); err != nil {
		return nil, err
	}
	var missing []string
	for id := range records {
		if !present[id] && !discarded[id] {
			missing = append(missing, id)
		}
	}
	sort.Slice(missing, func(i, j int) bool { return records[missing[i]] < records[missing[j]] })
	for _, id := range missing {
		rep.add(DataProblem{RecordID: id, Msg: fmt.Sprintf("named in audit row %d, it is gone (deleted)", records[id])})
	}
	return rep, nil
}
