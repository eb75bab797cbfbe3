package forms

import (
	"time"
	"unicode"
	"unicode/utf8"

	"motcua/app"
)

// Dates and amounts are formatted by package app (app.LongDate,
// app.LongDateTime, app.MoneyLong…), once for the screens, forms and reports.

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
