// Package samples holds fieldbench's sample XLSForms, household_visit.xlsx
// and business_census.xlsx. The workbooks are generated from the Go tables
// in ./mksamples; edit those and run `go generate ./forms/samples` (or
// `go run ./forms/samples/mksamples` from the repository root).
package samples

//go:generate go run ./mksamples -out .
