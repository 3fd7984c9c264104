package api

import (
	"errors"
	"strconv"
	"sync"

	"github.com/fieldbench/fieldbench/sync/wire"
)

// prevalidated is a batch's check, and what it found, for the log.
type prevalidated struct {
	check  Check
	mu     sync.Mutex
	failed map[string]*checkFailure // by version id
}

func (p *prevalidated) note(versionID string, err error) {
	var cf *checkFailure
	if errors.As(err, &cf) {
		p.mu.Lock()
		p.failed[versionID] = cf
		p.mu.Unlock()
	}
}

// logReason is a refused record's reason as the server's log gives it:
// a failed check by where and which rule, never what was answered; the
// catalogue's own reasons (made of ids) as they are, quoted.
func (p *prevalidated) logReason(res wire.Result) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if cf := p.failed[res.VersionID]; cf != nil && cf.reason == res.Reason {
		return cf.where
	}
	return strconv.Quote(res.Reason)
}

// checkFailure is a record that fails its form's checks. The reason goes
// back to the laptop in the receipt and may quote answers (a choice that
// is not on the list, a custom constraint message); where names only the
// paths and the rules, for the server's log.
type checkFailure struct{ reason, where string }

func (e *checkFailure) Error() string { return e.reason }
