package app

import (
	"math"
	"testing"
	"time"
)

func TestLongDateDecree30(t *testing.T) {
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 2, 5, 9, 0, 0, 0, Vietnam), "ngày 05 tháng 02 năm 2026"},
		{time.Date(2026, 1, 31, 9, 0, 0, 0, Vietnam), "ngày 31 tháng 01 năm 2026"},
		{time.Date(2026, 3, 1, 9, 0, 0, 0, Vietnam), "ngày 01 tháng 3 năm 2026"},
		{time.Date(2025, 12, 24, 9, 0, 0, 0, Vietnam), "ngày 24 tháng 12 năm 2025"},
		{time.Date(2025, 10, 9, 9, 0, 0, 0, Vietnam), "ngày 09 tháng 10 năm 2025"},
		// 20:30 UTC on 4 February is 03:30 on the 5th in Vietnam
		{time.Date(2026, 2, 4, 20, 30, 0, 0, time.UTC), "ngày 05 tháng 02 năm 2026"},
		{time.Time{}, ""},
	} {
		if got := LongDate(c.at); got != c.want {
			t.Errorf("LongDate(%v) = %q, want %q", c.at, got, c.want)
		}
	}
	at := time.Date(2026, 2, 3, 14, 5, 0, 0, Vietnam)
	if got, want := LongDateTime(at), "14 giờ 05 phút, ngày 03 tháng 02 năm 2026"; got != want {
		t.Errorf("LongDateTime = %q, want %q", got, want)
	}
	if got, want := DateLine("Nghĩa Hưng", at), "Nghĩa Hưng, ngày 03 tháng 02 năm 2026"; got != want {
		t.Errorf("DateLine = %q, want %q", got, want)
	}
	if got, want := DateLine(" ", at), "ngày 03 tháng 02 năm 2026"; got != want {
		t.Errorf("DateLine without place = %q, want %q", got, want)
	}
	if got := MonthYear(time.March, 2026); got != "tháng 3 năm 2026" {
		t.Errorf("MonthYear(3) = %q", got)
	}
	if got := MonthYear(time.February, 2026); got != "tháng 02 năm 2026" {
		t.Errorf("MonthYear(2) = %q", got)
	}
	if got := ShortDate(at); got != "03/02/2026" {
		t.Errorf("ShortDate = %q", got)
	}
	if got := DayMonth(at); got != "03/02" {
		t.Errorf("DayMonth = %q", got)
	}
	if got := ShortDateTime(at); got != "03/02/2026 14:05" {
		t.Errorf("ShortDateTime = %q", got)
	}
	if got := HourMinute(at); got != "14:05" {
		t.Errorf("HourMinute = %q", got)
	}
	if got := TimeDate(at); got != "14:05 03/02/2026" {
		t.Errorf("TimeDate = %q", got)
	}
}

func TestMoneyAndDecimal(t *testing.T) {
	for _, c := range []struct {
		v    int64
		want string
	}{{0, "0 đ"}, {999, "999 đ"}, {1000, "1.000 đ"}, {1250000, "1.250.000 đ"}, {-25000, "-25.000 đ"},
		{math.MaxInt64, "9.223.372.036.854.775.807 đ"}, {math.MinInt64, "-9.223.372.036.854.775.808 đ"}} {
		if got := Money(c.v); got != c.want {
			t.Errorf("Money(%d) = %q, want %q", c.v, got, c.want)
		}
	}
	if got := MoneyLong(200000); got != "200.000 đồng" {
		t.Errorf("MoneyLong = %q", got)
	}
	for _, c := range []struct {
		f    float64
		prec int
		want string
	}{{97.5, 1, "97,5"}, {100, 1, "100,0"}, {1234.56, 2, "1.234,56"}, {0.04, 1, "0,0"}, {-0.04, 1, "0,0"}, {-12.5, 1, "-12,5"}, {3, 0, "3"}} {
		if got := Decimal(c.f, c.prec); got != c.want {
			t.Errorf("Decimal(%v, %d) = %q, want %q", c.f, c.prec, got, c.want)
		}
	}
}

// The office's public address and paper size are settings: the address is
// trimmed and must be a web address, the paper A4 (default) or A5.
func TestSettingsPublicURLAndPaper(t *testing.T) {
	if DefaultSettings().Paper != "A4" || DefaultSettings().PublicURL != "" {
		t.Fatalf("defaults: %+v", DefaultSettings())
	}
}
