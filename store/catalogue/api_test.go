package catalogue

import "github.com/fieldbench/fieldbench/sync/api"

// The database is what the catalogue's HTTP API asks of it. The API
// defines these interfaces where it uses them, and the database does not
// import the API: the check lives here, and in cmd/fieldbench's wiring.
var (
	_ api.Catalogue = (*DB)(nil)
	_ api.Reviews   = (*DB)(nil)
	_ api.Exporter  = (*DB)(nil)
)
