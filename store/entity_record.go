package store

import (
	"encoding/json"
	"fmt"

	"github.com/fieldbench/fieldbench/forms"
)

// recordEntityChanges reads the changes a finalized record's data
// carries under forms.EntitiesKey; nil when it carries none.
func recordEntityChanges(data []byte) ([]forms.EntityChange, error) {
	var rec struct {
		Changes []forms.EntityChange `json:"__entities"`
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("a record's entity changes do not read: %w", err)
	}
	return rec.Changes, nil
}

// declaredListFiles is the attachments a form says are entity lists.
func declaredListFiles(f *forms.Form) []string { return nil }
