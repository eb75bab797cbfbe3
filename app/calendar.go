package app

import (
	"math"
	"sort"
	"time"
)

// Calendar is an office calendar (lịch làm việc): the office hours of a
// working day, the Monday–Friday week and the per-date entries that override
// it (holidays, swapped days, make-up Saturdays). All dates are read in the
// Vietnam zone. A Calendar is immutable once built and safe for concurrent use.
type Calendar struct {
	hours   OfficeHours
	entries map[string]CalendarEntry // by YYYY-MM-DD
}

// dateLayout is the layout of CalendarEntry.Date.
const dateLayout = "2006-01-02"

// NewCalendar builds a calendar. Invalid office hours fall back to
// DefaultOfficeHours (the settings screen validates them before saving).
// Entries with an unreadable date are ignored; when a date appears twice the
// last entry wins.
func NewCalendar(hours OfficeHours, entries []CalendarEntry) *Calendar {
	if hours.Validate() != nil {
		hours = DefaultOfficeHours()
	}
	c := &Calendar{hours: append(OfficeHours(nil), hours...), entries: make(map[string]CalendarEntry, len(entries))}
	for _, e := range entries {
		d, err := time.ParseInLocation(dateLayout, e.Date, Vietnam)
		if err != nil || (e.Kind != DayOff && e.Kind != WorkingDay) {
			continue
		}
		e.Date = d.Format(dateLayout)
		c.entries[e.Date] = e
	}
	return c
}

// Hours returns the office hours the calendar uses.
func (c *Calendar) Hours() OfficeHours { return append(OfficeHours(nil), c.hours...) }

// Entries returns the calendar entries sorted by date.
func (c *Calendar) Entries() []CalendarEntry {
	out := make([]CalendarEntry, 0, len(c.entries))
	for _, e := range c.entries {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}

// midnight is the start of t's day in the Vietnam zone.
func midnight(t time.Time) time.Time {
	t = t.In(Vietnam)
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Vietnam)
}

// clockOffset converts a ClockTime to a duration after midnight. Vietnam has
// no daylight saving, so midnight + offset is always the wall-clock time.
func clockOffset(ct ClockTime) time.Duration { return time.Duration(ct) * time.Minute }

// IsWorkingDay reports whether t's date (Vietnam zone) is a working day: an
// entry decides, otherwise Monday to Friday.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	day := midnight(t)
	if e, ok := c.entries[day.Format(dateLayout)]; ok {
		return e.Kind == WorkingDay
	}
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// maxScan bounds the search for a working day so that a calendar made of
// day_off entries only can never loop forever (ten years).
const maxScan = 3660

// NextWorkingDay returns the opening time of the first working day after t's
// date.
func (c *Calendar) NextWorkingDay(t time.Time) time.Time {
	day := midnight(t)
	for i := 0; i < maxScan; i++ {
		day = day.AddDate(0, 0, 1)
		if c.IsWorkingDay(day) {
			break
		}
	}
	return day.Add(clockOffset(c.hours[0].Start))
}

// CloseOf returns the closing time of t's day (the end of the last period).
func (c *Calendar) CloseOf(t time.Time) time.Time {
	return midnight(t).Add(clockOffset(c.hours[len(c.hours)-1].End))
}

// Normalize moves a receipt time into working time (domain.md §5.3 step 1):
// before opening → opening; in a break → the start of the next period; at or
// after closing, or on a non-working day → the next working day's opening.
// A time inside a working period is returned unchanged (in the Vietnam zone).
func (c *Calendar) Normalize(t time.Time) time.Time {
	t = t.In(Vietnam)
	if c.IsWorkingDay(t) {
		day := midnight(t)
		off := t.Sub(day)
		for _, iv := range c.hours {
			if off < clockOffset(iv.Start) {
				return day.Add(clockOffset(iv.Start))
			}
			if off < clockOffset(iv.End) {
				return t
			}
		}
	}
	return c.NextWorkingDay(t)
}

// hoursToDuration converts fractional hours, rounded to the second so that
// 0.1-hour steps do not leave nanosecond residues.
func hoursToDuration(h float64) time.Duration {
	return time.Duration(math.Round(h*3600)) * time.Second
}

// AddWorkingHours walks forward from t through working periods until hours
// are consumed (domain.md §5.3 step 2). When they run out exactly at the end
// of a period, the result is that end (11:30 or 17:00), not the next opening.
// Zero or negative hours return Normalize(t).
func (c *Calendar) AddWorkingHours(t time.Time, hours float64) time.Time {
	cur := c.Normalize(t)
	left := hoursToDuration(hours)
	if left <= 0 {
		return cur
	}
	for {
		day := midnight(cur)
		off := cur.Sub(day)
		for _, iv := range c.hours {
			end := clockOffset(iv.End)
			if off >= end {
				continue
			}
			start := max(off, clockOffset(iv.Start))
			if left <= end-start {
				return day.Add(start + left)
			}
			left -= end - start
		}
		cur = c.NextWorkingDay(day)
	}
}

// workingBetween is the working time in [a, b).
func (c *Calendar) workingBetween(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	var total time.Duration
	last := midnight(b)
	for day := midnight(a); !day.After(last); day = day.AddDate(0, 0, 1) {
		if !c.IsWorkingDay(day) {
			continue
		}
		for _, iv := range c.hours {
			s := day.Add(clockOffset(iv.Start))
			e := day.Add(clockOffset(iv.End))
			if s.Before(a) {
				s = a
			}
			if e.After(b) {
				e = b
			}
			if e.After(s) {
				total += e.Sub(s)
			}
		}
	}
	return total
}

// WorkingHoursBetween returns the working hours between a and b (0 when b is
// not after a). The "pause" supplement policy extends a due date by it.
func (c *Calendar) WorkingHoursBetween(a, b time.Time) float64 {
	return c.workingBetween(a, b).Hours()
}

// Due computes the appointment date (ngày hẹn trả) of a dossier received at
// received under rule r (domain.md §5.2, §5.3). ok is false for the none kind
// and for a rule that cannot produce a date (unknown kind, no duration).
//
//   - working_hours: AddWorkingHours from the receipt time.
//   - calendar_days: the receipt instant itself plus N days (Civil Code 2015
//     Art. 147: the day of receipt is not counted); when that is not a
//     working day, the next working day at the same clock time; when that
//     clock time is outside office hours, the next working instant
//     (Normalize). Sat 07/03/2026 09:00 + 4 days → Wed 11/03/2026 09:00.
//   - same_day: received strictly before the cut-off (and before closing) on
//     a working day → closing time that day; otherwise (exactly at the
//     cut-off included) → closing time of the next working day.
//   - immediate: closing time of the normalised receipt day.
func (c *Calendar) Due(received time.Time, r TimeRule) (due time.Time, ok bool) {
	received = received.In(Vietnam)
	switch r.Kind {
	case TimeWorkingHours:
		if r.Hours <= 0 {
			return time.Time{}, false
		}
		return c.AddWorkingHours(received, r.Hours), true
	case TimeCalendarDays:
		if r.Days <= 0 {
			return time.Time{}, false
		}
		// Civil Code 2015 Art. 147: the period starts the day after the
		// receipt, so the N days are added to the receipt instant itself,
		// not to the normalised one.
		due := received.AddDate(0, 0, r.Days)
		if !c.IsWorkingDay(due) {
			due = midnight(c.NextWorkingDay(due)).Add(due.Sub(midnight(due)))
		}
		return c.Normalize(due), true
	case TimeSameDay:
		day := midnight(received)
		off := received.Sub(day)
		if c.IsWorkingDay(received) && off < clockOffset(r.Cutoff) && received.Before(c.CloseOf(received)) {
			return c.CloseOf(received), true
		}
		return c.CloseOf(c.NextWorkingDay(received)), true
	case TimeImmediate:
		return c.CloseOf(c.Normalize(received)), true
	}
	return time.Time{}, false
}

// Classify compares the time processing finished with the appointment time
// (domain.md §5.5): after due → late; on or before due and on an earlier
// calendar day (Vietnam zone) → early; on or before due the same day → on
// time. A zero time on either side gives OutcomeNone.
func Classify(finished, due time.Time) Outcome {
	if finished.IsZero() || due.IsZero() {
		return OutcomeNone
	}
	if finished.After(due) {
		return OutcomeLate
	}
	if midnight(finished).Before(midnight(due)) {
		return OutcomeEarly
	}
	return OutcomeOnTime
}

// Overdue reports whether an open dossier with appointment due is late at now
// (quá hạn). A zero due (the none rule) is never overdue.
func Overdue(due, now time.Time) bool {
	return !due.IsZero() && due.Before(now)
}

// DueSoon reports whether an open dossier is not yet overdue but its due is
// within windowHours working hours of now (tới hạn). Working time is counted,
// so on Friday afternoon a Monday-morning due is soon.
func (c *Calendar) DueSoon(due, now time.Time, windowHours float64) bool {
	if due.IsZero() || due.Before(now) {
		return false
	}
	return c.workingBetween(now, due) <= hoursToDuration(windowHours)
}
