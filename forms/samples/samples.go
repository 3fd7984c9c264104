package samples

import "embed"

// FS holds the sample forms, embedded so that a new installation can offer
// them without any file next to the binary.
//
//go:embed *.xlsx
var FS embed.FS

// Names lists the sample forms in the order they are offered.
var Names = []string{"household_visit.xlsx", "business_census.xlsx"}
