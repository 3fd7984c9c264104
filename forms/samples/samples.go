package samples

import "embed"

// FS holds the sample forms, embedded so that a new installation can offer
// them without any file next to the binary.
//
//go:embed *.xlsx
var FS embed.FS

// The samples' versions (mksamples writes them). A changed definition
// gets a new version, as ODK requires: records name the (form_id,
// version) they were made with, and a laptop that holds a version keeps
// that definition. household_visit 2026120701 registered no entities;
// 2026121001 registers households and persons. Tests that store records
// of a sample name its version by these constants.
const (
	HouseholdVisitVersion    = "2026121001"
	BusinessCensusVersion    = "2026112701"
	HouseholdFollowupVersion = "2026120701"
)

// Identity is the form_id and version of each sample, by file name, as
// its settings sheet gives them (TestIdentity checks): what a laptop
// compares with the versions it holds without loading any workbook.
var Identity = map[string]struct{ FormID, Version string }{
	"household_visit.xlsx":    {"household_visit", HouseholdVisitVersion},
	"business_census.xlsx":    {"business_census", BusinessCensusVersion},
	"household_followup.xlsx": {"household_followup", HouseholdFollowupVersion},
}

// Names lists the sample forms in the order they are offered.
var Names = []string{"household_visit.xlsx", "business_census.xlsx"}

// FollowUps lists the sample forms that read an entity list another form
// fills: household_followup reads households.csv, the households list
// household_visit registers. Such a form loads only with its list given,
// which the laptop's and the catalogue's stores serve from their copy
// (forms.Form.EntityListFiles), so it is not among Names.
var FollowUps = []string{"household_followup.xlsx"}
