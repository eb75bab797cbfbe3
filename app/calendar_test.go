package app

import (
	"testing"
	"time"
)

// vn builds a time in the Vietnam zone.
func vn(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, Vietnam)
}

// testCalendar has the default hours and the holidays of the worked examples
// of domain.md §5.3, plus one make-up Saturday (làm bù) for the edge cases.
func testCalendar() *Calendar {
	var es []CalendarEntry
	for _, d := range []string{"2025-04-30", "2025-05-01", "2025-09-01", "2025-09-02",
		"2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"} {
		es = append(es, CalendarEntry{Date: d, Kind: DayOff, Note: "Nghỉ lễ"})
	}
	es = append(es, CalendarEntry{Date: "2025-06-14", Kind: WorkingDay, Note: "Làm bù"})
	return NewCalendar(DefaultOfficeHours(), es)
}

var (
	sameDay15   = TimeRule{Kind: TimeSameDay, Cutoff: At(15, 0)}
	immediate   = TimeRule{Kind: TimeImmediate}
	calendarDay = func(n int) TimeRule { return TimeRule{Kind: TimeCalendarDays, Days: n} }
	workHours   = func(h float64) TimeRule { return TimeRule{Kind: TimeWorkingHours, Hours: h} }
)

func TestCalendarDue(t *testing.T) {
	cal := testCalendar()
	tests := []struct {
		name     string
		received time.Time
		rule     TimeRule
		want     time.Time
	}{
		// domain.md §5.3 worked examples.
		{"§5.3 3 days over 30/4–1/5", vn(2025, 4, 28, 9, 0), WorkingDays(3), vn(2025, 5, 5, 9, 0)},
		{"§5.3 4 h from lunch", vn(2025, 4, 29, 12, 0), workHours(4), vn(2025, 5, 2, 7, 30)},
		{"§5.3 4 h from 15:00", vn(2025, 4, 29, 15, 0), workHours(4), vn(2025, 5, 2, 9, 0)},
		{"§5.3 1 day over 1–2/9", vn(2025, 8, 29, 14, 0), WorkingDays(1), vn(2025, 9, 3, 14, 0)},
		{"§5.3 5 days over Tết 2026", vn(2026, 2, 13, 10, 0), WorkingDays(5), vn(2026, 2, 27, 10, 0)},
		{"§5.3 5 calendar days onto Tết", vn(2026, 2, 13, 10, 0), calendarDay(5), vn(2026, 2, 23, 10, 0)},

		// working_hours edges.
		{"received exactly 11:30", vn(2025, 6, 2, 11, 30), workHours(3.5), vn(2025, 6, 2, 17, 0)},
		{"received exactly 11:30, 4 h", vn(2025, 6, 2, 11, 30), workHours(4), vn(2025, 6, 3, 7, 30)},
		{"received exactly 17:00", vn(2025, 6, 2, 17, 0), WorkingDays(1), vn(2025, 6, 3, 17, 0)},
		{"received exactly 07:00 ends at 11:30", vn(2025, 6, 2, 7, 0), workHours(4.5), vn(2025, 6, 2, 11, 30)},
		{"received before opening", vn(2025, 6, 2, 6, 15), workHours(1), vn(2025, 6, 2, 8, 0)},
		{"received late evening", vn(2025, 6, 2, 21, 0), workHours(1), vn(2025, 6, 3, 8, 0)},
		{"received Saturday", vn(2025, 6, 7, 10, 0), WorkingDays(1), vn(2025, 6, 9, 17, 0)},
		{"received Sunday, 5 days end Friday 17:00", vn(2025, 6, 8, 10, 0), WorkingDays(5), vn(2025, 6, 13, 17, 0)},
		{"through a làm bù Saturday", vn(2025, 6, 13, 15, 0), WorkingDays(1), vn(2025, 6, 14, 15, 0)},
		{"half day morning", vn(2025, 6, 2, 9, 0), WorkingDays(0.5), vn(2025, 6, 2, 15, 0)},
		{"half day afternoon", vn(2025, 6, 2, 14, 0), WorkingDays(0.5), vn(2025, 6, 3, 8, 0)},
		{"half day from 13:30 ends 17:00", vn(2025, 6, 2, 13, 30), workHours(3.5), vn(2025, 6, 2, 17, 0)},
		{"received on a holiday", vn(2025, 4, 30, 9, 0), WorkingDays(1), vn(2025, 5, 2, 17, 0)},
		{"15 days", vn(2025, 8, 20, 10, 0), WorkingDays(15), vn(2025, 9, 12, 10, 0)},

		// same_day with the 15:00 cut-off (Decree 23/2015 Art. 7).
		{"same_day before cut-off", vn(2025, 6, 2, 14, 59), sameDay15, vn(2025, 6, 2, 17, 0)},
		{"same_day exactly at cut-off", vn(2025, 6, 2, 15, 0), sameDay15, vn(2025, 6, 3, 17, 0)},
		{"same_day after cut-off", vn(2025, 6, 2, 15, 30), sameDay15, vn(2025, 6, 3, 17, 0)},
		{"same_day before opening", vn(2025, 6, 2, 6, 30), sameDay15, vn(2025, 6, 2, 17, 0)},
		{"same_day in lunch", vn(2025, 6, 2, 12, 0), sameDay15, vn(2025, 6, 2, 17, 0)},
		{"same_day Friday after cut-off over 1–2/9", vn(2025, 8, 29, 16, 0), sameDay15, vn(2025, 9, 3, 17, 0)},
		{"same_day Saturday", vn(2025, 6, 7, 9, 0), sameDay15, vn(2025, 6, 9, 17, 0)},
		{"same_day làm bù Saturday", vn(2025, 6, 14, 9, 0), sameDay15, vn(2025, 6, 14, 17, 0)},

		// immediate: closing time of the normalised receipt day.
		{"immediate in lunch", vn(2025, 6, 2, 12, 15), immediate, vn(2025, 6, 2, 17, 0)},
		{"immediate morning", vn(2025, 6, 2, 8, 0), immediate, vn(2025, 6, 2, 17, 0)},
		{"immediate exactly 17:00", vn(2025, 6, 2, 17, 0), immediate, vn(2025, 6, 3, 17, 0)},
		{"immediate on a holiday", vn(2025, 4, 30, 9, 0), immediate, vn(2025, 5, 2, 17, 0)},

		// calendar_days.
		{"calendar_days onto Saturday", vn(2025, 6, 2, 10, 0), calendarDay(5), vn(2025, 6, 9, 10, 0)},
		{"calendar_days onto Sunday", vn(2025, 6, 3, 10, 0), calendarDay(5), vn(2025, 6, 9, 10, 0)},
		{"calendar_days onto làm bù Saturday", vn(2025, 6, 9, 10, 0), calendarDay(5), vn(2025, 6, 14, 10, 0)},
		{"calendar_days onto 1–2/9", vn(2025, 8, 26, 10, 0), calendarDay(6), vn(2025, 9, 3, 10, 0)},
		// Civil Code 2015 Art. 147: counted from the receipt instant itself,
		// not from the normalised one (domain.md §5.3 step 3).
		{"§5.3 Sat 07/03/2026 09:00 + 4 calendar days", vn(2026, 3, 7, 9, 0), calendarDay(4), vn(2026, 3, 11, 9, 0)},
		{"calendar_days received Saturday", vn(2025, 6, 7, 10, 0), calendarDay(3), vn(2025, 6, 10, 10, 0)},
		{"calendar_days received Sunday before opening", vn(2025, 6, 8, 6, 0), calendarDay(1), vn(2025, 6, 9, 7, 0)},
		{"calendar_days received in lunch, due in lunch", vn(2025, 6, 2, 12, 0), calendarDay(2), vn(2025, 6, 4, 13, 30)},
		{"calendar_days received after closing", vn(2025, 6, 2, 18, 0), calendarDay(2), vn(2025, 6, 5, 7, 0)},
		{"calendar_days received Friday evening onto Monday", vn(2025, 6, 6, 19, 0), calendarDay(3), vn(2025, 6, 10, 7, 0)},
		{"calendar_days received Saturday onto a holiday", vn(2025, 4, 26, 9, 0), calendarDay(4), vn(2025, 5, 2, 9, 0)},

		// The zone of the input does not matter: 02:00 UTC is 09:00 in Vietnam.
		{"received in UTC", time.Date(2025, 4, 28, 2, 0, 0, 0, time.UTC), WorkingDays(3), vn(2025, 5, 5, 9, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := cal.Due(tt.received, tt.rule)
			if !ok {
				t.Fatalf("Due(%v, %+v) not ok", tt.received, tt.rule)
			}
			if !got.Equal(tt.want) || got.Location() != Vietnam {
				t.Errorf("Due(%v, %+v) = %v, want %v", tt.received, tt.rule, got, tt.want)
			}
			// The pause policy relies on this: the working time between
			// receipt and due is the rule's duration.
			if tt.rule.Kind == TimeWorkingHours {
				if h := cal.WorkingHoursBetween(tt.received, got); h != tt.rule.Hours {
					t.Errorf("WorkingHoursBetween(received, due) = %v, want %v", h, tt.rule.Hours)
				}
			}
		})
	}
}

func TestCalendarDueNoDate(t *testing.T) {
	cal := testCalendar()
	for _, r := range []TimeRule{
		{Kind: TimeNone},
		{Kind: TimeWorkingHours},
		{Kind: TimeCalendarDays},
		{Kind: "weekly"},
	} {
		if got, ok := cal.Due(vn(2025, 6, 2, 9, 0), r); ok || !got.IsZero() {
			t.Errorf("Due(%+v) = %v, %v; want zero, false", r, got, ok)
		}
	}
}

func TestCalendarNormalize(t *testing.T) {
	cal := testCalendar()
	tests := []struct {
		name string
		in   time.Time
		want time.Time
	}{
		{"before opening", vn(2025, 6, 2, 6, 59), vn(2025, 6, 2, 7, 0)},
		{"at opening", vn(2025, 6, 2, 7, 0), vn(2025, 6, 2, 7, 0)},
		{"morning", vn(2025, 6, 2, 11, 29), vn(2025, 6, 2, 11, 29)},
		{"exactly 11:30", vn(2025, 6, 2, 11, 30), vn(2025, 6, 2, 13, 30)},
		{"lunch", vn(2025, 6, 2, 12, 0), vn(2025, 6, 2, 13, 30)},
		{"afternoon start", vn(2025, 6, 2, 13, 30), vn(2025, 6, 2, 13, 30)},
		{"one second before closing", vn(2025, 6, 2, 16, 59).Add(59 * time.Second), vn(2025, 6, 2, 16, 59).Add(59 * time.Second)},
		{"exactly 17:00", vn(2025, 6, 2, 17, 0), vn(2025, 6, 3, 7, 0)},
		{"Friday evening", vn(2025, 6, 6, 20, 0), vn(2025, 6, 9, 7, 0)},
		{"Saturday", vn(2025, 6, 7, 9, 0), vn(2025, 6, 9, 7, 0)},
		{"holiday", vn(2025, 4, 30, 9, 0), vn(2025, 5, 2, 7, 0)},
		{"Tết week", vn(2026, 2, 13, 17, 30), vn(2026, 2, 23, 7, 0)},
		{"làm bù Saturday", vn(2025, 6, 14, 6, 0), vn(2025, 6, 14, 7, 0)},
		{"UTC evening is Vietnam Saturday", time.Date(2025, 6, 6, 23, 30, 0, 0, time.UTC), vn(2025, 6, 9, 7, 0)},
	}
	for _, tt := range tests {
		if got := cal.Normalize(tt.in); !got.Equal(tt.want) || got.Location() != Vietnam {
			t.Errorf("%s: Normalize(%v) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestCalendarAddWorkingHours(t *testing.T) {
	cal := testCalendar()
	tests := []struct {
		from  time.Time
		hours float64
		want  time.Time
	}{
		{vn(2025, 6, 2, 12, 0), 0, vn(2025, 6, 2, 13, 30)},
		{vn(2025, 6, 2, 7, 0), 8, vn(2025, 6, 2, 17, 0)},
		{vn(2025, 6, 2, 7, 0), 8.5, vn(2025, 6, 3, 7, 30)},
		{vn(2025, 6, 2, 11, 0), 0.5, vn(2025, 6, 2, 11, 30)},
		{vn(2025, 6, 2, 11, 0), 0.75, vn(2025, 6, 2, 13, 45)},
		{vn(2025, 6, 2, 10, 0), 0.1, vn(2025, 6, 2, 10, 6)},
	}
	for _, tt := range tests {
		if got := cal.AddWorkingHours(tt.from, tt.hours); !got.Equal(tt.want) {
			t.Errorf("AddWorkingHours(%v, %v) = %v, want %v", tt.from, tt.hours, got, tt.want)
		}
	}
}

func TestCalendarWorkingHoursBetween(t *testing.T) {
	cal := testCalendar()
	tests := []struct {
		name string
		a, b time.Time
		want float64
	}{
		{"same morning", vn(2025, 6, 2, 8, 0), vn(2025, 6, 2, 10, 30), 2.5},
		{"across lunch", vn(2025, 6, 2, 11, 0), vn(2025, 6, 2, 14, 0), 1},
		{"inside lunch", vn(2025, 6, 2, 11, 45), vn(2025, 6, 2, 13, 0), 0},
		{"whole day", vn(2025, 6, 2, 0, 0), vn(2025, 6, 3, 0, 0), 8},
		{"weekend", vn(2025, 6, 6, 17, 0), vn(2025, 6, 9, 7, 0), 0},
		{"over 1–2/9", vn(2025, 8, 29, 14, 0), vn(2025, 9, 3, 14, 0), 8},
		{"làm bù Saturday counts", vn(2025, 6, 13, 17, 0), vn(2025, 6, 16, 7, 0), 8},
		{"reversed", vn(2025, 6, 3, 9, 0), vn(2025, 6, 2, 9, 0), 0},
		{"equal", vn(2025, 6, 2, 9, 0), vn(2025, 6, 2, 9, 0), 0},
	}
	for _, tt := range tests {
		if got := cal.WorkingHoursBetween(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: WorkingHoursBetween = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCalendarDays(t *testing.T) {
	cal := testCalendar()
	days := []struct {
		t       time.Time
		working bool
	}{
		{vn(2025, 6, 2, 9, 0), true},
		{vn(2025, 6, 7, 9, 0), false},
		{vn(2025, 6, 8, 9, 0), false},
		{vn(2025, 6, 14, 9, 0), true}, // làm bù
		{vn(2025, 4, 30, 9, 0), false},
		{vn(2026, 2, 18, 9, 0), false},
		{time.Date(2025, 6, 6, 23, 30, 0, 0, time.UTC), false}, // Saturday 06:30 in Vietnam
		{time.Date(2025, 6, 1, 18, 0, 0, 0, time.UTC), true},   // Monday 01:00 in Vietnam
	}
	for _, d := range days {
		if got := cal.IsWorkingDay(d.t); got != d.working {
			t.Errorf("IsWorkingDay(%v) = %v, want %v", d.t, got, d.working)
		}
	}
	next := []struct{ from, want time.Time }{
		{vn(2025, 8, 29, 14, 0), vn(2025, 9, 3, 7, 0)},
		{vn(2025, 4, 29, 8, 0), vn(2025, 5, 2, 7, 0)},
		{vn(2025, 6, 13, 8, 0), vn(2025, 6, 14, 7, 0)},
		{vn(2025, 6, 2, 6, 0), vn(2025, 6, 3, 7, 0)}, // strictly after the date
	}
	for _, n := range next {
		if got := cal.NextWorkingDay(n.from); !got.Equal(n.want) {
			t.Errorf("NextWorkingDay(%v) = %v, want %v", n.from, got, n.want)
		}
	}
	if got, want := cal.CloseOf(vn(2025, 6, 2, 9, 0)), vn(2025, 6, 2, 17, 0); !got.Equal(want) {
		t.Errorf("CloseOf = %v, want %v", got, want)
	}
	// A calendar of holidays only still terminates.
	var all []CalendarEntry
	for d := vn(2025, 1, 1, 0, 0); d.Year() == 2025; d = d.AddDate(0, 0, 1) {
		all = append(all, CalendarEntry{Date: d.Format("2006-01-02"), Kind: DayOff})
	}
	if got := NewCalendar(nil, all).NextWorkingDay(vn(2025, 1, 1, 9, 0)); got.Year() != 2026 {
		t.Errorf("NextWorkingDay in a year of holidays = %v", got)
	}
}

func TestCalendarEntriesAndHours(t *testing.T) {
	cal := NewCalendar(OfficeHours{{At(8, 0), At(7, 0)}}, []CalendarEntry{
		{Date: "2025-09-02", Kind: DayOff, Note: "Quốc khánh"},
		{Date: "2025-01-01", Kind: DayOff, Note: "Tết Dương lịch"},
		{Date: "2025-09-02", Kind: WorkingDay, Note: "sửa"},
		{Date: "2/9/2025", Kind: DayOff},
		{Date: "2025-05-01", Kind: "maybe"},
	})
	es := cal.Entries()
	if len(es) != 2 || es[0].Date != "2025-01-01" || es[1].Date != "2025-09-02" || es[1].Kind != WorkingDay {
		t.Errorf("Entries() = %+v", es)
	}
	if h := cal.Hours(); len(h) != 2 || h[0].Start != At(7, 0) {
		t.Errorf("invalid hours not replaced by the default: %v", h)
	}
	// Half-day office: one morning period.
	morning := NewCalendar(OfficeHours{{At(7, 30), At(11, 30)}}, nil)
	if got, _ := morning.Due(vn(2025, 6, 2, 10, 0), WorkingDays(1)); !got.Equal(vn(2025, 6, 4, 10, 0)) {
		t.Errorf("morning-only office: due = %v", got)
	}
	if got := morning.Normalize(vn(2025, 6, 2, 12, 0)); !got.Equal(vn(2025, 6, 3, 7, 30)) {
		t.Errorf("morning-only office: Normalize = %v", got)
	}
}

func TestClassify(t *testing.T) {
	due := vn(2025, 6, 2, 17, 0)
	tests := []struct {
		name     string
		finished time.Time
		due      time.Time
		want     Outcome
	}{
		{"exactly at due", due, due, OutcomeOnTime},
		{"one second late", due.Add(time.Second), due, OutcomeLate},
		{"same day morning", vn(2025, 6, 2, 7, 0), due, OutcomeOnTime},
		{"same day midnight", vn(2025, 6, 2, 0, 0), due, OutcomeOnTime},
		{"day before, last minute", vn(2025, 6, 1, 23, 59), due, OutcomeEarly},
		{"next morning", vn(2025, 6, 3, 8, 0), due, OutcomeLate},
		{"earlier day, later clock", vn(2025, 6, 1, 16, 0), vn(2025, 6, 2, 9, 0), OutcomeEarly},
		{"UTC day before is Vietnam same day", time.Date(2025, 6, 1, 17, 30, 0, 0, time.UTC), due, OutcomeOnTime},
		{"UTC same day is Vietnam earlier day", time.Date(2025, 6, 1, 16, 59, 0, 0, time.UTC), due, OutcomeEarly},
		{"no due", vn(2025, 6, 2, 9, 0), time.Time{}, OutcomeNone},
		{"not finished", time.Time{}, due, OutcomeNone},
	}
	for _, tt := range tests {
		if got := Classify(tt.finished, tt.due); got != tt.want {
			t.Errorf("%s: Classify(%v, %v) = %q, want %q", tt.name, tt.finished, tt.due, got, tt.want)
		}
	}
}

func TestCalendarDueSoonOverdue(t *testing.T) {
	cal := testCalendar()
	now := vn(2025, 6, 6, 16, 0) // Friday
	tests := []struct {
		name          string
		due           time.Time
		soon, overdue bool
	}{
		{"Monday morning", vn(2025, 6, 9, 7, 0), true, false},
		{"Monday 16:00, exactly 8 h", vn(2025, 6, 9, 16, 0), true, false},
		{"Monday 17:00, 9 h", vn(2025, 6, 9, 17, 0), false, false},
		{"now", now, true, false},
		{"an hour ago", now.Add(-time.Hour), false, true},
		{"no due", time.Time{}, false, false},
	}
	for _, tt := range tests {
		if got := cal.DueSoon(tt.due, now, 8); got != tt.soon {
			t.Errorf("%s: DueSoon = %v, want %v", tt.name, got, tt.soon)
		}
		if got := Overdue(tt.due, now); got != tt.overdue {
			t.Errorf("%s: Overdue = %v, want %v", tt.name, got, tt.overdue)
		}
	}
}

func BenchmarkDue(b *testing.B) {
	cal := NewCalendar(DefaultOfficeHours(), StatutoryHolidays(2026))
	received := vn(2026, 2, 10, 9, 15)
	rule := WorkingDays(15)
	for b.Loop() {
		cal.Due(received, rule)
	}
}
