package expr

import (
	"testing"
	"time"
)

// TestDateToDaysFastPath holds the plain-date shortcut of dateToDays to what
// time.Time gives, over every day of the years an answer can name.
func TestDateToDaysFastPath(t *testing.T) {
	for day := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() < 10000; day = day.AddDate(0, 0, 1) {
		want := float64(day.Unix()) / secondsPerDay
		s := day.Format(layoutDate)
		if got, ok := dateToDays(s); !ok || got != want {
			t.Fatalf("dateToDays(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
}
