package app

import "testing"

func TestLunarNewYearVectors(t *testing.T) {
	// domain.md §5.1 test vectors.
	tests := []struct{ year, m, d int }{
		{2024, 2, 10}, {2025, 1, 29}, {2026, 2, 17}, {2027, 2, 6}, {2028, 1, 26},
	}
	for _, tt := range tests {
		y, m, d, ok := LunarToSolar(LunarDate{Day: 1, Month: 1, Year: tt.year})
		if !ok || y != tt.year || m != tt.m || d != tt.d {
			t.Errorf("Tết %d = %d-%02d-%02d (ok=%v), want %d-%02d-%02d", tt.year, y, m, d, ok, tt.year, tt.m, tt.d)
		}
		if got := SolarToLunar(tt.year, tt.m, tt.d); got != (LunarDate{Day: 1, Month: 1, Year: tt.year}) {
			t.Errorf("SolarToLunar(%d-%02d-%02d) = %+v, want mùng 1 tháng Giêng", tt.year, tt.m, tt.d, got)
		}
	}
}

// tetDates are the Gregorian dates of mùng 1 Tết Nguyên đán, transcribed from
// the published lists of Lunar New Year dates (Wikipedia "Tết" and "Chinese
// New Year" date tables). The Vietnamese and Chinese dates coincide in these
// years except 1985 and 2007, where the Vietnamese date is taken from
// Hồ Ngọc Đức's "Âm lịch Việt Nam" (calrules), which discusses both cases:
// Tết Ất Sửu 21/1/1985 (China 20/2/1985) and Tết Đinh Hợi 17/2/2007 (China
// 18/2/2007). 2030 is left out on purpose: the new moon of 2 February 2030
// falls close to midnight at UTC+7/UTC+8 and the Vietnamese date (2/2, the
// algorithm's answer) differs from the Chinese one (3/2); I found no
// Vietnamese publication to check it against.
var tetDates = []struct{ year, m, d int }{
	{1985, 1, 21},
	{1990, 1, 27}, {1991, 2, 15}, {1992, 2, 4}, {1993, 1, 23}, {1994, 2, 10},
	{1995, 1, 31}, {1996, 2, 19}, {1997, 2, 7}, {1998, 1, 28}, {1999, 2, 16},
	{2000, 2, 5}, {2001, 1, 24}, {2002, 2, 12}, {2003, 2, 1}, {2004, 1, 22},
	{2005, 2, 9}, {2006, 1, 29}, {2007, 2, 17}, {2008, 2, 7}, {2009, 1, 26},
	{2010, 2, 14}, {2011, 2, 3}, {2012, 1, 23}, {2013, 2, 10}, {2014, 1, 31},
	{2015, 2, 19}, {2016, 2, 8}, {2017, 1, 28}, {2018, 2, 16}, {2019, 2, 5},
	{2020, 1, 25}, {2021, 2, 12}, {2022, 2, 1}, {2023, 1, 22}, {2024, 2, 10},
	{2025, 1, 29}, {2026, 2, 17}, {2027, 2, 6}, {2028, 1, 26}, {2029, 2, 13},
	{2031, 1, 23}, {2032, 2, 11}, {2033, 1, 31}, {2034, 2, 19},
	{2035, 2, 8}, {2036, 1, 28}, {2037, 2, 15}, {2038, 2, 4}, {2039, 1, 24},
	{2040, 2, 12}, {2041, 2, 1}, {2042, 1, 22}, {2043, 2, 10}, {2044, 1, 30},
	{2045, 2, 17}, {2046, 2, 6}, {2047, 1, 26}, {2048, 2, 14}, {2049, 2, 2},
	{2050, 1, 23},
}

func TestLunarNewYearPublished(t *testing.T) {
	for _, tt := range tetDates {
		y, m, d, ok := LunarToSolar(LunarDate{Day: 1, Month: 1, Year: tt.year})
		if !ok || y != tt.year || m != tt.m || d != tt.d {
			t.Errorf("Tết %d = %d-%02d-%02d (ok=%v), want %d-%02d-%02d", tt.year, y, m, d, ok, tt.year, tt.m, tt.d)
		}
		// The eve belongs to the old year, in month 12 (never leap).
		ed, em, ey := dateFromJulianDay(julianDay(tt.d, tt.m, tt.year) - 1)
		if eve := SolarToLunar(ey, em, ed); eve.Year != tt.year-1 || eve.Month != 12 || eve.Leap || eve.Day < 29 {
			t.Errorf("day before Tết %d = %+v, want 29 or 30/12/%d", tt.year, eve, tt.year-1)
		}
	}
}

func TestLunarGioTo(t *testing.T) {
	// 10/3 lunar; domain.md §5.1 plus 2023 (Sat 29/4, after the leap 2nd
	// month) and 2024 (Thu 18/4), both widely announced.
	tests := []struct{ year, m, d int }{
		{2023, 4, 29}, {2024, 4, 18}, {2025, 4, 7}, {2026, 4, 26}, {2027, 4, 16},
	}
	for _, tt := range tests {
		y, m, d, ok := LunarToSolar(LunarDate{Day: 10, Month: 3, Year: tt.year})
		if !ok || y != tt.year || m != tt.m || d != tt.d {
			t.Errorf("Giỗ Tổ %d = %d-%02d-%02d (ok=%v), want %d-%02d-%02d", tt.year, y, m, d, ok, tt.year, tt.m, tt.d)
		}
	}
}

func TestLunarLeapMonths(t *testing.T) {
	tests := []struct {
		year, leap int // leap month number, 0 for none
		y, m, d    int // first day of the leap month
	}{
		{2023, 2, 2023, 3, 22},
		{2024, 0, 0, 0, 0},
		{2025, 6, 2025, 7, 25},
		{2026, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		for month := 1; month <= 12; month++ {
			y, m, d, ok := LunarToSolar(LunarDate{Day: 1, Month: month, Year: tt.year, Leap: true})
			if want := month == tt.leap; ok != want {
				t.Errorf("%d: leap month %d exists = %v, want %v", tt.year, month, ok, want)
			}
			if ok && (y != tt.y || m != tt.m || d != tt.d) {
				t.Errorf("%d: leap month %d starts %d-%02d-%02d, want %d-%02d-%02d", tt.year, month, y, m, d, tt.y, tt.m, tt.d)
			}
		}
		if tt.leap != 0 {
			want := LunarDate{Day: 1, Month: tt.leap, Year: tt.year, Leap: true}
			if got := SolarToLunar(tt.y, tt.m, tt.d); got != want {
				t.Errorf("SolarToLunar(%d-%02d-%02d) = %+v, want %+v", tt.y, tt.m, tt.d, got, want)
			}
		}
	}
}

func TestLunarKnownDates(t *testing.T) {
	tests := []struct {
		y, m, d int
		want    LunarDate
	}{
		{2000, 1, 1, LunarDate{Day: 25, Month: 11, Year: 1999}},
		{2024, 2, 9, LunarDate{Day: 30, Month: 12, Year: 2023}},  // 30 Tết of Quý Mão
		{2025, 1, 28, LunarDate{Day: 29, Month: 12, Year: 2024}}, // no 30 Tết in 2025
		{2026, 2, 16, LunarDate{Day: 29, Month: 12, Year: 2025}}, // no 30 Tết in 2026
		{2023, 4, 20, LunarDate{Day: 1, Month: 3, Year: 2023}},
	}
	for _, tt := range tests {
		if got := SolarToLunar(tt.y, tt.m, tt.d); got != tt.want {
			t.Errorf("SolarToLunar(%d-%02d-%02d) = %+v, want %+v", tt.y, tt.m, tt.d, got, tt.want)
		}
	}
}

func TestLunarInvalid(t *testing.T) {
	tests := []LunarDate{
		{Day: 0, Month: 1, Year: 2025},
		{Day: 31, Month: 1, Year: 2025},
		{Day: 1, Month: 13, Year: 2025},
		{Day: 30, Month: 12, Year: 2024}, // 12th month of Giáp Thìn has 29 days
		{Day: 1, Month: 3, Year: 2023, Leap: true},
		{Day: 1, Month: 1, Year: 2024, Leap: true},
	}
	for _, ld := range tests {
		if y, m, d, ok := LunarToSolar(ld); ok {
			t.Errorf("LunarToSolar(%+v) = %d-%02d-%02d, want not ok", ld, y, m, d)
		}
	}
}

// TestLunarRoundTrip walks every day of 1990–2050: the lunar day advances by
// one or starts a new month on day 1, and converting back gives the same day.
func TestLunarRoundTrip(t *testing.T) {
	jd0, jd1 := julianDay(1, 1, 1990), julianDay(31, 12, 2050)
	var prev LunarDate
	for jd := jd0; jd <= jd1; jd++ {
		d, m, y := dateFromJulianDay(jd)
		ld := SolarToLunar(y, m, d)
		if jd > jd0 {
			next := ld.Day == prev.Day+1 && ld.Month == prev.Month && ld.Year == prev.Year && ld.Leap == prev.Leap
			newMonth := ld.Day == 1 && (prev.Day == 29 || prev.Day == 30)
			if !next && !newMonth {
				t.Fatalf("%d-%02d-%02d: %+v after %+v", y, m, d, ld, prev)
			}
		}
		yy, mm, dd, ok := LunarToSolar(ld)
		if !ok || yy != y || mm != m || dd != d {
			t.Fatalf("round trip %d-%02d-%02d → %+v → %d-%02d-%02d (ok=%v)", y, m, d, ld, yy, mm, dd, ok)
		}
		prev = ld
	}
}
