package app

import (
	"fmt"
	"sort"
	"time"
)

// Sources written on pre-filled entries. The yearly notice of the Ministry of
// Home Affairs is the authority for civil servants: the administrator
// replaces these suggestions when it is published (domain.md §5.1).
const (
	holidaySource      = "Bộ luật Lao động 2019, Điều 112 (gợi ý tự động)"
	cultureDaySource   = "Nghị quyết 28/2026/QH16 (gợi ý tự động)"
	compensatorySource = "Bộ luật Lao động 2019, Điều 111 khoản 3 (gợi ý tự động; công chức theo thông báo hằng năm)"
)

// StatutoryHolidays suggests the day_off entries of a year from the rules of
// the Labour Code 2019, Art. 112:
//
//   - 1/1 Tết Dương lịch;
//   - Tết Nguyên đán: the last day of the old lunar year and the first four
//     days of the new one (5 days), computed with the lunar calendar;
//   - 10/3 lunar Giỗ Tổ Hùng Vương;
//   - 30/4 Ngày Chiến thắng, 1/5 Quốc tế Lao động;
//   - 2/9 Quốc khánh plus one adjacent day: the law lets the Prime Minister
//     choose 1/9 or 3/9 each year; 1/9 is suggested (as in 2025);
//   - from 2026, 24/11 Ngày Văn hóa Việt Nam.
//
// A holiday on Saturday or Sunday (the weekly rest days) adds the next
// working day off (Art. 111(3)). For civil servants the yearly notice decides
// and usually moves days differently (e.g. Tết 2026 ran Sat 14/2 – Sun 22/2),
// so every entry is only a suggestion to review. Entries are sorted with one
// entry per date; when two holidays share a date their notes are joined.
func StatutoryHolidays(year int) []CalendarEntry {
	type holiday struct {
		day          time.Time
		note, source string
	}
	var hs []holiday
	add := func(t time.Time, note, source string) {
		hs = append(hs, holiday{t, note, source})
	}
	solar := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, Vietnam) }

	add(solar(time.January, 1), "Tết Dương lịch", holidaySource)
	if y, m, d, ok := LunarToSolar(LunarDate{Day: 1, Month: 1, Year: year}); ok {
		first := time.Date(y, time.Month(m), d, 0, 0, 0, 0, Vietnam)
		eve := first.AddDate(0, 0, -1)
		ld := SolarToLunar(eve.Year(), int(eve.Month()), eve.Day())
		add(eve, fmt.Sprintf("Tết Nguyên đán (%d Tết)", ld.Day), holidaySource)
		for i := 0; i < 4; i++ {
			add(first.AddDate(0, 0, i), fmt.Sprintf("Tết Nguyên đán (mùng %d)", i+1), holidaySource)
		}
	}
	if y, m, d, ok := LunarToSolar(LunarDate{Day: 10, Month: 3, Year: year}); ok {
		add(time.Date(y, time.Month(m), d, 0, 0, 0, 0, Vietnam), "Giỗ Tổ Hùng Vương (10/3 âm lịch)", holidaySource)
	}
	add(solar(time.April, 30), "Ngày Chiến thắng", holidaySource)
	add(solar(time.May, 1), "Quốc tế Lao động", holidaySource)
	add(solar(time.September, 1), "Quốc khánh (ngày liền kề, gợi ý 1/9)", holidaySource)
	add(solar(time.September, 2), "Quốc khánh", holidaySource)
	if year >= 2026 {
		add(solar(time.November, 24), "Ngày Văn hóa Việt Nam", cultureDaySource)
	}

	byDate := make(map[string]*CalendarEntry)
	var order []string
	put := func(t time.Time, note, source string) {
		key := t.Format(dateLayout)
		if e, ok := byDate[key]; ok {
			e.Note += "; " + note
			return
		}
		byDate[key] = &CalendarEntry{Date: key, Kind: DayOff, Note: note, Source: source}
		order = append(order, key)
	}
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].day.Before(hs[j].day) })
	for _, h := range hs {
		put(h.day, h.note, h.source)
	}
	// Compensatory days, in date order so that a weekend holiday pair (e.g.
	// Sat 1/9 and Sun 2/9) gives Monday and Tuesday.
	for _, h := range hs {
		if wd := h.day.Weekday(); wd != time.Saturday && wd != time.Sunday {
			continue
		}
		d := h.day
		for {
			d = d.AddDate(0, 0, 1)
			wd := d.Weekday()
			if _, taken := byDate[d.Format(dateLayout)]; !taken && wd != time.Saturday && wd != time.Sunday {
				break
			}
		}
		put(d, fmt.Sprintf("Nghỉ bù cho %s – %s trùng ngày nghỉ hằng tuần", h.note, DayMonth(h.day)), compensatorySource)
	}

	sort.Strings(order)
	out := make([]CalendarEntry, 0, len(order))
	for _, k := range order {
		out = append(out, *byDate[k])
	}
	return out
}
