package app

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Vietnamese formatting, in one place for the screens, the printed forms and
// the reports. Times are shown in the office zone (Vietnam).
//
// Long dates follow Decree 30/2020/NĐ-CP (Nghị định 30/2020/NĐ-CP, Phụ lục I):
// days below 10 and the months January and February take a leading zero
// ("ngày 05 tháng 02 năm 2026"), months 3 to 12 do not ("tháng 3").

// MonthNumber is the month as Decree 30 writes it: "01", "02", "3" … "12".
func MonthNumber(m time.Month) string {
	if m < 3 {
		return fmt.Sprintf("%02d", int(m))
	}
	return strconv.Itoa(int(m))
}

// DayNumber is the day as Decree 30 writes it: "05", "15".
func DayNumber(d int) string { return fmt.Sprintf("%02d", d) }

// LongDate is "ngày 05 tháng 02 năm 2026"; the zero time gives "".
func LongDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(Vietnam)
	return "ngày " + DayNumber(t.Day()) + " tháng " + MonthNumber(t.Month()) + " năm " + strconv.Itoa(t.Year())
}

// LongDateTime is "14 giờ 05 phút, ngày 05 tháng 02 năm 2026"; zero gives "".
func LongDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	v := t.In(Vietnam)
	return fmt.Sprintf("%02d giờ %02d phút, %s", v.Hour(), v.Minute(), LongDate(v))
}

// DateLine is the place-and-date line of an official document:
// "Nghĩa Hưng, ngày 05 tháng 02 năm 2026" (the date alone without a place).
func DateLine(place string, t time.Time) string {
	long := LongDate(t)
	if place = strings.TrimSpace(place); place == "" || long == "" {
		return long
	}
	return place + ", " + long
}

// MonthYear is "tháng 02 năm 2026", "tháng 3 năm 2026".
func MonthYear(m time.Month, year int) string {
	return "tháng " + MonthNumber(m) + " năm " + strconv.Itoa(year)
}

// ShortDate is "05/02/2026"; zero gives "".
func ShortDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Vietnam).Format("02/01/2006")
}

// DayMonth is "05/02" (a day within a known year); zero gives "".
func DayMonth(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Vietnam).Format("02/01")
}

// HourMinute is "14:05"; zero gives "".
func HourMinute(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Vietnam).Format("15:04")
}

// ShortDateTime is "05/02/2026 14:05" (tables); zero gives "".
func ShortDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Vietnam).Format("02/01/2006 15:04")
}

// TimeDate is "14:05 05/02/2026" (messages and lists); zero gives "".
func TimeDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Vietnam).Format("15:04 02/01/2006")
}

// Thousands groups digits with dots: 1250000 → "1.250.000".
func Thousands(n int64) string {
	neg := n < 0
	u := uint64(n)
	if neg {
		u = uint64(-n)
	}
	s := strconv.FormatUint(u, 10)
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, '.')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// Money is an amount for screens and tables: "1.250.000 đ".
func Money(v int64) string { return Thousands(v) + " đ" }

// MoneyLong is an amount for printed prose: "1.250.000 đồng".
func MoneyLong(v int64) string { return Thousands(v) + " đồng" }

// Decimal writes f with prec decimals and the Vietnamese decimal comma:
// Decimal(97.5, 1) = "97,5", Decimal(1234.5, 1) = "1.234,5".
func Decimal(f float64, prec int) string {
	s := strconv.FormatFloat(f, 'f', prec, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil { // beyond int64: leave the digits ungrouped
		return strings.Replace(strconv.FormatFloat(f, 'f', prec, 64), ".", ",", 1)
	}
	out := Thousands(n)
	if frac != "" {
		out += "," + frac
	}
	if neg && strings.Trim(out, "0.,") != "" {
		out = "-" + out
	}
	return out
}
