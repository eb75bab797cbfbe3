package report

import (
	"fmt"
	"strings"
	"time"

	"motcua/app"
	"motcua/forms/pdfkit"
)

// The statistics table is described once and drawn by both the PDF and the
// Excel writer: 17 columns under a three-row header with merged groups.

const statCols = 17

func statHeader(by app.GroupBy) []pdfkit.HeadCell {
	name := "Lĩnh vực"
	if by == app.ByProcedure {
		name = "Lĩnh vực, thủ tục hành chính"
	}
	return []pdfkit.HeadCell{
		{Row: 0, Col: 0, Rows: 3, Cols: 1, Text: "STT"},
		{Row: 0, Col: 1, Rows: 3, Cols: 1, Text: name},
		{Row: 0, Col: 2, Rows: 1, Cols: 4, Text: "Số hồ sơ nhận giải quyết"},
		{Row: 1, Col: 2, Rows: 2, Cols: 1, Text: "Tổng số"},
		{Row: 1, Col: 3, Rows: 1, Cols: 3, Text: "Trong đó"},
		{Row: 2, Col: 3, Rows: 1, Cols: 1, Text: "Số kỳ trước chuyển qua"},
		{Row: 2, Col: 4, Rows: 1, Cols: 1, Text: "Số mới tiếp nhận trực tuyến"},
		{Row: 2, Col: 5, Rows: 1, Cols: 1, Text: "Số mới tiếp nhận trực tiếp, bưu chính"},
		{Row: 0, Col: 6, Rows: 1, Cols: 4, Text: "Số hồ sơ đã giải quyết"},
		{Row: 1, Col: 6, Rows: 2, Cols: 1, Text: "Tổng số"},
		{Row: 1, Col: 7, Rows: 2, Cols: 1, Text: "Trước hạn"},
		{Row: 1, Col: 8, Rows: 2, Cols: 1, Text: "Đúng hạn"},
		{Row: 1, Col: 9, Rows: 2, Cols: 1, Text: "Quá hạn"},
		{Row: 0, Col: 10, Rows: 1, Cols: 3, Text: "Số hồ sơ đang giải quyết"},
		{Row: 1, Col: 10, Rows: 2, Cols: 1, Text: "Tổng số"},
		{Row: 1, Col: 11, Rows: 2, Cols: 1, Text: "Trong hạn"},
		{Row: 1, Col: 12, Rows: 2, Cols: 1, Text: "Quá hạn"},
		{Row: 0, Col: 13, Rows: 3, Cols: 1, Text: "Số lượt yêu cầu bổ sung"},
		{Row: 0, Col: 14, Rows: 3, Cols: 1, Text: "Số hồ sơ dừng xử lý"},
		{Row: 0, Col: 15, Rows: 3, Cols: 1, Text: "Số hồ sơ công dân rút"},
		{Row: 0, Col: 16, Rows: 3, Cols: 1, Text: "Tỷ lệ giải quyết trước hạn, đúng hạn (%)"},
	}
}

// colNumbers is the row of column numbers under the header, with the sums
// officials check.
var colNumbers = [statCols]string{"(1)", "(2)", "(3)=(4)+(5)+(6)", "(4)", "(5)", "(6)", "(7)=(8)+(9)+(10)", "(8)", "(9)", "(10)",
	"(11)=(12)+(13)", "(12)", "(13)", "(14)", "(15)", "(16)", "(17)=((8)+(9))/(7)"}

// line is one body row of the table.
type line struct {
	no, name string
	bold     bool
	r        app.ReportRow
}

// values are the 15 figures of a row (columns 3–17); the rate is -1 when
// nothing was resolved.
func values(r app.ReportRow) (n [14]int, rate float64) {
	n = [14]int{r.Received(), r.CarriedOver, r.NewOnline, r.NewOther, r.Resolved(), r.Early, r.OnTime, r.Late,
		r.Open(), r.OpenWithin, r.OpenOverdue, r.Supplement, r.Stopped, r.Withdrawn}
	rate = -1
	if r.Resolved() > 0 {
		rate = r.OnTimeRate()
	}
	return n, rate
}

// rateText is "97,5" (Vietnamese decimal comma), "-" when nothing was resolved.
func rateText(rate float64) string {
	if rate < 0 {
		return "-"
	}
	return app.Decimal(rate, 1)
}

var roman = []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
	"XVI", "XVII", "XVIII", "XIX", "XX"}

func romanNumeral(i int) string {
	if i < len(roman) {
		return roman[i]
	}
	return fmt.Sprint(i + 1)
}

// lines lays the report out: by field, one numbered row per field; by
// procedure, a bold subtotal row per field (I, II…) over its procedures
// (1, 2…). The total comes last.
func lines(rep *app.Report) []line {
	var out []line
	if rep.By != app.ByProcedure {
		for i, r := range rep.Rows {
			out = append(out, line{no: fmt.Sprint(i + 1), name: r.Name, r: r})
		}
	} else {
		for i := 0; i < len(rep.Rows); {
			j := i
			var sub app.ReportRow
			for j < len(rep.Rows) && rep.Rows[j].Field == rep.Rows[i].Field {
				sub = addRows(sub, rep.Rows[j])
				j++
			}
			out = append(out, line{no: romanNumeral(len(groupsBefore(out))), name: "Lĩnh vực " + rep.Rows[i].Field, bold: true, r: sub})
			for k := i; k < j; k++ {
				r := rep.Rows[k]
				out = append(out, line{no: fmt.Sprint(k - i + 1), name: procName(r), r: r})
			}
			i = j
		}
	}
	return append(out, line{name: "Tổng cộng", bold: true, r: rep.Total})
}

func groupsBefore(ls []line) []line {
	var g []line
	for _, l := range ls {
		if l.bold {
			g = append(g, l)
		}
	}
	return g
}

func procName(r app.ReportRow) string {
	if r.Name == "" || r.Name == r.Key {
		return r.Key
	}
	return r.Name + " (" + r.Key + ")"
}

func addRows(a, b app.ReportRow) app.ReportRow {
	a.CarriedOver += b.CarriedOver
	a.NewOnline += b.NewOnline
	a.NewOther += b.NewOther
	a.Early += b.Early
	a.OnTime += b.OnTime
	a.Late += b.Late
	a.OpenWithin += b.OpenWithin
	a.OpenOverdue += b.OpenOverdue
	a.Supplement += b.Supplement
	a.Stopped += b.Stopped
	a.Withdrawn += b.Withdrawn
	return a
}

// periodLine is "Kỳ báo cáo: Quý I năm 2026 (Từ ngày 15/12/2025 đến ngày 14/03/2026)".
func periodLine(rep *app.Report) string {
	s := "Kỳ báo cáo: " + rep.Period.Label()
	if rep.Period.Kind != app.PeriodKindCustom {
		s += " (" + lowerFirst(rep.Period.Range()) + ")"
	}
	return s
}

// provisionalLine warns that a period that has not ended is counted up to
// the end of AsOf's previous day.
func provisionalLine(rep *app.Report) string {
	if !rep.Provisional {
		return ""
	}
	return "Số liệu tạm tính đến hết ngày " + app.ShortDate(rep.AsOf.In(app.Vietnam).AddDate(0, 0, -1))
}

func lowerFirst(s string) string {
	if strings.HasPrefix(s, "Từ") {
		return "từ" + s[len("Từ"):]
	}
	return s
}

// dateLine is "{place}, ngày 20 tháng 6 năm 2025" (Decree 30 dates).
func dateLine(ag app.Agency, t time.Time) string {
	place := ag.Place
	if place == "" {
		place = ag.Name
	}
	return app.DateLine(place, t)
}
