package samples

import "embed"

// FS holds the sample forms, embedded so that a new installation can offer
// them without any file next to the binary.
//
//go:embed *.xlsx
var FS embed.FS

// Names lists the sample forms in the order they are offered.
var Names = []string{"household_visit.xlsx", "business_census.xlsx"}

// FollowUps lists the sample forms that read an entity list another form
// fills: household_followup reads households.csv, the households list
// household_visit registers. Such a form loads only with its list given,
// which the laptop's and the catalogue's stores serve from their copy
// (forms.Form.EntityListFiles), so it is not among Names.
var FollowUps = []string{"household_followup.xlsx"}
