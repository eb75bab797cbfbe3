package forms

import (
	"fmt"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"motcua/app"
)

// VNDate is the long Vietnamese date in the office zone:
// "ngày 03 tháng 9 năm 2025" (day two digits, month not padded). Zero → "".
func VNDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(app.Vietnam)
	return fmt.Sprintf("ngày %02d tháng %d năm %d", t.Day(), int(t.Month()), t.Year())
}

// VNDateTime is the long Vietnamese date and time in the office zone:
// "14 giờ 05 phút, ngày 03 tháng 9 năm 2025". Zero → "".
func VNDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	v := t.In(app.Vietnam)
	return fmt.Sprintf("%02d giờ %02d phút, %s", v.Hour(), v.Minute(), VNDate(v))
}

// shortDate is "03/09/2025", shortDateTime "03/09/2025 14:05" (register cells).
func shortDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(app.Vietnam).Format("02/01/2006")
}

func shortDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(app.Vietnam).Format("02/01/2006 15:04")
}

// VND formats an amount in đồng with dot thousands: "200.000 đồng".
func VND(amount int64) string {
	return groupThousands(amount) + " đồng"
}

func groupThousands(n int64) string {
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

// parseDay reads a YYYY-MM-DD date in the office zone.
func parseDay(s string) (time.Time, error) {
	return time.ParseInLocation("2006-01-02", s, app.Vietnam)
}

// capFirst upper-cases the first letter: "ngày 03…" → "Ngày 03…".
func capFirst(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+utf8.RuneLen(r):]
	}
	return s
}
