package app

import "math"

// LunarDate is a date of the Vietnamese lunisolar calendar (âm lịch).
// Leap is true in the intercalary month (tháng nhuận), which repeats the
// number of the month before it.
type LunarDate struct {
	Day, Month, Year int
	Leap             bool
}

// lunarZone is the meridian of the Vietnamese calendar in hours. The Chinese
// calendar is computed at UTC+8 and differs in some years (e.g. Tết 1985 and
// 2007), so the zone is part of the algorithm, not a display setting.
const lunarZone = 7.0

// The conversions follow Hồ Ngọc Đức's "Âm lịch Việt Nam" (calrules): new
// moons and the sun's longitude are computed astronomically, month 11 is the
// month containing the winter solstice, and in a year with 13 months the
// first month without a major solar term is the leap month. Accurate for
// roughly 1800–2199; outside that range the astronomy degrades.

// SolarToLunar converts a Gregorian date to the Vietnamese lunar date.
func SolarToLunar(y, m, d int) LunarDate {
	dayNumber := julianDay(d, m, y)
	k := int(math.Floor((float64(dayNumber) - 2415021.076998695) / 29.530588853))
	monthStart := newMoonDay(k + 1)
	if monthStart > dayNumber {
		monthStart = newMoonDay(k)
	}
	a11 := lunarMonth11(y)
	b11 := a11
	var lunarYear int
	if a11 >= monthStart {
		lunarYear = y
		a11 = lunarMonth11(y - 1)
	} else {
		lunarYear = y + 1
		b11 = lunarMonth11(y + 1)
	}
	ld := LunarDate{Day: dayNumber - monthStart + 1}
	diff := (monthStart - a11) / 29
	ld.Month = diff + 11
	if b11-a11 > 365 {
		leapDiff := leapMonthOffset(a11)
		if diff >= leapDiff {
			ld.Month = diff + 10
			ld.Leap = diff == leapDiff
		}
	}
	if ld.Month > 12 {
		ld.Month -= 12
	}
	if ld.Month >= 11 && diff < 4 {
		lunarYear--
	}
	ld.Year = lunarYear
	return ld
}

// LunarToSolar converts a lunar date to the Gregorian calendar. ok is false
// when the date does not exist: a leap flag on a month that is not leap that
// year, or day 30 of a 29-day month.
func LunarToSolar(ld LunarDate) (y, m, d int, ok bool) {
	if ld.Day < 1 || ld.Day > 30 || ld.Month < 1 || ld.Month > 12 {
		return 0, 0, 0, false
	}
	var a11, b11 int
	if ld.Month < 11 {
		a11 = lunarMonth11(ld.Year - 1)
		b11 = lunarMonth11(ld.Year)
	} else {
		a11 = lunarMonth11(ld.Year)
		b11 = lunarMonth11(ld.Year + 1)
	}
	k := int(math.Floor(0.5 + (float64(a11)-2415021.076998695)/29.530588853))
	off := ld.Month - 11
	if off < 0 {
		off += 12
	}
	if b11-a11 > 365 {
		leapOff := leapMonthOffset(a11)
		leapMonth := leapOff - 2
		if leapMonth < 0 {
			leapMonth += 12
		}
		if ld.Leap && ld.Month != leapMonth {
			return 0, 0, 0, false
		}
		if ld.Leap || off >= leapOff {
			off++
		}
	} else if ld.Leap {
		return 0, 0, 0, false
	}
	monthStart := newMoonDay(k + off)
	d, m, y = dateFromJulianDay(monthStart + ld.Day - 1)
	// Day 30 of a short month lands on the next month's first day.
	if SolarToLunar(y, m, d) != ld {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// LunarNewYear returns the Gregorian date of mùng 1 Tết of lunar year y.
func LunarNewYear(y int) (year, month, day int) {
	year, month, day, _ = LunarToSolar(LunarDate{Day: 1, Month: 1, Year: y})
	return year, month, day
}

// julianDay is the Julian day number of a date: Gregorian from 15/10/1582,
// Julian before.
func julianDay(dd, mm, yy int) int {
	a := (14 - mm) / 12
	y := yy + 4800 - a
	m := mm + 12*a - 3
	jd := dd + (153*m+2)/5 + 365*y + floorDiv(y, 4) - floorDiv(y, 100) + floorDiv(y, 400) - 32045
	if jd < 2299161 {
		jd = dd + (153*m+2)/5 + 365*y + floorDiv(y, 4) - 32083
	}
	return jd
}

func dateFromJulianDay(jd int) (day, month, year int) {
	var b, c int
	if jd > 2299160 {
		a := jd + 32044
		b = (4*a + 3) / 146097
		c = a - (b*146097)/4
	} else {
		c = jd + 32082
	}
	d := (4*c + 3) / 1461
	e := c - (1461*d)/4
	m := (5*e + 2) / 153
	day = e - (153*m+2)/5 + 1
	month = m + 3 - 12*(m/10)
	year = b*100 + d - 4800 + m/10
	return day, month, year
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// newMoon is the Julian day (with fraction, UT) of the k-th new moon after
// 1/1/1900 13:52 UT (Meeus, Astronomical Algorithms).
func newMoon(k int) float64 {
	kf := float64(k)
	t := kf / 1236.85
	t2 := t * t
	t3 := t2 * t
	dr := math.Pi / 180
	jd1 := 2415020.75933 + 29.53058868*kf + 0.0001178*t2 - 0.000000155*t3
	jd1 += 0.00033 * math.Sin((166.56+132.87*t-0.009173*t2)*dr)
	m := 359.2242 + 29.10535608*kf - 0.0000333*t2 - 0.00000347*t3
	mpr := 306.0253 + 385.81691806*kf + 0.0107306*t2 + 0.00001236*t3
	f := 21.2964 + 390.67050646*kf - 0.0016528*t2 - 0.00000239*t3
	c1 := (0.1734-0.000393*t)*math.Sin(m*dr) + 0.0021*math.Sin(2*dr*m)
	c1 = c1 - 0.4068*math.Sin(mpr*dr) + 0.0161*math.Sin(dr*2*mpr)
	c1 = c1 - 0.0004*math.Sin(dr*3*mpr)
	c1 = c1 + 0.0104*math.Sin(dr*2*f) - 0.0051*math.Sin(dr*(m+mpr))
	c1 = c1 - 0.0074*math.Sin(dr*(m-mpr)) + 0.0004*math.Sin(dr*(2*f+m))
	c1 = c1 - 0.0004*math.Sin(dr*(2*f-m)) - 0.0006*math.Sin(dr*(2*f+mpr))
	c1 = c1 + 0.0010*math.Sin(dr*(2*f-mpr)) + 0.0005*math.Sin(dr*(2*mpr+m))
	var deltaT float64
	if t < -11 {
		deltaT = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	} else {
		deltaT = -0.000278 + 0.000265*t + 0.000262*t2
	}
	return jd1 + c1 - deltaT
}

// sunLongitude is the sun's apparent longitude in radians, [0, 2π), at Julian
// day jdn (UT).
func sunLongitude(jdn float64) float64 {
	t := (jdn - 2451545.0) / 36525
	t2 := t * t
	dr := math.Pi / 180
	m := 357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2
	l0 := 280.46645 + 36000.76983*t + 0.0003032*t2
	dl := (1.914600 - 0.004817*t - 0.000014*t2) * math.Sin(dr*m)
	dl += (0.019993-0.000101*t)*math.Sin(dr*2*m) + 0.000290*math.Sin(dr*3*m)
	l := (l0 + dl) * dr
	return l - 2*math.Pi*math.Floor(l/(2*math.Pi))
}

// newMoonDay is the local day number of the k-th new moon.
func newMoonDay(k int) int {
	return int(math.Floor(newMoon(k) + 0.5 + lunarZone/24))
}

// sunSector is the 30° sector (0–11) of the sun at the start of local day
// dayNumber; a change of sector inside a month marks a major solar term.
func sunSector(dayNumber int) int {
	return int(math.Floor(sunLongitude(float64(dayNumber)-0.5-lunarZone/24) / math.Pi * 6))
}

// lunarMonth11 is the day number of the start of the 11th lunar month, the
// month containing the winter solstice, of solar year yy.
func lunarMonth11(yy int) int {
	off := julianDay(31, 12, yy) - 2415021
	k := int(math.Floor(float64(off) / 29.530588853))
	nm := newMoonDay(k)
	if sunSector(nm) >= 9 {
		nm = newMoonDay(k - 1)
	}
	return nm
}

// leapMonthOffset is, for a 13-month year starting at month 11 a11, the index
// (from a11) of the first month with no major solar term: the leap month.
func leapMonthOffset(a11 int) int {
	k := int(math.Floor((float64(a11)-2415021.076998695)/29.530588853 + 0.5))
	i := 1
	arc := sunSector(newMoonDay(k + i))
	for {
		last := arc
		i++
		arc = sunSector(newMoonDay(k + i))
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}
