package app

import (
	"strings"
	"testing"
	"time"
)

func holidayDates(es []CalendarEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Date
	}
	return out
}

func TestStatutoryHolidays(t *testing.T) {
	tests := []struct {
		year int
		want []string
	}{
		{2023, []string{
			"2023-01-01", "2023-01-02", // Sunday → Monday
			"2023-01-21", "2023-01-22", "2023-01-23", "2023-01-24", "2023-01-25",
			"2023-01-26", "2023-01-27", // for Sat 21/1 and Sun 22/1
			"2023-04-29", "2023-04-30", "2023-05-01", // Giỗ Tổ Sat, 30/4 Sun
			"2023-05-02", "2023-05-03",
			"2023-09-01", "2023-09-02", "2023-09-04", // 2/9 Saturday
		}},
		{2025, []string{
			"2025-01-01",
			"2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01",
			"2025-02-03", // mùng 4 on Saturday
			"2025-04-07", "2025-04-30", "2025-05-01", "2025-09-01", "2025-09-02",
		}},
		{2026, []string{
			"2026-01-01",
			"2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
			"2026-04-26", "2026-04-27", // Giỗ Tổ on Sunday → Monday, as in the 2026 notice
			"2026-04-30", "2026-05-01", "2026-09-01", "2026-09-02",
			"2026-11-24",
		}},
		{2027, []string{
			"2027-01-01",
			"2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09",
			"2027-02-10", "2027-02-11",
			"2027-04-16", "2027-04-30", "2027-05-01", "2027-05-03",
			"2027-09-01", "2027-09-02", "2027-11-24",
		}},
	}
	for _, tt := range tests {
		got := holidayDates(StatutoryHolidays(tt.year))
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("StatutoryHolidays(%d)\n got %v\nwant %v", tt.year, got, tt.want)
		}
	}
}

func TestStatutoryHolidayNotes(t *testing.T) {
	notes := map[string]string{}
	for _, e := range StatutoryHolidays(2026) {
		notes[e.Date] = e.Note
		if e.Kind != DayOff || e.Source == "" {
			t.Errorf("%s: kind %q source %q", e.Date, e.Kind, e.Source)
		}
	}
	want := map[string]string{
		"2026-01-01": "Tết Dương lịch",
		"2026-02-16": "Tết Nguyên đán (29 Tết)",
		"2026-02-17": "Tết Nguyên đán (mùng 1)",
		"2026-04-26": "Giỗ Tổ Hùng Vương (10/3 âm lịch)",
		"2026-04-30": "Ngày Chiến thắng",
		"2026-05-01": "Quốc tế Lao động",
		"2026-09-02": "Quốc khánh",
		"2026-11-24": "Ngày Văn hóa Việt Nam",
	}
	for d, n := range want {
		if notes[d] != n {
			t.Errorf("%s: note %q, want %q", d, notes[d], n)
		}
	}
	if !strings.HasPrefix(notes["2026-04-27"], "Nghỉ bù cho Giỗ Tổ Hùng Vương") {
		t.Errorf("2026-04-27: note %q", notes["2026-04-27"])
	}
	if n := holidayDates(StatutoryHolidays(2024)); strings.Contains(strings.Join(n, " "), "-11-24") {
		t.Errorf("24/11 suggested before 2026: %v", n)
	}
}

// TestStatutoryHolidayInvariants checks every year of the supported range:
// sorted without duplicates, inside the year, five Tết days, and compensatory
// days only on weekdays.
func TestStatutoryHolidayInvariants(t *testing.T) {
	for year := 1990; year <= 2060; year++ {
		es := StatutoryHolidays(year)
		tet := 0
		for i, e := range es {
			d, err := time.ParseInLocation(dateLayout, e.Date, Vietnam)
			if err != nil || d.Year() != year {
				t.Fatalf("%d: bad date %q", year, e.Date)
			}
			if i > 0 && es[i-1].Date >= e.Date {
				t.Fatalf("%d: not sorted or duplicate at %s", year, e.Date)
			}
			if e.Kind != DayOff || e.Note == "" || e.Source == "" {
				t.Fatalf("%d: incomplete entry %+v", year, e)
			}
			if strings.HasPrefix(e.Note, "Tết Nguyên đán") {
				tet++
			}
			if strings.HasPrefix(e.Note, "Nghỉ bù") && (d.Weekday() == time.Saturday || d.Weekday() == time.Sunday) {
				t.Fatalf("%d: compensatory day on a weekend: %s", year, e.Date)
			}
		}
		if tet != 5 {
			t.Errorf("%d: %d Tết days, want 5", year, tet)
		}
	}
}
