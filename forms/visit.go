package forms

import (
	"strings"
	"time"
)

// VisitTime is when a record says it was collected, read from its own
// metadata: the end time (stamped by the device as the collector
// finalizes, as ODK Collect does), else the start time; each a top-level
// member of the record, in RFC 3339 (a time written without its offset,
// as a hand-made file may, is read in the local zone). It is zero when
// the form has neither or the record holds no time there. value gives
// the text of a top-level member of the record by its key.
//
// The record's own time, not when a database stored it: a record
// imported a week after the visit, or synced a month later, was still
// collected then. Entity lists show it as the entity's last visit.
func (f *Form) VisitTime(value func(key string) string) time.Time {
	for _, typ := range [...]Type{TypeEnd, TypeStart} {
		for _, fd := range f.Fields {
			if fd.Type != typ || fd.Repeat != nil {
				continue
			}
			if t, ok := parseVisitTime(strings.TrimSpace(value(fd.Key))); ok {
				return t
			}
		}
	}
	return time.Time{}
}

// VisitTime is the form's VisitTime of this record.
func (in *Instance) VisitTime() time.Time { return in.form.VisitTime(in.Answer) }

// zonelessDateTime is a dateTime answer without its offset.
const zonelessDateTime = "2006-01-02T15:04:05.999999999"

func parseVisitTime(v string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, true
	}
	t, err := time.ParseInLocation(zonelessDateTime, v, time.Local)
	return t, err == nil
}
